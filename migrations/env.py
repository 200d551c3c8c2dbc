"""Alembic environment: async, batch mode on SQLite, its own engine.

It deliberately does not reuse the app's engine: the app turns SQLite foreign keys on,
and a batch migration that recreates a parent table would then cascade-delete its
children (STACK-NOTES P20). Here foreign keys are off during the migration and checked
with `PRAGMA foreign_key_check` afterwards.
"""

import asyncio
import os
from typing import Any

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel.sql.sqltypes import AutoString

from service.db.tables import metadata  # the only import from the app: its metadata

config = context.config


def database_url() -> str:
    url = config.attributes.get("database_url") or os.environ.get("ARGMAP_DATABASE_URL")
    if not url:
        from service.settings import default_database_url

        url = default_database_url()
    from service.db.engine import normalise_url

    return normalise_url(str(url))


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    # Keep generated migrations free of sqlmodel and app imports (STACK-NOTES P19).
    if type_ == "type":
        if isinstance(obj, AutoString):
            return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
        if type(obj).__name__ == "UTCDateTime":
            return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
        render_item=render_item,
    )


def _run(connection: sa.Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration left dangling foreign keys: {broken[:5]}")


async def run_async() -> None:
    url = database_url()
    engine = create_async_engine(url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":
        from service.db.engine import sqlite_path

        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
    async with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # Must be set outside a transaction to take effect.
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await conn.commit()
        await conn.run_sync(_run)
        await conn.commit()
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=database_url(), target_metadata=metadata, render_as_batch=True, render_item=render_item)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(run_async())
