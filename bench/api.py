"""API benchmark: whole-map reads and bulk creation, against floors measured in the same run.

For each database (SQLite, and PostgreSQL when reachable) it starts the real server
(`argmap serve`, uvicorn, one process) and measures:

1. GET of a 1,000-statement map (~1,500 inferences and conflicts): median latency over
   HTTP, against the floor = the same rows fetched with the raw driver and encoded with
   msgspec in-process.                                     target: ratio <= 3
2. POST of a 100,000-statement native document: wall time, against the floor = the same
   rows inserted with the raw driver (sqlite3 executemany / asyncpg COPY) into an empty
   migrated database.                                      target: ratio <= 2
   and the server's peak RSS.                              target: < 1 GB
3. GET of that 100,000-statement map, against its raw fetch + encode floor. target: <= 3

Usage: python bench/api.py [--quick] [--databases sqlite,postgresql]
"""

import argparse
import asyncio
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mapgen import generate

from service.db import graph_store
from service.db.migrate import upgrade
from service.domain.formats import native
from service.domain.graph import MapDocument

PG_ADMIN = os.environ.get("ARGMAP_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TOKEN = "bench-" + uuid.uuid4().hex
TABLE_ORDER = ["author", "source", "topic", "statement", "statement_stance", "inference", "inference_premise", "conflict", "equivalence"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def records(doc: MapDocument, mid: Any) -> dict[str, list[tuple[Any, ...]]]:
    """The rows our storage writes for `doc`, built before any timing starts."""
    out: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLE_ORDER}
    for collection in graph_store.COLLECTION_TABLE:
        out.update(graph_store.element_rows(collection, list(enumerate(getattr(doc, collection))), mid))
    return out


# ---- databases ------------------------------------------------------------------------


class Backend:
    name: str

    def new_database(self) -> str:
        raise NotImplementedError

    def drop(self, url: str) -> None:
        pass


class SQLite(Backend):
    name = "sqlite"

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp

    def new_database(self) -> str:
        path = self.tmp / f"{uuid.uuid4().hex}.sqlite3"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        return url


class Postgres(Backend):
    name = "postgresql"

    def __init__(self) -> None:
        import psycopg

        self.admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
        self.base = PG_ADMIN.rsplit("/", 1)[0]

    def new_database(self) -> str:
        name = f"argmap_bench_{uuid.uuid4().hex[:10]}"
        self.admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{self.base}/{name}"
        upgrade(url)
        return url

    def drop(self, url: str) -> None:
        self.admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


# ---- floors: the raw driver -------------------------------------------------------------


def _sqlite_file(url: str) -> str:
    return url.split(":///", 1)[1]


def floor_insert(backend: Backend, url: str, doc: MapDocument) -> float:
    mid = uuid.uuid4()
    if backend.name == "sqlite":
        rows = records(doc, mid.hex)
        con = sqlite3.connect(_sqlite_file(url), isolation_level=None)
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute(
            "INSERT INTO argument_map (id, title, description, revision, visibility, created_at, updated_at)"
            " VALUES (?, 'floor', '', 1, 'private', '2026-01-01', '2026-01-01')",
            (mid.hex,),
        )
        t0 = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        for table in TABLE_ORDER:
            cols = graph_store.COLUMNS[table]
            if rows[table]:
                sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                con.executemany(sql, rows[table])
        con.execute("COMMIT")
        elapsed = time.perf_counter() - t0
        con.close()
        return elapsed

    async def pg() -> float:
        import asyncpg

        rows = records(doc, mid)
        conn = await asyncpg.connect(url)
        await conn.execute(
            "INSERT INTO argument_map (id, title, description, revision, visibility, created_at, updated_at)"
            " VALUES ($1, 'floor', '', 1, 'private', now(), now())",
            mid,
        )
        t0 = time.perf_counter()
        async with conn.transaction():
            for table in TABLE_ORDER:
                if rows[table]:
                    await conn.copy_records_to_table(table, records=rows[table], columns=graph_store.COLUMNS[table])
        elapsed = time.perf_counter() - t0
        await conn.close()
        return elapsed

    return asyncio.run(pg())


def floor_read(backend: Backend, url: str, map_id: str, repeat: int) -> float:
    """Median time to fetch every row of one map with the raw driver and encode it."""
    mid = uuid.UUID(map_id)
    times: list[float] = []
    if backend.name == "sqlite":
        con = sqlite3.connect(_sqlite_file(url))
        for _ in range(repeat):
            t0 = time.perf_counter()
            out = {"map": con.execute("SELECT * FROM argument_map WHERE id = ?", (mid.hex,)).fetchall()}
            for table in TABLE_ORDER:
                out[table] = con.execute(f"SELECT * FROM {table} WHERE map_id = ? ORDER BY pos", (mid.hex,)).fetchall()
            msgspec.json.encode(out)
            times.append(time.perf_counter() - t0)
        con.close()
        return statistics.median(times)

    async def pg() -> float:
        import asyncpg

        conn = await asyncpg.connect(url)
        for _ in range(repeat):
            t0 = time.perf_counter()
            out = {"map": [tuple(r) for r in await conn.fetch("SELECT * FROM argument_map WHERE id = $1", mid)]}
            for table in TABLE_ORDER:
                rows = await conn.fetch(f"SELECT * FROM {table} WHERE map_id = $1 ORDER BY pos", mid)
                out[table] = [tuple(r) for r in rows]
            msgspec.json.encode(out, enc_hook=str)
            times.append(time.perf_counter() - t0)
        await conn.close()
        return statistics.median(times)

    return asyncio.run(pg())


# ---- the server -------------------------------------------------------------------------


class Server:
    def __init__(self, url: str, log: Path) -> None:
        self.port = free_port()
        exe = Path(sys.executable).parent / "argmap"
        env = {
            **os.environ,
            "ARGMAP_DATABASE_URL": url,
            "ARGMAP_PORT": str(self.port),
            "ARGMAP_DEMO_TOKEN": TOKEN,
            "ARGMAP_LOG_LEVEL": "WARNING",
            "ARGMAP_MAX_BODY_BYTES": str(200 * 1024 * 1024),
            "ARGMAP_WRITE_RATE_LIMIT": "100000",
        }
        self.log = log.open("wb")
        empty = Path(tempfile.mkdtemp())
        # --demo gives a known token; run from an empty folder so no shipped maps load.
        self.proc = subprocess.Popen([str(exe), "serve", "--demo"], env=env, cwd=empty, stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: see {log}")
            time.sleep(0.2)
        self.http = httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=600)

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.http.close()
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def run_backend(backend: Backend, quick: bool, tmp: Path) -> list[tuple[str, float, float]]:
    """Returns (figure, value, target) triples; value/target <= 1 means on target."""
    results: list[tuple[str, float, float]] = []
    big_n = 20_000 if quick else 100_000
    repeat = 15 if quick else 40
    url = backend.new_database()
    server = Server(url, tmp / f"server-{backend.name}.log")
    try:
        small = generate(1000, relations_per_statement=1.5, title="Read benchmark")
        r = server.http.post("/maps", content=native.encode(small), headers={"Content-Type": "application/json"})
        r.raise_for_status()
        small_id = r.json()["id"]
        for _ in range(5):  # warm up connections and caches
            server.http.get(f"/maps/{small_id}").raise_for_status()
        lat = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            got = server.http.get(f"/maps/{small_id}")
            lat.append(time.perf_counter() - t0)
            got.raise_for_status()
        get_ms = statistics.median(lat) * 1000
        floor_ms = floor_read(backend, url, small_id, repeat) * 1000
        rel = len(small.inferences) + len(small.conflicts)
        print(f"[{backend.name}] GET 1,000 statements + {rel} relations: median {get_ms:.1f} ms; "
              f"floor (raw fetch + msgspec encode) {floor_ms:.1f} ms; ratio {get_ms / floor_ms:.2f} (target <= 3)")  # fmt: skip
        results.append((f"{backend.name}.get_1k_ratio", get_ms / floor_ms, 3.0))

        big = generate(big_n, relations_per_statement=1.0, title="Bulk benchmark")
        body = native.encode(big)
        floor_url = backend.new_database()
        try:
            floor_s = floor_insert(backend, floor_url, big)
        finally:
            backend.drop(floor_url)
        t0 = time.perf_counter()
        r = server.http.post("/maps", content=body, headers={"Content-Type": "application/json"})
        post_s = time.perf_counter() - t0
        r.raise_for_status()
        big_id = r.json()["id"]
        rss = server.peak_rss_mb()
        print(f"[{backend.name}] POST {big_n:,} statements ({len(body) / 1e6:.1f} MB): {post_s:.2f} s; "
              f"floor (raw {'COPY' if backend.name == 'postgresql' else 'executemany'} of the same rows) {floor_s:.2f} s; "
              f"ratio {post_s / floor_s:.2f} (target <= 2); server peak RSS {rss:.0f} MB (target < 1024)")  # fmt: skip
        results.append((f"{backend.name}.post_ratio", post_s / floor_s, 2.0))
        results.append((f"{backend.name}.server_rss_mb", rss, 1024.0))

        reads = []
        for _ in range(3):
            t0 = time.perf_counter()
            server.http.get(f"/maps/{big_id}").raise_for_status()
            reads.append(time.perf_counter() - t0)
        read_s = statistics.median(reads)
        read_floor = floor_read(backend, url, big_id, 3)
        print(f"[{backend.name}] GET {big_n:,} statements: {read_s:.2f} s; floor {read_floor:.2f} s; "
              f"ratio {read_s / read_floor:.2f} (target <= 3)")  # fmt: skip
        results.append((f"{backend.name}.get_big_ratio", read_s / read_floor, 3.0))
    finally:
        server.stop()
        backend.drop(url)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20,000 statements instead of 100,000; fewer repeats")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    results: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for name in args.databases.split(","):
            try:
                backend: Backend = SQLite(tmp) if name == "sqlite" else Postgres()
            except Exception as e:  # PostgreSQL down: report it, keep measuring SQLite
                print(f"[{name}] skipped: {e}")
                continue
            results += run_backend(backend, args.quick, tmp)
    worst = max(results, key=lambda r: r[1] / r[2])
    print(f"worst: {worst[0]} = {worst[1]:.2f} against target {worst[2]:g}")
    score = worst[1] / worst[2]
    print(f"RESULT api: worst_ratio_over_target={score:.2f} target=1.00 {'ok' if score <= 1 else 'short'}")


if __name__ == "__main__":
    main()
