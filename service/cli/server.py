"""Server-side commands: they talk to the database, not to a running server."""

import asyncio
import gc
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from service.db.engine import Database
from service.settings import Settings

err = Console(stderr=True, soft_wrap=True)
out = Console()
ROOT = Path(__file__).resolve().parent.parent.parent
SHIPPED_MAPS = ROOT / "argument_maps"
DEMO_EMAIL = "teacher@demo.argmap.invalid"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("migrate")(migrate)
    app.command("load")(load)
    app.command("create-admin")(create_admin)


def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision: head, base, or an id")] = "head",
    down: Annotated[bool, typer.Option("--down", help="Downgrade to REVISION instead")] = False,
) -> None:
    """Apply (or roll back) database migrations on ARGMAP_DATABASE_URL."""
    from service.db import migrate as m

    settings = Settings.from_env()
    if down:
        m.downgrade(settings.database_url, revision)
    else:
        m.upgrade(settings.database_url, revision)
    err.print(f"[green]database at {revision}[/green]")


def load(
    folder: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="A folder of *.argmap.json files")],
    visibility: Annotated[str, typer.Option(help="private, unlisted or public")] = "public",
    owner_email: Annotated[str | None, typer.Option(help="Owner of newly created maps")] = None,
) -> None:
    """Load a folder of native maps; loading again updates, never duplicates."""
    settings = Settings.from_env()
    report = asyncio.run(_load(settings, folder, visibility, owner_email))
    for slug in report.created:
        out.print(f"created   {slug}")
    for slug in report.updated:
        out.print(f"updated   {slug}")
    for slug in report.unchanged:
        out.print(f"unchanged {slug}")
    for path, why in report.failed:
        err.print(f"[red]failed    {path}: {why}[/red]")
    if report.failed:
        raise typer.Exit(2)


async def _load(settings: Settings, folder: Path, visibility: str, owner_email: str | None):  # type: ignore[no-untyped-def]
    from service.db.loader import load_folder, resolve_owner
    from service.db.migrate import upgrade_async

    await upgrade_async(settings.database_url)
    db = Database(settings.database_url)
    try:
        try:
            owner = await resolve_owner(db, owner_email)
        except LookupError as e:
            err.print(f"[red]{e}[/red]")
            raise typer.Exit(2) from None
        return await load_folder(db, folder, owner_id=owner, visibility=visibility)
    finally:
        await db.dispose()


def create_admin(
    email: Annotated[str, typer.Option(prompt=True, help="The admin's email")],
    name: Annotated[str, typer.Option(help="Display name")] = "Administrator",
) -> None:
    """Create an admin account and print its API token once. There is no default password."""

    async def run() -> str:
        from service.db import accounts
        from service.db.migrate import upgrade_async

        settings = Settings.from_env()
        await upgrade_async(settings.database_url)
        db = Database(settings.database_url)
        try:
            async with db.write() as conn:
                if await accounts.user_by_email(conn, email) is not None:
                    err.print(f"[red]a user with email {email} already exists[/red]")
                    raise typer.Exit(1)
                uid = await accounts.create_user(conn, name=name, email=email, role="admin")
                _, secret = await accounts.create_token(conn, uid, "create-admin", None)
            return secret
        finally:
            await db.dispose()

    secret = asyncio.run(run())
    err.print("[bold]Admin created. Its API token (shown only now):[/bold]")
    print(secret)


async def prepare_demo(settings: Settings) -> str:
    """Migrate, ensure the demo teacher, load the shipped maps; return a working token."""
    from service.db import accounts
    from service.db.loader import load_folder
    from service.db.migrate import upgrade_async

    await upgrade_async(settings.database_url)
    db = Database(settings.database_url)
    try:
        async with db.write() as conn:
            row = await accounts.user_by_email(conn, DEMO_EMAIL)
            uid = (
                row.id
                if row
                else await accounts.create_user(conn, name="Demo Teacher", email=DEMO_EMAIL, role="teacher")
            )
            wanted = os.environ.get("ARGMAP_DEMO_TOKEN")
            if wanted:
                if len(wanted) < 16:
                    raise typer.BadParameter("ARGMAP_DEMO_TOKEN must be at least 16 characters")
                existing = await accounts.token_owner(conn, wanted)
                if existing is None:
                    await accounts.create_token(conn, uid, "demo (ARGMAP_DEMO_TOKEN)", None, secret=wanted)
                elif existing.user_id != uid:
                    raise typer.BadParameter("ARGMAP_DEMO_TOKEN belongs to another user")
                token = wanted
            else:
                _, token = await accounts.create_token(conn, uid, "demo", None)
        if SHIPPED_MAPS.is_dir():
            report = await load_folder(db, SHIPPED_MAPS, owner_id=uid, visibility="public")
            for path, why in report.failed:
                err.print(f"[red]could not load {path}: {why}[/red]")
            loaded = len(report.created) + len(report.updated) + len(report.unchanged)
            err.print(f"shipped maps: {loaded} loaded ({len(report.created)} new, {len(report.updated)} updated)")
        return token
    finally:
        await db.dispose()


def serve(
    demo: Annotated[bool, typer.Option(help="Create the demo teacher, load the shipped maps, print a token")] = False,
    host: Annotated[str | None, typer.Option(help="Default: ARGMAP_HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="Default: ARGMAP_PORT or 8000")] = None,
) -> None:
    """Run the HTTP service (migrating the database first)."""
    import uvicorn

    from service.app import create_app

    settings = Settings.from_env()
    if host is not None or port is not None:
        from dataclasses import replace

        settings = replace(settings, host=host or settings.host, port=port or settings.port)
    if demo:
        if settings.environment == "production":
            err.print("[red]--demo prints a teacher token and is refused when ARGMAP_ENV=production[/red]")
            raise typer.Exit(2)
        token = asyncio.run(prepare_demo(settings))
        err.print(f"[bold]Demo teacher API token:[/bold] {token}")
        err.print(f"  try: curl -H 'Authorization: Bearer {token}' {settings.base_url}/users/me")
    else:
        from service.db.migrate import upgrade

        upgrade(settings.database_url)
    from dataclasses import replace

    app = create_app(replace(settings, migrate_on_start=False))
    # Everything imported and built so far lives as long as the process: move it out of
    # the collector's view, so decoding a large map does not re-scan it on every pass.
    gc.collect()
    gc.freeze()
    err.print(
        f"[bold green]argmap is serving at {settings.base_url}[/bold green]  (API docs: {settings.base_url}/schema)"
    )
    sys.stdout.flush()
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level.lower(), access_log=False)
