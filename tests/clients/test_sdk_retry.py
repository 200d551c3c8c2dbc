"""Retry, back-off and configuration of the SDK. The server side is an httpx
MockTransport standing in for a server that turns requests away; the client code under
test is the real one."""

import socket
import time

import httpx
import pytest
from argmap_client import AsyncClient, Client, RateLimited, ServerError, TransportError
from argmap_client._base import RetryPolicy
from argmap_client.errors import parse_retry_after

HEALTH = b'{"status":"ok","database":"sqlite","version":"0"}'


def scripted(*responses: httpx.Response) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return httpx.MockTransport(handler), seen


def test_429_is_retried_after_the_servers_retry_after() -> None:
    transport, seen = scripted(
        httpx.Response(
            429,
            headers={"Retry-After": "0.2"},
            json={"title": "Too Many Requests", "status": 429, "detail": "slow down"},
        ),
        httpx.Response(200, content=HEALTH),
    )
    with Client("http://argmap.test", "t", transport=transport) as api:
        start = time.monotonic()
        assert api.health().status == "ok"
        waited = time.monotonic() - start
    assert len(seen) == 2
    assert waited >= 0.2


def test_503_backs_off_then_gives_up_with_server_error() -> None:
    problem = {"title": "Service Unavailable", "status": 503, "detail": "the database is unreachable"}
    transport, seen = scripted(httpx.Response(503, json=problem))
    with (
        Client("http://argmap.test", transport=transport, retries=2, backoff=0.01) as api,
        pytest.raises(ServerError) as e,
    ):
        api.health()
    assert len(seen) == 3  # first try and two retries
    assert e.value.status == 503 and e.value.detail == "the database is unreachable"


def test_retry_after_longer_than_max_wait_fails_at_once() -> None:
    transport, seen = scripted(
        httpx.Response(
            429, headers={"Retry-After": "3600"}, json={"title": "Too Many Requests", "status": 429, "detail": "later"}
        )
    )
    with Client("http://argmap.test", transport=transport, max_retry_wait=5) as api, pytest.raises(RateLimited) as e:
        api.health()
    assert len(seen) == 1
    assert e.value.retry_after == 3600


def test_writes_are_retried_too_and_keep_their_body() -> None:
    created = {
        "id": "00000000-0000-0000-0000-000000000001", "title": "t", "revision": 1, "visibility": "private",
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
    }  # fmt: skip
    transport, seen = scripted(httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(201, json=created))
    from argmap_client import MapDocument

    with Client("http://argmap.test", transport=transport) as api:
        info = api.create_map(MapDocument(title="t"))
    assert info.revision == 1
    assert [r.method for r in seen] == ["POST", "POST"]
    assert seen[0].content == seen[1].content == b'{"format":"argmap/1","title":"t"}'


def test_async_client_retries_the_same_way() -> None:
    import asyncio

    calls = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(503) if calls == 1 else httpx.Response(200, content=HEALTH)

    async def run() -> str:
        async with AsyncClient("http://argmap.test", transport=httpx.MockTransport(handler), backoff=0.01) as api:
            return (await api.health()).status

    assert asyncio.run(run()) == "ok"
    assert calls == 2


def test_unreachable_server_is_a_transport_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: connections are refused
        with Client(f"http://127.0.0.1:{port}", retries=1, backoff=0.01) as api, pytest.raises(TransportError) as e:
            api.health()
    assert e.value.status == 0
    assert f"127.0.0.1:{port}" in e.value.detail


def test_configuration_comes_from_arguments_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGMAP_URL", "http://from-env.test:9000/")
    monkeypatch.setenv("ARGMAP_TOKEN", "env-token")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=HEALTH)

    with Client(transport=httpx.MockTransport(handler)) as api:
        api.health()
    with Client("http://given.test", "given-token", transport=httpx.MockTransport(handler)) as api:
        api.health()
    with Client(token="", transport=httpx.MockTransport(handler)) as api:
        api.health()
    assert str(seen[0].url) == "http://from-env.test:9000/health"
    assert seen[0].headers["authorization"] == "Bearer env-token"
    assert str(seen[1].url) == "http://given.test/health"
    assert seen[1].headers["authorization"] == "Bearer given-token"
    assert "authorization" not in seen[2].headers  # an empty token means anonymous


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
    policy = RetryPolicy(retries=2, backoff=1.0)
    assert policy.delay(2, None) is None
    first = policy.delay(0, None)
    second = policy.delay(1, None)
    assert first is not None and 0.5 <= first <= 1.0
    assert second is not None and 1.0 <= second <= 2.0
