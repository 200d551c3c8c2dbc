"""compose.yaml is valid, and its service command really starts argmap on PostgreSQL.

No container engine runs on the CI machines, so instead of `docker compose up` the test
validates the file against the Compose Specification and runs the app container's own
command against the local PostgreSQL, exactly as the container would.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from support import ROOT


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_app_container_command_serves_on_postgresql(pg_database: str, tmp_path: Path) -> None:
    command = compose()["services"]["app"]["command"]
    assert command[0] == "argmap"
    exe = shutil.which("argmap", path=str(Path(sys.executable).parent))
    assert exe, "the argmap command is not installed in this environment"
    port = free_port()
    env = {
        **os.environ,
        "ARGMAP_DATABASE_URL": pg_database,
        "ARGMAP_PORT": str(port),
        "ARGMAP_HOST": "127.0.0.1",
        "ARGMAP_ENV": "production",
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([exe, *command[1:]], env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                if r.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "argmap did not become healthy within 60 s"
            time.sleep(0.3)
        assert r.json()["database"] == "postgresql"
        assert httpx.get(f"http://127.0.0.1:{port}/maps", timeout=5).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
