"""create_app(settings): composition only. Every piece is built elsewhere."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.logging import LoggingConfig
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from service import __version__
from service.api import routes
from service.api.auth import FailureLimiter, provide_principal
from service.api.http import WRITE_METHODS, check_content_type
from service.api.problems import EXCEPTION_HANDLERS
from service.db.engine import Database
from service.db.migrate import upgrade_async
from service.settings import Settings


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    db = Database(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            await upgrade_async(db.url)
        try:
            yield
        finally:
            await db.dispose()

    async def provide_db() -> Database:
        return db

    async def before_request(request: Request[Any, Any, Any]) -> None:
        check_content_type(request)

    rate_limit = RateLimitConfig(
        rate_limit=("minute", settings.write_rate_limit),
        # Reads are cheap and students share classroom IPs: only writes are limited.
        check_throttle_handler=lambda request: request.method in WRITE_METHODS,
        set_rate_limit_headers=True,
    )
    openapi = OpenAPIConfig(
        title="argmap",
        version=__version__,
        description="Structured argument maps: typed argument graphs you can store, compare, evaluate, "
        "render and export. Errors are RFC 9457 problem+json.",
        path="/schema",
        render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
        components=Components(
            security_schemes={
                "bearerToken": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="An API token (amp_...). Optional for reading public maps.",
                )
            }
        ),
        # Every operation accepts a token; anonymous access ({}) is allowed where the map is public.
        security=[{"bearerToken": []}, {}],
    )
    app = Litestar(
        route_handlers=routes(),
        dependencies={"db": Provide(provide_db), "principal": Provide(provide_principal)},
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        before_request=before_request,
        middleware=[rate_limit.middleware],
        openapi_config=openapi,
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins)) if settings.cors_origins else None,
        request_max_body_size=settings.max_body_bytes,
        # Unexpected errors are logged with their stack by our own 500 handler; client
        # errors (4xx) are not stack-worthy, so Litestar's own exception logging stays off.
        logging_config=LoggingConfig(root={"level": settings.log_level, "handlers": ["queue_listener"]}),
        debug=False,
    )
    app.state.db = db
    app.state.settings = settings
    app.state.auth_failures = FailureLimiter(settings.auth_failure_limit)
    logging.getLogger("argmap").setLevel(settings.log_level)
    # Database drivers log statements with their parameters at DEBUG, and parameters
    # include token hashes: keep them quiet even when the app runs at DEBUG.
    for name in ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return app
