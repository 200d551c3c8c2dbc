"""Shared fixtures: the real app on a real database, SQLite and PostgreSQL.

Every test that takes `client` runs once per database. Each database is migrated once
per session with Alembic (the same path production uses); each test then starts from an
empty database: a copy of the migrated SQLite file, or TRUNCATE on PostgreSQL.

Outside programs (PostgreSQL, Chromium, Graphviz, node) are optional for a newcomer:
tests that need one skip with a reason. Under CI=true a skip is a failure, so CI cannot
go green by skipping.
"""

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from support import IN_CI, PG_URL, Actors, LiveServer, make_user, running_server

from service.app import create_app
from service.db.engine import Database
from service.db.migrate import upgrade
from service.settings import Settings

BACKENDS = [b for b in os.environ.get("ARGMAP_TEST_DATABASES", "sqlite,postgresql").split(",") if b]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which counts as a failure: {reason}"


# ---- databases -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


def _pg_admin() -> Any:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - dev extra missing
        pytest.skip("psycopg is not installed (pip install -e '.[dev]')")
    url = PG_URL.replace("postgresql+asyncpg://", "postgresql://")
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as e:
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}: {str(e).strip().splitlines()[0]}")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh database for this test session, dropped at the end."""
    admin = _pg_admin()
    name = f"argmap_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_URL.replace("postgresql+asyncpg://", "postgresql://").rsplit("/", 1)[0]
    url = f"{base}/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _pg_truncate(url: str) -> None:
    import psycopg

    from service.db.tables import metadata

    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {names} CASCADE")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database; the test runs once per backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "argmap.sqlite3"
        shutil.copy(template, path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("pg_database")
    _pg_truncate(url)
    return url


# ---- the app -------------------------------------------------------------------------


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, migrate_on_start=False, write_rate_limit=100_000)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient[Any]]:
    app = create_app(settings)
    async with AsyncTestClient(app=app) as c:
        yield c


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = Database(settings.database_url)
    yield database
    await database.dispose()


@pytest.fixture
async def actors(db: Database) -> Actors:
    _, admin = await make_user(db, "Ada Admin", "admin")
    tid, teacher = await make_user(db, "Tess Teacher")
    oid, other = await make_user(db, "Otto Other")
    return Actors(admin=admin, teacher=teacher, other=other, teacher_id=tid, other_id=oid)


# ---- a real server process ---------------------------------------------------------------

DEMO_TOKEN = "demo-token-for-live-tests-" + uuid.uuid4().hex[:12]


@pytest.fixture(scope="session", params=BACKENDS)
def live_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`argmap serve --demo` in a subprocess (shipped maps loaded), once per database.

    PostgreSQL gets a database of its own, created here and dropped afterwards, since the
    in-process tests truncate theirs after every test."""
    backend: str = request.param
    tmp = tmp_path_factory.mktemp(f"server-{backend}")
    admin = None
    name = ""
    if backend == "sqlite":
        db_url = f"sqlite+aiosqlite:///{tmp / 'argmap.sqlite3'}"
    else:
        admin = _pg_admin()
        name = f"argmap_live_{uuid.uuid4().hex[:10]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        db_url = PG_URL.replace("postgresql+asyncpg://", "postgresql://").rsplit("/", 1)[0] + "/" + name
    env = {
        "ARGMAP_ENV": "development",
        # The bulk-import test writes 1,000 maps in a few seconds.
        "ARGMAP_WRITE_RATE_LIMIT": "1000000",
        "ARGMAP_AUTH_FAILURE_LIMIT": "1000",
    }
    try:
        with running_server(db_url, tmp, token=DEMO_TOKEN, env=env, backend=backend) as server:
            yield server
    finally:
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
