"""The `argmap` command line: one Typer app, its commands grouped by where they run.

- `server.py`: commands that act on the database directly (serve, migrate, load, ...)
"""

import typer

app = typer.Typer(
    name="argmap",
    help="argmap: structured argument maps. Serve, load, convert, compare.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from service.cli import server

    server.register(app)


def main() -> None:
    _register()
    app()
