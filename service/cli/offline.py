"""Commands that need no running server: `convert`, `validate` and `render` work on files
through the domain core; `dump` and `restore` move a whole database to and from native
files. Also the pieces every command module of the CLI shares: exit codes, the
stderr console, JSON output and progress bars.
"""

import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import msgspec
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from service.domain import formats
from service.domain.formats.base import FormatError
from service.domain.graph import MapDocument
from service.domain.validation import Violation, validate

# Exit codes: scripts branch on these, so they are part of the CLI's contract.
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INVALID = 3
EXIT_NOT_FOUND = 4
EXIT_SERVER = 5
EXIT_AUTH = 6

err = Console(stderr=True, soft_wrap=True, highlight=False)
out = Console(soft_wrap=True, highlight=False)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout")]
QuietFlag = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")]


def register(app: typer.Typer) -> None:
    app.command("convert")(convert)
    app.command("validate")(validate_files)
    app.command("render")(render)
    app.command("dump")(dump)
    app.command("restore")(restore)


# ---- shared helpers --------------------------------------------------------------------


def emit_json(value: Any) -> None:
    """One JSON document on stdout (msgspec Structs, lists, dicts, ...)."""
    sys.stdout.write(msgspec.json.format(msgspec.json.encode(value), indent=2).decode() + "\n")
    sys.stdout.flush()


def fail(message: str, code: int) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


def warn_all(warnings: list[str], where: str = "") -> None:
    prefix = f"{where}: " if where else ""
    for w in warnings:
        err.print(f"[yellow]warning:[/yellow] {prefix}{w}")


def print_violations(violations: list[Violation] | list[Any], where: str = "") -> None:
    prefix = f"{where}: " if where else ""
    for v in violations:
        ident = f" {v.id}" if v.id else ""
        err.print(f"  {prefix}{v.element}{ident} [bold]{v.field}[/bold]: {v.reason}")


class RateColumn(ProgressColumn):
    """Items per second, which rich's built-in columns only show for byte counts."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("-/s" if speed is None else f"{speed:,.0f}/s", style="progress.data.speed")


@contextmanager
def progress_bar(description: str, total: int | None, *, quiet: bool = False) -> Iterator[Any]:
    """A progress bar on stderr (count, rate, time left); yields `advance(n=1)`.

    A summary line follows on stderr, so logs of non-interactive runs keep the figures."""
    start = time.monotonic()
    done = [0]
    if quiet:

        def advance_quiet(n: int = 1) -> None:
            done[0] += n

        yield advance_quiet
        return
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            done[0] += n
            bar.advance(task, n)

        yield advance
    elapsed = max(time.monotonic() - start, 1e-9)
    err.print(f"{description}: {done[0]} in {elapsed:.1f} s ({done[0] / elapsed:,.0f}/s)")


# ---- formats ------------------------------------------------------------------------------


def _extensions() -> list[tuple[str, str]]:
    """(".extension", format) pairs, longest first so "x.aif.json" is aif, not argmap."""
    pairs = [("." + info.extension, name) for name, info in formats.FORMATS.items()]
    pairs += [("." + ext, name) for name, (_, _, ext) in formats.LAZY_EXPORTS.items()]
    pairs += [(".json", "argmap"), (".ad", "argdown"), (".xml", "microtexts")]
    return sorted(pairs, key=lambda p: -len(p[0]))


def format_for_output(path: Path) -> str | None:
    lower = path.name.lower()
    for ext, name in _extensions():
        if lower.endswith(ext) and (formats.FORMATS.get(name, None) is None or formats.FORMATS[name].export):
            return name
    return None


def exportable() -> list[str]:
    return [n for n in formats.names() if n in formats.LAZY_EXPORTS or formats.FORMATS[n].export is not None]


def read_document(path: Path, fmt: str | None) -> tuple[MapDocument, list[str], str]:
    """Import a file (format from `fmt`, else sniffed from content and name)."""
    if str(path) == "-":
        data = sys.stdin.buffer.read()
        name = None
    else:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise fail(f"cannot read {path}: {e.strerror}", EXIT_USAGE) from None
        name = path.name
    try:
        chosen = fmt or formats.sniff(data, name)
        imported = formats.import_(data, chosen, filename=name)
    except FormatError as e:
        raise fail(f"{path}: {e}", EXIT_INVALID) from None
    return imported.document, imported.warnings, chosen


def _write(path: Path, data: bytes) -> None:
    if str(path) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def convert(
    source: Annotated[Path, typer.Argument(help="Input file, or - for stdin")],
    target: Annotated[Path, typer.Argument(help="Output file, or - for stdout (then --to is needed)")],
    from_: Annotated[str | None, typer.Option("--from", help="Input format (default: sniffed)")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Output format (default: from OUT's extension)")] = None,
    check: Annotated[bool, typer.Option(help="Refuse (exit 3) a map that breaks an invariant")] = True,
) -> None:
    """Convert a map file between formats (argmap, aif, argdown, kialo, sadface, ... svg, png)."""
    fmt = to or format_for_output(target)
    if fmt is None:
        raise fail(
            f"cannot tell the output format from {target.name!r}; pass --to ({', '.join(exportable())})", EXIT_USAGE
        )
    doc, warnings, _ = read_document(source, from_)
    warn_all(warnings, f"import {source.name}")
    if check:
        _refuse_invalid(doc, str(source))
    try:
        exported = formats.export(doc, fmt)
    except FormatError as e:
        raise fail(str(e), EXIT_USAGE) from None
    warn_all(exported.warnings, f"export {fmt}")
    _write(target, exported.data)


def _refuse_invalid(doc: MapDocument, where: str) -> None:
    violations = validate(doc)
    if violations:
        err.print(f"[red]error:[/red] {where} breaks {len(violations)} rule(s):")
        print_violations(violations)
        raise typer.Exit(EXIT_INVALID)


def validate_files(
    files: Annotated[list[Path], typer.Argument(help="Map files in any importable format")],
    from_: Annotated[str | None, typer.Option("--from", help="Input format (default: sniffed)")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Check map files against every invariant; exit 3 when any file is invalid."""
    report: list[dict[str, Any]] = []
    bad = 0
    for path in files:
        entry: dict[str, Any] = {"file": str(path)}
        try:
            doc, warnings, fmt = read_document(path, from_)
        except typer.Exit as e:
            if e.exit_code != EXIT_INVALID:
                raise
            bad += 1
            entry.update(valid=False, error="unreadable")
            report.append(entry)
            continue
        violations = validate(doc)
        entry.update(format=fmt, valid=not violations, warnings=warnings, violations=violations)
        report.append(entry)
        if violations:
            bad += 1
            if not as_json:
                err.print(f"[red]invalid[/red] {path}: {len(violations)} violation(s)")
                print_violations(violations)
        elif not as_json:
            out.print(f"[green]valid[/green]   {path} ({fmt}, {len(doc.statements)} statements)")
        if not as_json:
            warn_all(warnings, str(path))
    if as_json:
        emit_json(report)
    if bad:
        raise typer.Exit(EXIT_INVALID)


def render(
    source: Annotated[Path, typer.Argument(help="Map file in any importable format")],
    target: Annotated[Path, typer.Argument(help="Output: .svg, .png or .html")],
    from_: Annotated[str | None, typer.Option("--from", help="Input format (default: sniffed)")] = None,
    root: Annotated[str | None, typer.Option(help="HTML: start the tree at this statement")] = None,
    depth: Annotated[int | None, typer.Option(min=0, help="HTML: cut the tree after this many levels")] = None,
) -> None:
    """Draw a map as an SVG or PNG picture, or as a self-contained HTML page."""
    kind = target.suffix.lower().lstrip(".")
    if kind not in ("svg", "png", "html"):
        raise fail(f"render writes .svg, .png or .html, not {target.name!r}", EXIT_USAGE)
    doc, warnings, _ = read_document(source, from_)
    warn_all(warnings, f"import {source.name}")
    _refuse_invalid(doc, str(source))
    if kind == "html":
        from service.web.viewer import render_view

        try:
            page = render_view(doc, root=root, depth=depth, static_url=_INLINE)
        except (ValueError, LookupError) as e:
            raise fail(str(e), EXIT_USAGE) from None
        _write(target, inline_static(page).encode("utf-8"))
        return
    try:
        exported = formats.export(doc, kind)
    except FormatError as e:
        raise fail(str(e), EXIT_SERVER) from None
    warn_all(exported.warnings, f"render {kind}")
    _write(target, exported.data)


_INLINE = "argmap-inline:"


def inline_static(page: str) -> str:
    """Put the viewer's CSS, JS and icon inside the page, so one file opens anywhere."""
    import base64
    import re

    from service.web.viewer import static_dir

    def asset(name: str) -> str:
        return (static_dir() / name).read_text(encoding="utf-8")

    def link(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.endswith(".css"):
            return "<style>\n" + asset(name).replace("</style", "<\\/style") + "\n</style>"
        icon = base64.b64encode((static_dir() / name).read_bytes()).decode()
        return re.sub(r'href="[^"]*"', f'href="data:image/svg+xml;base64,{icon}"', m.group(0))

    def script(m: re.Match[str]) -> str:
        # An inline module script runs after parsing, as the deferred original did.
        return '<script type="module">\n' + asset(m.group(1)).replace("</script", "<\\/script") + "\n</script>"

    prefix = re.escape(_INLINE + "/")
    page = re.sub(r'<link[^>]*href="' + prefix + r'([\w.-]+)\?v=\w+"[^>]*>', link, page)
    return re.sub(r'<script src="' + prefix + r'([\w.-]+)\?v=\w+"[^>]*></script>', script, page)


# ---- dump and restore ------------------------------------------------------------------------

DatabaseUrl = Annotated[
    str | None, typer.Option("--database-url", envvar="ARGMAP_DATABASE_URL", help="Default: ARGMAP_DATABASE_URL")
]


def _settings(database_url: str | None) -> Any:
    from dataclasses import replace

    from service.settings import Settings

    settings = Settings.from_env()
    return replace(settings, database_url=database_url) if database_url else settings


def dump(
    target: Annotated[Path, typer.Argument(help="A folder (one .argmap.json per map) or a .ndjson file")],
    database_url: DatabaseUrl = None,
    quiet: QuietFlag = False,
) -> None:
    """Write every map of the database in the native format (the current revision)."""
    settings = _settings(database_url)
    count = asyncio.run(_dump(settings.database_url, target, quiet))
    err.print(f"dumped {count} map(s) to {target}")


async def _dump(url: str, target: Path, quiet: bool) -> int:
    from service.db import maps as store
    from service.db.engine import Database
    from service.domain.formats import native

    db = Database(url)
    try:
        async with db.read() as conn:
            rows, total = await store.list_maps(
                conn, user_id=None, is_admin=True, q=None, author=None, topic=None, limit=10_000_000, offset=0
            )
        ids = [str(r.id) for r in rows]
        ndjson = target.suffix.lower() == ".ndjson"
        if ndjson:
            target.parent.mkdir(parents=True, exist_ok=True)
            sink = target.open("wb")
        else:
            target.mkdir(parents=True, exist_ok=True)
        written = 0
        try:
            with progress_bar("dumping maps", total, quiet=quiet) as advance:
                for ref in ids:
                    async with db.read() as conn:
                        m = await store.get_map(conn, ref)
                        if m is None:
                            continue
                        doc = await store.load_document(conn, m)
                    data = native.encode(doc)
                    if ndjson:
                        sink.write(data + b"\n")
                    else:
                        (target / f"{m.slug or m.id}.argmap.json").write_bytes(data)
                    written += 1
                    advance()
        finally:
            if ndjson:
                sink.close()
        return written
    finally:
        await db.dispose()


def restore(
    source: Annotated[Path, typer.Argument(exists=True, help="A folder of .argmap.json files or a .ndjson dump")],
    database_url: DatabaseUrl = None,
    visibility: Annotated[str, typer.Option(help="private, unlisted or public, for new maps")] = "private",
    owner_email: Annotated[str | None, typer.Option(help="Owner of newly created maps")] = None,
    quiet: QuietFlag = False,
) -> None:
    """Load a dump: maps are matched by slug, so restoring twice updates, never duplicates."""
    if visibility not in ("private", "unlisted", "public"):
        raise fail("--visibility must be private, unlisted or public", EXIT_USAGE)
    settings = _settings(database_url)
    report = asyncio.run(_restore(settings.database_url, source, visibility, owner_email, quiet))
    err.print(
        f"restored: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.failed)} failed"
    )
    for path, why in report.failed:
        err.print(f"[red]failed[/red] {path}: {why}")
    if report.failed:
        raise typer.Exit(EXIT_INVALID)


async def _restore(url: str, source: Path, visibility: str, owner_email: str | None, quiet: bool) -> Any:
    from service.db.engine import Database
    from service.db.loader import load_folder, map_files, resolve_owner
    from service.db.migrate import upgrade_async

    await upgrade_async(url)
    db = Database(url)
    try:
        try:
            owner = await resolve_owner(db, owner_email)
        except LookupError as e:
            raise fail(str(e), EXIT_NOT_FOUND) from None
        with tempfile.TemporaryDirectory(prefix="argmap-restore-") as tmp:
            folder = source
            if source.is_file():
                # The loader reads folders; spreading the NDJSON lines over files keeps
                # one code path (and its idempotence by slug) for both dump shapes.
                folder = Path(tmp)
                _split_ndjson(source, folder)
            total = len(map_files(folder))
            with progress_bar("restoring maps", total, quiet=quiet) as advance:
                return await load_folder(
                    db, folder, owner_id=owner, visibility=visibility, progress=lambda _path: advance()
                )
    finally:
        await db.dispose()


def _split_ndjson(source: Path, folder: Path) -> None:
    with source.open("rb") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                head = json.loads(line)
            except ValueError as e:
                raise fail(f"{source} line {n} is not JSON: {e}", EXIT_INVALID) from None
            # The file name becomes the slug of a map without one (see loader.slug_for).
            stem = str(head.get("slug") or head.get("id") or f"line-{n}")
            path = folder / f"{stem}.argmap.json"
            if path.exists():
                path = folder / f"{stem}-{n}.argmap.json"
            path.write_bytes(line.strip())
