"""Settings from the environment (`ARGMAP_*`), read once at start-up.

Every knob a deployer may turn is here, with its default, so the README's configuration
table and this file can be checked against each other.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path


def default_database_url() -> str:
    # Beside the working directory, so `git clone && serve` keeps its data in the clone.
    path = Path(os.environ.get("ARGMAP_DATA_DIR", "var")).resolve() / "argmap.sqlite3"
    return f"sqlite+aiosqlite:///{path}"


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 20 * 1024 * 1024
    migrate_on_start: bool = True
    # Writes per client and minute, and failed authentications per client and minute.
    write_rate_limit: int = 600
    auth_failure_limit: int = 20
    cors_origins: tuple[str, ...] = ()
    log_level: str = "INFO"
    environment: str = "development"  # "production" refuses demo tokens
    public_url: str | None = None

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        cors = tuple(o.strip() for o in env.get("ARGMAP_CORS_ORIGINS", "").split(",") if o.strip())
        return cls(
            database_url=env.get("ARGMAP_DATABASE_URL") or default_database_url(),
            host=env.get("ARGMAP_HOST", "127.0.0.1"),
            port=int(env.get("ARGMAP_PORT", "8000")),
            max_body_bytes=int(env.get("ARGMAP_MAX_BODY_BYTES", str(20 * 1024 * 1024))),
            migrate_on_start=_bool("ARGMAP_MIGRATE_ON_START", True),
            write_rate_limit=int(env.get("ARGMAP_WRITE_RATE_LIMIT", "600")),
            auth_failure_limit=int(env.get("ARGMAP_AUTH_FAILURE_LIMIT", "20")),
            cors_origins=cors,
            log_level=env.get("ARGMAP_LOG_LEVEL", "INFO"),
            environment=env.get("ARGMAP_ENV", "development"),
            public_url=env.get("ARGMAP_PUBLIC_URL") or None,
        )

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"
