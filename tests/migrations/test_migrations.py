"""Migrations match the models, and a populated database survives downgrade -> upgrade.

Run on both databases: SQLite's batch mode and PostgreSQL's DDL fail in different ways.
"""

from typing import Any

import anyio
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine
from support import Actors, small_map

from service.db.engine import normalise_url
from service.db.migrate import check, downgrade, upgrade
from service.db.tables import metadata


def test_migrations_match_the_models(database_url: str) -> None:
    # alembic check raises when autogenerate would emit any operation
    check(database_url)


async def row_counts(url: str) -> dict[str, int]:
    engine = create_async_engine(normalise_url(url))
    try:
        async with engine.connect() as conn:
            return {
                t.name: (await conn.execute(sa.select(sa.func.count()).select_from(t))).scalar_one()
                for t in metadata.sorted_tables
            }
    finally:
        await engine.dispose()


async def test_downgrade_then_upgrade_loses_no_row(client: Any, actors: Actors, database_url: str) -> None:
    h = actors.h(actors.teacher)
    for k in range(3):
        r = await client.post("/maps", json=small_map(title=f"Map {k}"), headers=h)
        url = f"/maps/{r.json()['id']}"
        await client.patch(f"{url}/statements/c1", json={"text": f"Edited {k}"}, headers=h)
        await client.post(f"{url}/shares", json={"name": "class"}, headers=h)
    before = await row_counts(database_url)
    # per map: created, edited, made unlisted by its share link
    assert before["statement"] == 15 and before["map_revision"] == 9 and before["share_link"] == 3
    # Downgrading to base drops everything by design; every step below head and back must
    # be lossless. 0002 makes SQLite recreate the parent table argument_map.
    # Alembic's env runs its own event loop, so it goes to a worker thread here.
    await anyio.to_thread.run_sync(downgrade, database_url, "0001")
    assert await row_counts(database_url) == before
    await anyio.to_thread.run_sync(upgrade, database_url)
    assert await row_counts(database_url) == before
    r = await client.get("/maps", headers=h)
    assert r.json()["total"] == 3


def test_full_downgrade_and_upgrade_recreates_the_schema(database_url: str) -> None:
    downgrade(database_url, "base")
    upgrade(database_url)
    check(database_url)
