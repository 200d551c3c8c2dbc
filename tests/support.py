"""Helpers shared by the tests: paths, ready-made users, a small map, problem checks.

Kept out of conftest.py so that tests import them by a name no other conftest can shadow.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from service.db import accounts
from service.db.engine import Database

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PG_URL = os.environ.get("ARGMAP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ARGMAP = Path(sys.executable).with_name("argmap")


@dataclass(frozen=True)
class LiveServer:
    """A real `argmap serve` process on a free port."""

    backend: str
    url: str
    token: str
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_healthy(url: str, proc: "subprocess.Popen[bytes]", log: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"argmap serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"argmap serve did not become healthy in {timeout} s:\n{log.read_text()[-3000:]}")


@contextmanager
def running_server(
    database_url: str,
    workdir: Path,
    *,
    args: tuple[str, ...] = ("serve", "--demo"),
    token: str = "",
    env: dict[str, str] | None = None,
    backend: str = "sqlite",
) -> Iterator[LiveServer]:
    """Start `argmap <args>` as a subprocess, wait for /health, stop it afterwards."""
    port = free_port()
    full_env = {
        **os.environ,
        "ARGMAP_DATABASE_URL": database_url,
        "ARGMAP_HOST": "127.0.0.1",
        "ARGMAP_PORT": str(port),
        "ARGMAP_LOG_LEVEL": "WARNING",
        **({"ARGMAP_DEMO_TOKEN": token} if token else {}),
        **(env or {}),
    }
    full_env.pop("ARGMAP_PUBLIC_URL", None)
    log = workdir / f"server-{port}.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([str(ARGMAP), *args], env=full_env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log)
        yield LiveServer(backend=backend, url=url, token=token, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Actors:
    """Tokens of ready-made users for permission tests."""

    admin: str
    teacher: str
    other: str
    teacher_id: uuid.UUID
    other_id: uuid.UUID

    def h(self, token: str | None) -> dict[str, str]:
        return {} if token is None else {"Authorization": f"Bearer {token}"}


async def make_user(db: Database, name: str, role: str = "teacher") -> tuple[uuid.UUID, str]:
    async with db.write() as conn:
        uid = await accounts.create_user(
            conn, name=name, email=f"{name.lower().replace(' ', '.')}@example.org", role=role
        )
        _, token = await accounts.create_token(conn, uid, "test", None)
    return uid, token


def small_map(**overrides: Any) -> dict[str, Any]:
    """A small map using every element kind: linked premises, an undercut, a stance."""
    doc: dict[str, Any] = {
        "format": "argmap/1",
        "title": "School uniforms",
        "description": "Should schools require uniforms?",
        "authors": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
        "sources": [{"id": "src", "title": "Class debate notes", "year": 2026}],
        "topics": [{"id": "uniforms", "title": "Should uniforms be required?"}],
        "statements": [
            {"id": "c1", "text": "Schools should require uniforms.", "author": "ann",
             "stances": [{"topic": "uniforms", "stance": "pro"}],
             "locator": {"source": "src", "page": 2, "paragraph": 1}},
            {"id": "p1", "text": "Uniforms reduce visible income differences.", "kind": "premise", "author": "ann"},
            {"id": "p2", "text": "Visible income differences fuel bullying.", "kind": "premise", "author": "ann"},
            {"id": "r1", "text": "Uniforms limit self-expression.", "kind": "rebuttal", "author": "bob",
             "stances": [{"topic": "uniforms", "stance": "con"}]},
            {"id": "u1", "text": "Bullying simply moves to shoes and phones.", "kind": "rebuttal", "author": "bob"},
        ],
        "inferences": [{"id": "i1", "premises": ["p1", "p2"], "conclusion": "c1", "author": "ann"}],
        "conflicts": [
            {"id": "k1", "attacker": "r1", "target": "c1", "author": "bob"},
            {"id": "k2", "attacker": "u1", "target": "i1", "kind": "undercut", "author": "bob"},
        ],
        "equivalences": [],
    }  # fmt: skip
    doc.update(overrides)
    return doc


def problem(r: Any, status: int) -> dict[str, Any]:
    """Assert `r` is an RFC 9457 problem with `status`, and return its body."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers["content-type"]
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["title"] and body["detail"], body
    return body
