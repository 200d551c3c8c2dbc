"""Who may do what: each role x each endpoint -> the expected status, on both databases.

A private map answers 404 to anyone who may not read it, so its existence does not leak.
"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from support import Actors, make_user, problem, small_map

from service.db import accounts
from service.db.engine import Database

ROLES = ["anonymous", "share-link holder", "other", "viewer", "commenter", "editor", "owner", "admin"]

# (name, method, path template, body) -> expected status per role, for a PRIVATE map.
# Each request is made on a fresh map, so a write by one row cannot disturb the next.
R, W = "read", "write"
MATRIX: list[tuple[str, str, str, Any, dict[str, int]]] = [
    ("read map", "GET", "{m}", None, dict(anonymous=404, other=404, viewer=200, commenter=200, editor=200, owner=200, admin=200)),
    ("view page", "GET", "{m}/view", None, dict(anonymous=404, other=404, viewer=200, commenter=200, editor=200, owner=200, admin=200)),
    ("export", "GET", "{m}/export?format=aif", None, dict(anonymous=404, other=404, viewer=200, commenter=200, editor=200, owner=200, admin=200)),
    ("revisions", "GET", "{m}/revisions", None, dict(anonymous=404, other=404, viewer=200, commenter=200, editor=200, owner=200, admin=200)),
    ("list statements", "GET", "{m}/statements", None, dict(anonymous=404, other=404, viewer=200, commenter=200, editor=200, owner=200, admin=200)),
    ("members", "GET", "{m}/members", None, dict(anonymous=404, other=404, viewer=200, commenter=200, editor=200, owner=200, admin=200)),
    ("comments", "GET", "{m}/comments", None, dict(anonymous=404, other=404, viewer=403, commenter=200, editor=200, owner=200, admin=200)),
    ("comment", "POST", "{m}/comments", {"element": "c1", "text": "Cite a study?"}, dict(anonymous=404, other=404, viewer=403, commenter=201, editor=201, owner=201, admin=201)),
    ("add statement", "POST", "{m}/statements", {"id": "n", "text": "New."}, dict(anonymous=404, other=404, viewer=403, commenter=403, editor=201, owner=201, admin=201)),
    ("patch statement", "PATCH", "{m}/statements/c1", {"text": "Edited."}, dict(anonymous=404, other=404, viewer=403, commenter=403, editor=200, owner=200, admin=200)),
    ("delete statement", "DELETE", "{m}/statements/r1?cascade=true", None, dict(anonymous=404, other=404, viewer=403, commenter=403, editor=200, owner=200, admin=200)),
    ("patch map", "PATCH", "{m}", {"title": "Renamed"}, dict(anonymous=404, other=404, viewer=403, commenter=403, editor=200, owner=200, admin=200)),
    ("replace map", "PUT", "{m}", small_map(title="Replaced"), dict(anonymous=404, other=404, viewer=403, commenter=403, editor=200, owner=200, admin=200)),
    ("restore", "POST", "{m}/revisions/1/restore", None, dict(anonymous=404, other=404, viewer=403, commenter=403, editor=201, owner=201, admin=201)),
    ("make public", "PATCH", "{m}", {"visibility": "public"}, dict(anonymous=404, other=404, viewer=403, commenter=403, editor=403, owner=200, admin=200)),
    ("share", "POST", "{m}/shares", {"name": "class 7b"}, dict(anonymous=404, other=404, viewer=403, commenter=403, editor=403, owner=201, admin=201)),
    ("list shares", "GET", "{m}/shares", None, dict(anonymous=404, other=404, viewer=403, commenter=403, editor=403, owner=200, admin=200)),
    ("grant", "PUT", "{m}/members/{other}", {"role": "viewer"}, dict(anonymous=404, other=404, viewer=403, commenter=403, editor=403, owner=200, admin=200)),
    ("delete map", "DELETE", "{m}", None, dict(anonymous=404, other=404, viewer=403, commenter=403, editor=403, owner=204, admin=204)),
]  # fmt: skip


async def setup_private_map(client: Any, db: Database, actors: Actors) -> tuple[str, dict[str, str | None]]:
    r = await client.post("/maps", json=small_map(), headers=actors.h(actors.teacher))
    assert r.status_code == 201, r.text
    url = f"/maps/{r.json()['id']}"
    tokens: dict[str, str | None] = {"anonymous": None, "other": actors.other, "owner": actors.teacher, "admin": actors.admin}
    # A share link is no account: on the API its holder is anonymous (the link itself is
    # exercised in test_share_links and test_share_link_matrix).
    tokens["share-link holder"] = None
    for role in ("viewer", "commenter", "editor"):
        uid, token = await make_user(db, f"{role} user {uuid.uuid4().hex[:6]}", "student")
        got = await client.put(f"{url}/members/{uid}", json={"role": role}, headers=actors.h(actors.teacher))
        assert got.status_code == 200, got.text
        tokens[role] = token
    return url, tokens


@pytest.mark.parametrize("role", ROLES)
async def test_role_matrix(client: Any, db: Database, actors: Actors, role: str) -> None:
    for name, method, path, body, expected in MATRIX:
        url, tokens = await setup_private_map(client, db, actors)
        target = path.format(m=url, other=actors.other_id)
        r = await client.request(method, target, json=body, headers=actors.h(tokens[role]))
        want = expected["anonymous" if role == "share-link holder" else role]
        assert r.status_code == want, f"{role} {name}: {r.status_code} {r.text[:200]}"
        if r.status_code >= 400:
            problem(r, want)
        if want == 401:
            assert "www-authenticate" in r.headers


async def test_private_maps_are_not_listed(client: Any, actors: Actors) -> None:
    await client.post("/maps", json=small_map(title="Secret"), headers=actors.h(actors.teacher))
    await client.post("/maps", params={"visibility": "public"}, json=small_map(title="Open"), headers=actors.h(actors.teacher))
    await client.post("/maps", params={"visibility": "unlisted"}, json=small_map(title="Hidden link"), headers=actors.h(actors.teacher))
    seen = {m["title"] for m in (await client.get("/maps")).json()["items"]}
    assert seen == {"Open"}
    seen = {m["title"] for m in (await client.get("/maps", headers=actors.h(actors.other))).json()["items"]}
    assert seen == {"Open"}
    assert (await client.get("/maps", headers=actors.h(actors.teacher))).json()["total"] == 3
    assert (await client.get("/maps", headers=actors.h(actors.admin))).json()["total"] == 3


async def test_public_maps_are_readable_but_not_writable_anonymously(client: Any, actors: Actors) -> None:
    r = await client.post("/maps", params={"visibility": "public"}, json=small_map(), headers=actors.h(actors.teacher))
    url = f"/maps/{r.json()['id']}"
    assert (await client.get(url)).status_code == 200
    assert (await client.get(url, headers=actors.h(actors.other))).status_code == 200
    body = problem(await client.patch(url, json={"title": "x"}), 401)
    assert "token" in body["detail"]
    problem(await client.patch(url, json={"title": "x"}, headers=actors.h(actors.other)), 403)


async def test_unlisted_maps_open_only_through_a_share_link(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    r = await client.post("/maps", params={"visibility": "unlisted"}, json=small_map(), headers=h)
    url = f"/maps/{r.json()['id']}"
    problem(await client.get(url), 404)
    problem(await client.get(url, headers=actors.h(actors.other)), 404)
    share = (await client.post(f"{url}/shares", json={}, headers=h)).json()
    assert share["map_visibility"] == "unlisted"
    assert (await client.get(f"/s/{share['token']}/map")).status_code == 200
    # private again: every link closes at once, and opens again when shared again
    assert (await client.patch(url, json={"visibility": "private"}, headers=h)).json()["visibility"] == "private"
    problem(await client.get(f"/s/{share['token']}"), 404)
    await client.patch(url, json={"visibility": "unlisted"}, headers=h)
    assert (await client.get(f"/s/{share['token']}")).status_code == 200


async def test_share_links(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    r = await client.post("/maps", json=small_map(), headers=h)
    url = f"/maps/{r.json()['id']}"
    share = (await client.post(f"{url}/shares", json={"name": "period 3"}, headers=h)).json()
    token = share["token"]
    # a private map becomes unlisted: "anyone with the link" is what a link means
    assert share["map_visibility"] == "unlisted"
    assert (await client.get(url, headers=h)).json()["revision"] == 2
    assert share["url"].endswith(f"/s/{token}") and len(token) >= 40
    page = await client.get(f"/s/{token}")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert (await client.get(f"/s/{token}/map")).json()["title"] == "School uniforms"
    exported = await client.get(f"/s/{token}/export", params={"format": "argdown"})
    assert exported.status_code == 200 and "Schools should require uniforms." in exported.text
    # the listing never shows the secret
    listed = (await client.get(f"{url}/shares", headers=h)).json()
    assert listed[0]["name"] == "period 3" and token not in str(listed)
    # the share link does not open the map's own API
    problem(await client.get(url), 404)
    await client.delete(f"{url}/shares/{share['id']}", headers=h)
    problem(await client.get(f"/s/{token}"), 404)
    problem(await client.get(f"/s/{token}/map"), 404)


async def test_expired_share_link(client: Any, db: Database, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    r = await client.post("/maps", json=small_map(), headers=h)
    url = f"/maps/{r.json()['id']}"
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    problem(await client.post(f"{url}/shares", json={"expires_at": past}, headers=h), 400)
    async with db.write() as conn:
        _, secret = await accounts.create_share(conn, uuid.UUID(r.json()["id"]), actors.teacher_id, "old", datetime.now(UTC) - timedelta(seconds=1))
    problem(await client.get(f"/s/{secret}"), 404)


async def test_token_lifecycle_and_bad_tokens(client: Any, db: Database, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    created = (await client.post("/auth/tokens", json={"name": "laptop"}, headers=h)).json()
    secret = created["token"]
    assert secret.startswith("amp_") and len(secret) >= 40
    me = await client.get("/users/me", headers=actors.h(secret))
    assert me.json()["name"] == "Tess Teacher"
    listed = (await client.get("/auth/tokens", headers=h)).json()
    assert {t["name"] for t in listed} == {"test", "laptop"} and secret not in str(listed)
    assert (await client.delete(f"/auth/tokens/{created['id']}", headers=h)).status_code == 204
    body = problem(await client.get("/users/me", headers=actors.h(secret)), 401)
    assert "revoked" in body["detail"]
    for header in ("Bearer", "Basic abc", "Bearer amp_wrong", "Token x"):
        r = await client.get("/users/me", headers={"Authorization": header})
        problem(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert "amp_wrong" not in r.text
    async with db.write() as conn:
        _, expired = await accounts.create_token(conn, actors.teacher_id, "old", datetime.now(UTC) - timedelta(seconds=1))
    assert "expired" in problem(await client.get("/users/me", headers=actors.h(expired)), 401)["detail"]


async def test_tokens_of_a_deleted_user_stop_at_once(client: Any, actors: Actors) -> None:
    r = await client.post("/users", json={"name": "Sam Student", "email": "sam@example.org", "role": "student"}, headers=actors.h(actors.admin))
    assert r.status_code == 201, r.text
    sam = r.json()
    token = sam["token"]["token"]
    assert (await client.get("/users/me", headers=actors.h(token))).status_code == 200
    problem(await client.post("/users", json={"name": "x", "email": "sam@example.org"}, headers=actors.h(actors.admin)), 409)
    problem(await client.post("/users", json={"name": "x", "email": "y@example.org"}, headers=actors.h(actors.teacher)), 403)
    assert (await client.delete(f"/users/{sam['user']['id']}", headers=actors.h(actors.admin))).status_code == 204
    problem(await client.get("/users/me", headers=actors.h(token)), 401)


async def test_comments_survive_edits(client: Any, db: Database, actors: Actors) -> None:
    url, tokens = await setup_private_map(client, db, actors)
    ch = actors.h(tokens["commenter"])
    c = (await client.post(f"{url}/comments", json={"element": "i1", "text": "Are these premises enough?"}, headers=ch)).json()
    assert c["element"] == "i1" and c["element_exists"]
    problem(await client.post(f"{url}/comments", json={"element": "nope", "text": "?"}, headers=ch), 422)
    await client.patch(f"{url}/statements/c1", json={"text": "Reworded claim."}, headers=actors.h(actors.teacher))
    listed = (await client.get(f"{url}/comments", params={"element": "i1"}, headers=ch)).json()
    assert [x["text"] for x in listed] == ["Are these premises enough?"] and listed[0]["author"].startswith("commenter")
    # A comment outlives its element and says so; the others still point at live elements.
    await client.post(f"{url}/comments", json={"element": "k1", "text": "Is this a rebuttal?"}, headers=ch)
    await client.post(f"{url}/comments", json={"element": "r1", "text": "Source?"}, headers=ch)
    assert (await client.delete(f"{url}/conflicts/k1", headers=actors.h(actors.teacher))).status_code == 200
    every = (await client.get(f"{url}/comments", headers=ch)).json()
    assert {x["element"]: x["element_exists"] for x in every} == {"i1": True, "k1": False, "r1": True}
    problem(await client.post(f"{url}/comments", json={"element": "k1", "text": "?"}, headers=ch), 422)
    # an editor may not delete another's comment; the owner may
    problem(await client.delete(f"{url}/comments/{c['id']}", headers=actors.h(tokens["editor"])), 403)
    assert (await client.delete(f"{url}/comments/{c['id']}", headers=actors.h(actors.teacher))).status_code == 204


async def test_every_revision_records_its_user(client: Any, db: Database, actors: Actors) -> None:
    url, tokens = await setup_private_map(client, db, actors)
    await client.patch(f"{url}/statements/c1", json={"text": "By the editor."}, headers=actors.h(tokens["editor"]))
    revs = (await client.get(f"{url}/revisions", headers=actors.h(actors.teacher))).json()
    assert revs[0]["user"].startswith("editor user") and revs[-1]["user"] == "Tess Teacher"


async def test_auth_failures_are_rate_limited(database_url: str) -> None:
    from litestar.testing import AsyncTestClient

    from service.app import create_app
    from service.settings import Settings

    app = create_app(Settings(database_url=database_url, migrate_on_start=False, auth_failure_limit=3))
    async with AsyncTestClient(app=app) as c:
        for _ in range(3):
            problem(await c.get("/users/me", headers={"Authorization": "Bearer amp_guess"}), 401)
        r = await c.get("/users/me", headers={"Authorization": "Bearer amp_guess"})
        problem(r, 429)
        assert int(r.headers["retry-after"]) >= 1


async def test_writes_are_rate_limited(database_url: str, actors: Actors) -> None:
    from litestar.testing import AsyncTestClient

    from service.app import create_app
    from service.settings import Settings

    app = create_app(Settings(database_url=database_url, migrate_on_start=False, write_rate_limit=2))
    async with AsyncTestClient(app=app) as c:
        h = actors.h(actors.teacher)
        statuses = [(await c.post("/maps", json=small_map(), headers=h)).status_code for _ in range(3)]
        assert statuses == [201, 201, 429]
        assert (await c.get("/maps", headers=h)).status_code == 200  # reads are not limited


async def test_no_secret_reaches_the_logs(client: Any, actors: Actors, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    h = actors.h(actors.teacher)
    created = (await client.post("/auth/tokens", json={"name": "x"}, headers=h)).json()["token"]
    r = await client.post("/maps", json=small_map(), headers=h)
    share = (await client.post(f"/maps/{r.json()['id']}/shares", json={}, headers=h)).json()["token"]
    await client.get("/users/me", headers={"Authorization": "Bearer amp_not_a_real_token_123"})
    await client.get(f"/s/{share}")
    # The test client's own httpx logger prints request URLs; the server must not.
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert caplog.records, "nothing was logged at all, so this test would prove nothing"
    from service.db.accounts import hash_secret

    for secret in (actors.teacher, created, share, "amp_not_a_real_token_123"):
        assert secret not in text and hash_secret(secret) not in text


SHARE_ROUTES = [("GET", ""), ("GET", "/debate"), ("GET", "/map"), ("GET", "/export?format=argdown"), ("POST", "/map"), ("DELETE", "")]


async def test_share_link_matrix(client: Any, actors: Actors) -> None:
    """The share-link holder's own routes: read-only, and only while the link lives."""
    h = actors.h(actors.teacher)
    r = await client.post("/maps", json=small_map(), headers=h)
    url = f"/maps/{r.json()['id']}"
    share = (await client.post(f"{url}/shares", json={}, headers=h)).json()
    for method, suffix in SHARE_ROUTES:
        got = await client.request(method, f"/s/{share['token']}{suffix}")
        assert got.status_code == (200 if method == "GET" else 405), (method, suffix, got.status_code)
    problem(await client.get(f"/s/{share['token'][:-2]}xx"), 404)
    await client.delete(f"{url}/shares/{share['id']}", headers=h)
    for method, suffix in SHARE_ROUTES:
        got = await client.request(method, f"/s/{share['token']}{suffix}")
        assert got.status_code == (404 if method == "GET" else 405), (method, suffix, got.status_code)
