"""Fixtures of the SDK and CLI tests. The real server they drive, `live_server`, lives in
the top-level conftest so that browser tests can use it too."""

from typing import Any

import pytest
from support import LiveServer
from typer.testing import CliRunner

_registered = False


@pytest.fixture(scope="session")
def cli() -> Any:
    """The `argmap` Typer app with every command module registered (once per session)."""
    global _registered
    from service import cli as cli_module

    if not _registered:
        cli_module._register()
        _registered = True
    return cli_module.app


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def server_env(live_server: LiveServer) -> dict[str, str]:
    return {"ARGMAP_URL": live_server.url, "ARGMAP_TOKEN": live_server.token}
