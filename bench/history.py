"""History benchmark: a revision diff of a big map over HTTP, against loading the two revisions.

For each database (a temporary SQLite file, and PostgreSQL in a throwaway database when
reachable) it runs the real app in-process (Litestar AsyncTestClient) and:

1. creates a 100,000-statement map with POST /maps (revision 1);
2. makes 20 element edits through the element endpoints (revisions 2..21): 12 statement
   text patches, 4 new statements, 2 inference patches and 2 cascading statement deletes;
3. times GET /maps/{id}/diff?from=1&to=21                         target: < 2 s
   and checks that the diff reports exactly those edits;
4. times GET /maps/{id}?revision=1 plus GET /maps/{id} (the baseline: reading the two
   revisions the diff has to compare) and prints diff / baseline.

Each timed request is run 3 times; the best is kept. Usage:
    python bench/history.py [--quick] [--databases sqlite,postgresql]
--quick uses 10,000 statements. The last line is the RESULT line (worst diff time over all
databases against the 2 s target).
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent))
from litestar.testing import AsyncTestClient
from mapgen import generate

from service.app import create_app
from service.db import accounts
from service.db.engine import Database
from service.db.migrate import upgrade
from service.settings import Settings

PG_ADMIN = os.environ.get("ARGMAP_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TARGET_S = 2.0
REPEAT = 3


async def best_of(fn: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        out = await fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


async def run_backend(label: str, url: str, n: int) -> float:
    db = Database(url)
    async with db.write() as conn:
        uid = await accounts.create_user(
            conn, name="Bench", email=f"bench-{uuid.uuid4().hex[:8]}@example.org", role="teacher"
        )
        _, token = await accounts.create_token(conn, uid, "bench", None)
    await db.dispose()
    h = {"Authorization": f"Bearer {token}"}
    settings = Settings(
        database_url=url, migrate_on_start=False, write_rate_limit=1_000_000, max_body_bytes=1024 * 1024 * 1024
    )
    doc = generate(n, title="History benchmark")
    body = msgspec.json.encode(doc)
    async with AsyncTestClient(app=create_app(settings), timeout=600) as c:
        t0 = time.perf_counter()
        r = await c.post("/maps", content=body, headers={**h, "Content-Type": "application/json"})
        assert r.status_code == 201, r.text[:500]
        mid = r.json()["id"]
        print(
            f"[{label}] POST /maps with {n:,} statements ({len(body) / 1e6:.1f} MB): {time.perf_counter() - t0:.2f} s"
        )

        url_map = f"/maps/{mid}"
        edits: list[tuple[str, str, dict[str, Any] | None]] = []
        for k in range(12):
            sid = f"s{(k * 7919) % n}"
            edits.append(("PATCH", f"{url_map}/statements/{sid}", {"text": f"Edited statement {k}."}))
        for k in range(4):
            edits.append(
                ("POST", f"{url_map}/statements", {"id": f"new{k}", "text": f"A new statement {k}.", "author": "a0"})
            )
        inferences = [i for i in doc.inferences if len(i.premises) == 1][:2]
        for inf in inferences:
            edits.append(("PATCH", f"{url_map}/inferences/{inf.id}", {"scheme": "practical reasoning"}))
        deleted = [f"s{n - 1}", f"s{n - 2}"]
        for sid in deleted:
            edits.append(("DELETE", f"{url_map}/statements/{sid}?cascade=true", None))
        t0 = time.perf_counter()
        for method, path, payload in edits:
            r = await c.request(method, path, json=payload, headers=h)
            assert r.status_code in (200, 201), (method, path, r.status_code, r.text[:300])
        last = len(edits) + 1
        print(f"[{label}] {len(edits)} element edits (revisions 2..{last}): {time.perf_counter() - t0:.2f} s")

        t_diff, r = await best_of(lambda: c.get(f"{url_map}/diff", params={"from": 1, "to": last}, headers=h))
        assert r.status_code == 200, r.text[:500]
        d = r.json()
        st = d["statements"]
        # What the edits must show: 12 statements changed (distinct ids), 4 added, 2 removed
        # (plus what the cascade removed with them), 2 inferences changed.
        patched = {f"s{(k * 7919) % n}" for k in range(12)} - set(deleted)
        assert {c_["id"] for c_ in st["changed"]} == patched, st["changed"][:3]
        assert sorted(s["id"] for s in st["added"]) == [f"new{k}" for k in range(4)]
        assert sorted(s["id"] for s in st["removed"]) == sorted(deleted)
        assert {i["id"] for i in d["inferences"]["changed"]} >= {i.id for i in inferences}
        counts = {
            k: (len(v["added"]), len(v["removed"]), len(v["changed"])) for k, v in d.items() if isinstance(v, dict)
        }
        print(f"[{label}] diff r1..r{last}: (added, removed, changed) per collection: {counts}")

        t_old, r1 = await best_of(lambda: c.get(url_map, params={"revision": 1}, headers=h))
        t_new, r2 = await best_of(lambda: c.get(url_map, headers=h))
        assert r1.status_code == 200 and r2.status_code == 200
        baseline = t_old + t_new
        print(
            f"[{label}] GET diff: {t_diff:.3f} s (target < {TARGET_S:.0f} s); baseline GET revision 1 {t_old:.3f} s "
            f"+ GET current {t_new:.3f} s = {baseline:.3f} s; ratio diff/baseline {t_diff / baseline:.2f}x"
        )
    return t_diff


def sqlite_url(tmp: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp / 'history.sqlite3'}"
    upgrade(url)
    return url


def postgres_admin() -> Any:
    try:
        import psycopg

        return psycopg.connect(
            PG_ADMIN.replace("postgresql+asyncpg://", "postgresql://"), autocommit=True, connect_timeout=3
        )
    except Exception as e:  # any failure means: skip PostgreSQL, say why
        print(f"[postgresql] skipped: not reachable at {PG_ADMIN}: {str(e).strip().splitlines()[0] if str(e) else e!r}")
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10,000 statements instead of 100,000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    n = 10_000 if args.quick else 100_000
    results: dict[str, float] = {}
    backends = [b.strip() for b in args.databases.split(",") if b.strip()]
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory() as tmp:
            results["sqlite"] = asyncio.run(run_backend("sqlite", sqlite_url(Path(tmp)), n))
    if "postgresql" in backends:
        admin = postgres_admin()
        if admin is not None:
            name = f"argmap_bench_{uuid.uuid4().hex[:10]}"
            admin.execute(f'CREATE DATABASE "{name}"')
            url = f"{PG_ADMIN.replace('postgresql+asyncpg://', 'postgresql://').rsplit('/', 1)[0]}/{name}"
            try:
                upgrade(url)
                results["postgresql"] = asyncio.run(run_backend("postgresql", url, n))
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.close()
    worst = max(results.values())
    print("diff_s: " + ", ".join(f"{k}={v:.3f}" for k, v in results.items()) + f" ({n:,} statements)")
    print(f"RESULT history: diff_s={worst:.3f} target={TARGET_S:.1f} {'ok' if worst < TARGET_S else 'short'}")


if __name__ == "__main__":
    main()
