"""The `argmap` command line: one Typer app, its commands grouped by where they run.

- `server.py`: commands that act on the database directly (serve, migrate, load, ...)
- `offline.py`: commands on files (convert, validate, render) and dump/restore
- `remote.py`: commands against a running server, through the argmap_client SDK
"""

import typer

app = typer.Typer(
    name="argmap",
    help="argmap: structured argument maps. Serve, load, convert, compare.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from service.cli import offline, remote, server

    server.register(app)
    offline.register(app)
    remote.register(app)


def main() -> None:
    _register()
    app()
