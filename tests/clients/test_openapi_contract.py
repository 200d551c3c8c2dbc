"""The committed contract (clients/openapi.json) against the schema the app serves, and
the SDK against every operation in it."""

import inspect
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from argmap_client import (
    OPERATIONS,
    AsyncClient,
    Author,
    Client,
    ConflictElement,
    Equivalence,
    Inference,
    MapDocument,
    Source,
    Statement,
    Topic,
)
from support import ROOT

COMMITTED = ROOT / "clients" / "openapi.json"
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def served_schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What GET /schema/openapi.json returns from the app built from this tree."""
    from litestar.testing import TestClient

    from service.app import create_app
    from service.settings import Settings

    db = tmp_path_factory.mktemp("openapi") / "unused.sqlite3"
    app = create_app(Settings(database_url=f"sqlite+aiosqlite:///{db}", migrate_on_start=False))
    from service.cli.remote import reset_example_seed

    with TestClient(app) as client:
        # Other tests in this process may have built a schema already (see reset_example_seed).
        reset_example_seed()
        response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def test_committed_schema_is_the_served_schema(served_schema: dict[str, Any]) -> None:
    assert COMMITTED.exists(), "clients/openapi.json is missing: run argmap openapi --write clients/openapi.json"
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    if committed != served_schema:
        added = sorted(set(served_schema["paths"]) - set(committed["paths"]))
        removed = sorted(set(committed["paths"]) - set(served_schema["paths"]))
        pytest.fail(
            "clients/openapi.json differs from the served schema "
            f"(paths added: {added}, removed: {removed}); run: argmap openapi --write clients/openapi.json"
        )
    # The file is in canonical form, so regenerating an unchanged API leaves git clean.
    from service.cli.remote import canonical_json

    assert COMMITTED.read_text(encoding="utf-8") == canonical_json(served_schema)


def test_every_served_operation_has_an_sdk_method(served_schema: dict[str, Any]) -> None:
    missing = [
        f"{m} {p} ({op.get('operationId')})" for m, p, op in operations(served_schema) if (m, p) not in OPERATIONS
    ]
    assert not missing, "operations without an SDK method: " + ", ".join(missing)
    for name in set(OPERATIONS.values()):
        assert callable(getattr(Client, name, None)), f"Client lacks {name}"
        async_method = getattr(AsyncClient, name, None)
        assert async_method is not None, f"AsyncClient lacks {name}"
        assert inspect.iscoroutinefunction(async_method) or inspect.isasyncgenfunction(async_method), name


def test_the_sdk_table_names_no_operation_the_server_lacks(served_schema: dict[str, Any]) -> None:
    served = {(m, p) for m, p, _ in operations(served_schema)}
    stale = sorted(k for k in OPERATIONS if k not in served)
    assert not stale, f"the SDK maps operations the server does not serve: {stale}"


class Sent(Exception):
    """Raised by the recording transport to stop a call once its request is seen."""


SAMPLE_ELEMENTS: dict[str, Any] = {
    "authors": Author(id="e", name="n"),
    "sources": Source(id="e", title="t"),
    "topics": Topic(id="e", title="t"),
    "statements": Statement(id="e", text="x"),
    "inferences": Inference(id="e", premises=["a"], conclusion="b"),
    "conflicts": ConflictElement(id="e", attacker="a", target="b"),
    "equivalences": Equivalence(id="e", first="a", second="b"),
}


def _arguments(method: Any, path: str) -> dict[str, Any]:
    """Placeholder arguments for an SDK method, by parameter name."""
    parts = path.split("/")
    collection = parts[3] if len(parts) > 3 and parts[3] in SAMPLE_ELEMENTS else "statements"
    values: dict[str, Any] = {
        "ref": "m",
        "collection": collection,
        "element_id": "e",
        "element": SAMPLE_ELEMENTS[collection],
        "document": MapDocument(title="t"),
        "changes": {"text": "y"},
        "revision": 1,
        "user_id": "u",
        "token_id": "t",
        "share_id": "s",
        "comment_id": "c",
        "token": "tok",
        "name": "n",
        "email": "e@example.org",
        "role": "viewer",
        "text": "t",
        "data": b"x",
        "reference": "r",
        "candidate": "k",
        "pairs": [("a", "b")],
        "authors": ["a", "b"],
        "fn": lambda d: d,
    }
    required = [
        p.name
        for p in list(inspect.signature(method).parameters.values())
        if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    return {name: values[name] for name in required}


def _template_regex(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")


@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS))
def test_each_sdk_method_sends_the_request_its_table_entry_names(method: str, path: str) -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        raise Sent

    name = OPERATIONS[(method, path)]
    with Client("http://argmap.test", "t", transport=httpx.MockTransport(record)) as api:
        bound = getattr(api, name)
        result = None
        with pytest.raises(Sent):
            result = bound(**_arguments(bound, path))
            if inspect.isgenerator(result):
                next(result)
    assert len(seen) == 1
    assert seen[0].method == method
    assert _template_regex(path).match(seen[0].url.path), f"{name} sent {seen[0].url.path}, not {path}"


def test_sync_client_is_generated_from_the_async_one() -> None:
    script = ROOT / "clients" / "python" / "generate_sync.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_openapi_command_writes_the_committed_form(cli: Any, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    target = tmp_path / "openapi.json"
    result = CliRunner().invoke(cli, ["openapi", "--write", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8")
    stale = tmp_path / "stale.json"
    stale.write_text("{}\n")
    check = CliRunner().invoke(cli, ["openapi", "--check", str(stale)])
    assert check.exit_code == 1
    assert "differs" in check.stderr
