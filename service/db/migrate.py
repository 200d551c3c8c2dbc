"""Run Alembic from code: on start-up, from the CLI, and in tests.

Alembic's env.py calls asyncio.run(), so from inside a running event loop we migrate in a
worker thread.
"""

from pathlib import Path

import anyio
from alembic import command
from alembic.config import Config

from service.db.engine import normalise_url

ROOT = Path(__file__).resolve().parent.parent.parent


def alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    # Passed as an attribute, not through set_main_option: a '%' in a password would
    # break ConfigParser interpolation (STACK-NOTES P22).
    cfg.attributes["database_url"] = normalise_url(url)
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def check(url: str) -> None:
    """Raises if the models and the migrations disagree (`alembic check`)."""
    command.check(alembic_config(url))


async def upgrade_async(url: str) -> None:
    await anyio.to_thread.run_sync(upgrade, url)
