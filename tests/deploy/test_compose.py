"""compose.yaml is valid, and its service command really starts argmap on PostgreSQL.

No container engine runs on the CI machines, so instead of `docker compose up` the test
validates the file against the Compose Specification and runs the app container's own
command against the local PostgreSQL, exactly as the container would.
"""

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from support import ROOT, running_server


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return data


def test_compose_file_follows_the_compose_specification() -> None:
    exe = Path(sys.executable).parent / "check-jsonschema"
    if not exe.exists():
        pytest.skip("check-jsonschema is not installed (pip install -e '.[dev]')")
    r = subprocess.run(
        [str(exe), "--builtin-schema", "vendor.compose-spec", str(ROOT / "compose.yaml")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr


def test_compose_has_health_checks_and_no_default_secrets() -> None:
    services = compose()["services"]
    assert services["db"]["healthcheck"] and services["app"]["healthcheck"]
    assert services["app"]["depends_on"]["db"]["condition"] == "service_healthy"
    password = services["db"]["environment"]["POSTGRES_PASSWORD"]
    assert password.startswith("${POSTGRES_PASSWORD:?"), "the password must come from the environment, with no default"
    assert services["app"]["environment"]["ARGMAP_ENV"] == "production"


def test_the_app_container_command_serves_on_postgresql(pg_database: str, tmp_path: Path) -> None:
    command = compose()["services"]["app"]["command"]
    assert command[0] == "argmap"
    with running_server(pg_database, tmp_path, args=tuple(command[1:]), env={"ARGMAP_ENV": "production"}) as server:
        health = httpx.get(f"{server.url}/health", timeout=5)
        assert health.json()["database"] == "postgresql"
        assert httpx.get(f"{server.url}/maps", timeout=5).status_code == 200
