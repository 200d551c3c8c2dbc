"""Helpers shared by the tests: paths, ready-made users, a small map, problem checks.

Kept out of conftest.py so that tests import them by a name no other conftest can shadow.
"""

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.db import accounts
from service.db.engine import Database

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PG_URL = os.environ.get("ARGMAP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


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
