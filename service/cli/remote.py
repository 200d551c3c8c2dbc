"""Commands that talk to a running argmap server through the `argmap_client` SDK:
`maps`, `import`, `export`, `compare`, `diff`, `share`, `tokens`, and `openapi` (which
also works without a server, from the app in this process).

Every command takes `--url` / `--token` (or ARGMAP_URL / ARGMAP_TOKEN) and maps SDK
exceptions onto the CLI's exit codes (see offline.py).
"""

import asyncio
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from service.cli.offline import (
    EXIT_AUTH,
    EXIT_ERROR,
    EXIT_INVALID,
    EXIT_NOT_FOUND,
    EXIT_SERVER,
    EXIT_USAGE,
    JsonFlag,
    QuietFlag,
    emit_json,
    err,
    fail,
    out,
    print_violations,
    progress_bar,
    warn_all,
)

if TYPE_CHECKING:
    from argmap_client import AsyncClient, Client
    from argmap_client.errors import ArgmapError

Url = Annotated[
    str | None, typer.Option("--url", envvar="ARGMAP_URL", help="Server URL [default: http://127.0.0.1:8000]")
]
Token = Annotated[
    str | None, typer.Option("--token", envvar="ARGMAP_TOKEN", help="API token (amp_...)", show_default=False)
]
Jobs = Annotated[int, typer.Option("--jobs", "-j", min=1, max=32, help="Requests in flight at once")]
IMPORTABLE_SUFFIXES = (".json", ".argdown", ".ad", ".txt", ".xml")

maps_app = typer.Typer(help="List, show and delete maps on a server.", no_args_is_help=True)
tokens_app = typer.Typer(help="Your API tokens: list, create, revoke.", no_args_is_help=True)
compare_app = typer.Typer(help="Compare two maps, or authors within one map.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(maps_app, name="maps")
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(compare_app, name="compare")
    app.command("import")(import_files)
    app.command("export")(export)
    app.command("diff")(diff)
    app.command("share")(share)
    app.command("openapi")(openapi)


# ---- plumbing ----------------------------------------------------------------------------


def _sdk() -> Any:
    try:
        import argmap_client
    except ImportError:
        raise fail("the argmap_client SDK is not installed: pip install -e clients/python", EXIT_USAGE) from None
    return argmap_client


def connect(url: str | None, token: str | None) -> "Client":
    client: Client = _sdk().Client(url, token)
    return client


def connect_async(url: str | None, token: str | None) -> "AsyncClient":
    client: AsyncClient = _sdk().AsyncClient(url, token)
    return client


def exit_code(e: "ArgmapError") -> int:
    from argmap_client import errors

    if isinstance(e, errors.Unauthorized | errors.Forbidden):
        return EXIT_AUTH
    if isinstance(e, errors.NotFound):
        return EXIT_NOT_FOUND
    if isinstance(e, errors.ValidationFailed):
        return EXIT_INVALID
    if isinstance(e, errors.ServerError | errors.TransportError | errors.RateLimited):
        return EXIT_SERVER
    return EXIT_ERROR


def report_error(e: "ArgmapError", where: str = "") -> None:
    prefix = f"{where}: " if where else ""
    err.print(f"[red]error:[/red] {prefix}{e.detail}" + (f" ({e.status} {e.title})" if e.status else ""))
    print_violations(e.violations)
    for fe in e.errors:
        place = fe.pointer or fe.parameter or fe.location
        err.print(f"  {place + ': ' if place else ''}{fe.reason}")
    for d in e.dependents:
        err.print(f"  needed by {d.get('collection', '?')} {d.get('id', '?')}")


@contextmanager
def api_errors() -> Iterator[None]:
    """Turn SDK exceptions into a message on stderr and the matching exit code."""
    from argmap_client.errors import ArgmapError

    try:
        yield
    except ArgmapError as e:
        report_error(e)
        raise typer.Exit(exit_code(e)) from None


# ---- maps ----------------------------------------------------------------------------------------


@maps_app.command("list")
def maps_list(
    q: Annotated[str | None, typer.Option(help="Text in the title or description")] = None,
    author: Annotated[str | None, typer.Option(help="An author id or part of a name")] = None,
    topic: Annotated[str | None, typer.Option(help="A topic id or part of a title")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many (default: all)")] = None,
    url: Url = None,
    token: Token = None,
    as_json: JsonFlag = False,
) -> None:
    """List the maps you may see."""
    with api_errors(), connect(url, token) as api:
        items = []
        for info in api.iter_maps(q=q, author=author, topic=topic, page_size=min(limit or 200, 200)):
            items.append(info)
            if limit is not None and len(items) >= limit:
                break
    if as_json:
        emit_json(items)
        return
    table = Table("title", "rev", "visibility", "statements", "owner", box=None)
    table.add_column("slug / id", no_wrap=True)
    for m in items:
        counts = str(m.counts.statements) if m.counts else ""
        table.add_row(m.title, str(m.revision), m.visibility, counts, m.owner or "", m.slug or str(m.id))
    out.print(table)
    err.print(f"{len(items)} map(s)")


@maps_app.command("show")
def maps_show(
    ref: Annotated[str, typer.Argument(help="Map id or slug")],
    revision: Annotated[int | None, typer.Option(min=1, help="As it was at this revision")] = None,
    url: Url = None,
    token: Token = None,
    as_json: JsonFlag = False,
) -> None:
    """Show a map: its metadata and element counts (--json: the whole native document)."""
    with api_errors(), connect(url, token) as api:
        doc = api.get_map(ref, revision=revision)
    if as_json:
        emit_json(doc)
        return
    out.print(f"[bold]{doc.title}[/bold]")
    out.print(f"id {doc.id}  slug {doc.slug or '-'}  revision {doc.revision}")
    if doc.description:
        out.print(doc.description)
    for name in ("authors", "sources", "topics", "statements", "inferences", "conflicts", "equivalences"):
        out.print(f"  {name:<13}{len(getattr(doc, name))}")


@maps_app.command("delete")
def maps_delete(
    ref: Annotated[str, typer.Argument(help="Map id or slug")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    if_match: Annotated[str | None, typer.Option(help="Only if the map is still at this ETag or revision")] = None,
    url: Url = None,
    token: Token = None,
) -> None:
    """Delete a map and its whole history."""
    if not yes and not typer.confirm(f"Delete map {ref} and its history?"):
        raise typer.Exit(EXIT_ERROR)
    pin: str | int | None = int(if_match) if if_match and if_match.isdigit() else if_match
    with api_errors(), connect(url, token) as api:
        api.delete_map(ref, if_match=pin)
    err.print(f"deleted {ref}")


# ---- import and export ---------------------------------------------------------------------------------


def _collect(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in IMPORTABLE_SUFFIXES and not f.name.startswith(".")
            )
        elif p.is_file():
            files.append(p)
        else:
            raise fail(f"{p} does not exist", EXIT_USAGE)
    return files


def import_files(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (folders are read recursively)")],
    format: Annotated[str | None, typer.Option("--format", "-f", help="Input format (default: sniffed)")] = None,
    dry_run: Annotated[bool, typer.Option(help="Only check the files; create nothing")] = False,
    visibility: Annotated[str, typer.Option(help="private, unlisted or public")] = "private",
    jobs: Jobs = 4,
    url: Url = None,
    token: Token = None,
    as_json: JsonFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Import map files in any supported format as new maps."""
    if visibility not in ("private", "unlisted", "public"):
        raise fail("--visibility must be private, unlisted or public", EXIT_USAGE)
    files = _collect(paths)
    if not files:
        raise fail("no importable files found", EXIT_USAGE)
    results = asyncio.run(_import_all(files, format, dry_run, visibility, jobs, url, token, quiet or len(files) == 1))
    failures = [r for r in results if "error" in r]
    if as_json:
        emit_json(results)
    else:
        for r in results:
            if "error" not in r:
                verb = "checked " if dry_run else "imported"
                out.print(f"{verb} {r['file']} -> {r.get('map') or r['format']} ({r['statements']} statements)")
        if len(files) > 1:
            err.print(f"{len(results) - len(failures)} imported, {len(failures)} failed")
    if failures:
        raise typer.Exit(max(r["exit"] for r in failures))


async def _import_all(
    files: list[Path],
    fmt: str | None,
    dry_run: bool,
    visibility: str,
    jobs: int,
    url: str | None,
    token: str | None,
    quiet: bool,
) -> list[dict[str, Any]]:
    from argmap_client.errors import ArgmapError

    results: list[dict[str, Any]] = [{} for _ in files]
    gate = asyncio.Semaphore(jobs)
    async with connect_async(url, token) as api:
        with progress_bar("importing", len(files), quiet=quiet) as advance:

            async def one(n: int, path: Path) -> None:
                async with gate:
                    entry: dict[str, Any] = {"file": str(path)}
                    try:
                        report = await api.import_map(
                            path,
                            format=fmt,
                            dry_run=dry_run,
                            visibility=visibility,  # type: ignore[arg-type]
                        )
                    except ArgmapError as e:
                        report_error(e, str(path))
                        entry.update(error=e.detail, status=e.status, exit=exit_code(e))
                    else:
                        warn_all(report.warnings, str(path))
                        entry.update(
                            format=report.format, statements=report.counts.statements, warnings=report.warnings
                        )
                        if report.map is not None:
                            entry.update(map=report.map.slug or str(report.map.id), id=str(report.map.id))
                    results[n] = entry
                    advance()

            await asyncio.gather(*(one(n, p) for n, p in enumerate(files)))
    return results


def export(
    ref: Annotated[str | None, typer.Argument(help="Map id or slug (omit with --all)")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout); a folder with --all")
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="argmap, aif, argdown, graphml, dot, mermaid, ...")
    ] = "argmap",
    revision: Annotated[int | None, typer.Option(min=1, help="Export the map as it was at this revision")] = None,
    all_maps: Annotated[bool, typer.Option("--all", help="Every map you may list, into the --output folder")] = False,
    jobs: Jobs = 4,
    url: Url = None,
    token: Token = None,
    quiet: QuietFlag = False,
) -> None:
    """Export one map in a format, or every map (--all) into a folder."""
    if all_maps:
        if ref is not None or output is None or revision is not None:
            raise fail("--all takes no MAP and no --revision, and needs --output FOLDER", EXIT_USAGE)
        count = asyncio.run(_export_all(output, format, jobs, url, token, quiet))
        err.print(f"exported {count} map(s) to {output}")
        return
    if ref is None:
        raise fail("name a map to export, or pass --all", EXIT_USAGE)
    with api_errors(), connect(url, token) as api:
        exported = api.export_map(ref, format, revision=revision)
    warn_all(exported.warnings, f"export {format}")
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(exported.data)
        sys.stdout.flush()
    else:
        if output.is_dir():
            output = output / (exported.filename or f"{ref}.{format}")
        output.write_bytes(exported.data)
        err.print(f"wrote {output}")


async def _export_all(folder: Path, fmt: str, jobs: int, url: str | None, token: str | None, quiet: bool) -> int:
    from argmap_client.errors import ArgmapError

    folder.mkdir(parents=True, exist_ok=True)
    async with connect_async(url, token) as api:
        try:
            total = (await api.list_maps(limit=1)).total
            written = 0
            with progress_bar("exporting", total, quiet=quiet) as advance:
                if fmt == "argmap":
                    # One streamed request for all maps, written byte for byte as served.
                    async for line in api.iter_export_lines():
                        head = json.loads(line)
                        (folder / f"{head.get('slug') or head.get('id')}.argmap.json").write_bytes(line)
                        written += 1
                        advance()
                    return written
                gate = asyncio.Semaphore(jobs)
                infos = [m async for m in api.iter_maps(page_size=200)]

                async def one(ref: str) -> None:
                    nonlocal written
                    async with gate:
                        exported = await api.export_map(ref, fmt)
                    warn_all(exported.warnings, ref)
                    (folder / (exported.filename or f"{ref}.{fmt}")).write_bytes(exported.data)
                    written += 1
                    advance()

                await asyncio.gather(*(one(m.slug or str(m.id)) for m in infos))
            return written
        except ArgmapError as e:
            report_error(e)
            raise typer.Exit(exit_code(e)) from None


# ---- comparison and history -------------------------------------------------------------------------------


def _pairs(values: list[str] | None, option: str) -> list[tuple[str, str]] | None:
    if not values:
        return None
    pairs = []
    for v in values:
        first, sep, second = v.partition("=")
        if not sep or not first or not second:
            raise fail(f"{option} takes REFERENCE_ID=CANDIDATE_ID, not {v!r}", EXIT_USAGE)
        pairs.append((first, second))
    return pairs


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@compare_app.command("maps")
def compare_maps(
    reference: Annotated[str, typer.Argument(help="The reference map (id or slug)")],
    candidate: Annotated[str, typer.Argument(help="The map scored against it")],
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Text similarity needed to suggest a match")
    ] = None,
    confirm: Annotated[list[str] | None, typer.Option(help="A matched pair REF_ID=CAND_ID (repeatable)")] = None,
    reject: Annotated[list[str] | None, typer.Option(help="A pair that must not match (repeatable)")] = None,
    reference_revision: Annotated[int | None, typer.Option(min=1, help="The reference as at this revision")] = None,
    candidate_revision: Annotated[int | None, typer.Option(min=1, help="The candidate as at this revision")] = None,
    record: Annotated[
        bool, typer.Option(help="Also store the --confirm pairs as equivalences in the candidate map")
    ] = False,
    url: Url = None,
    token: Token = None,
    as_json: JsonFlag = False,
) -> None:
    """Score a candidate map against a reference map: matched statements, relations, kappa."""
    confirmed = _pairs(confirm, "--confirm")
    rejected = _pairs(reject, "--reject")
    if record and not confirmed:
        raise fail("--record stores the --confirm pairs; give at least one", EXIT_USAGE)
    with api_errors(), connect(url, token) as api:
        result = api.compare_maps(
            reference,
            candidate,
            confirmed=confirmed,
            rejected=rejected,
            threshold=threshold,
            reference_revision=reference_revision,
            candidate_revision=candidate_revision,
        )
        if record and confirmed:
            stored = api.confirm_matches(reference, candidate, confirmed, reference_revision=reference_revision)
            err.print(
                f"recorded {len(stored.created)} equivalence(s) in the candidate "
                f"({len(stored.existing)} already there); it is now at revision {stored.revision}"
            )
    if as_json:
        emit_json(result)
        return
    warn_all(result.warnings)
    s = result.scores
    table = Table("", "precision", "recall", "F1", "true pos.", box=None)
    for name, pr in (("statements", s.statements), ("relations", s.relations)):
        table.add_row(name, _ratio(pr.precision), _ratio(pr.recall), _ratio(pr.f1), str(pr.true_positives))
    out.print(table)
    out.print(f"relation agreement (Cohen's kappa): {_ratio(s.relation_agreement.kappa)}")
    out.print(f"{len(result.matches)} matched, {len(result.unmatched_reference)} reference and "
              f"{len(result.unmatched_candidate)} candidate statements unmatched")  # fmt: skip
    for m in result.matches:
        out.print(f"  {m.reference} = {m.candidate}  ({m.how}, {m.score:.2f})")


@compare_app.command("authors")
def compare_authors(
    ref: Annotated[str, typer.Argument(help="Map id or slug")],
    authors: Annotated[list[str], typer.Argument(help="Two or more author ids")],
    topic: Annotated[str | None, typer.Option(help="Only this topic")] = None,
    url: Url = None,
    token: Token = None,
    as_json: JsonFlag = False,
) -> None:
    """Where authors of one map agree and clash."""
    if len(authors) < 2:
        raise fail("name at least two authors", EXIT_USAGE)
    with api_errors(), connect(url, token) as api:
        result = api.compare_authors(ref, authors, topic=topic)
    if as_json:
        emit_json(result)
        return
    sections = [result.overall] if result.overall is not None else result.topics
    for sec in sections:
        out.print(f"[bold]{sec.title or sec.topic or 'whole map'}[/bold]")
        for f in sec.agreements:
            out.print(f"  [green]agree[/green] {f.explanation}")
        for f in sec.clashes:
            out.print(f"  [red]clash[/red] {f.explanation}")


def diff(
    ref: Annotated[str, typer.Argument(help="Map id or slug")],
    from_: Annotated[int | None, typer.Option("--from", min=0, help="Earlier revision")] = None,
    to: Annotated[int | None, typer.Option("--to", min=1, help="Later revision (default: current)")] = None,
    url: Url = None,
    token: Token = None,
    as_json: JsonFlag = False,
) -> None:
    """What changed in a map between two revisions."""
    with api_errors(), connect(url, token) as api:
        d = api.diff(ref, from_, to)
    if as_json:
        emit_json(d)
        return
    out.print(f"r{d.before_revision} -> r{d.after_revision}")
    for fc in d.metadata:
        out.print(f"  ~ {fc.field}: {json.dumps(fc.before)} -> {json.dumps(fc.after)}")
    from argmap_client import COLLECTIONS

    for name in COLLECTIONS:
        c = d.collection(name)
        for el in c.added:
            out.print(f"  [green]+ {name} {el.get('id')}[/green]")
        for el in c.removed:
            out.print(f"  [red]- {name} {el.get('id')}[/red]")
        for ch in c.changed:
            fields = ", ".join(f.field for f in ch.changes)
            out.print(f"  [yellow]~ {name} {ch.id}[/yellow] ({fields})")
    if d.is_empty():
        out.print("  no changes")


# ---- sharing and tokens ---------------------------------------------------------------------------------------


def share(
    ref: Annotated[str, typer.Argument(help="Map id or slug")],
    name: Annotated[str, typer.Option(help="A note on who the link is for")] = "",
    expires: Annotated[str | None, typer.Option(help="Expiry, ISO 8601 with timezone (2027-01-31T12:00:00Z)")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the map's share links instead")] = False,
    revoke: Annotated[str | None, typer.Option(help="Revoke the share link with this id instead")] = None,
    url: Url = None,
    token: Token = None,
    as_json: JsonFlag = False,
) -> None:
    """Create a read-only share link for a map (or --list / --revoke them)."""
    with api_errors(), connect(url, token) as api:
        if revoke:
            api.revoke_share(ref, revoke)
            err.print(f"revoked share link {revoke}")
            return
        if list_:
            shares = api.list_shares(ref)
            if as_json:
                emit_json(shares)
                return
            for s in shares:
                state = "revoked" if s.revoked_at else (f"expires {s.expires_at:%Y-%m-%d}" if s.expires_at else "live")
                out.print(f"{s.id}  {s.name or '-'}  {state}")
            return
        created = api.create_share(ref, name=name, expires_at=expires)
    if as_json:
        emit_json(created)
    else:
        print(created.url)


@tokens_app.command("list")
def tokens_list(url: Url = None, token: Token = None, as_json: JsonFlag = False) -> None:
    """List your tokens (never their secrets)."""
    with api_errors(), connect(url, token) as api:
        tokens = api.list_tokens()
    if as_json:
        emit_json(tokens)
        return
    table = Table("id", "name", "prefix", "created", "state", box=None)
    for t in tokens:
        state = "revoked" if t.revoked_at else ("expires " + t.expires_at.isoformat() if t.expires_at else "live")
        table.add_row(str(t.id), t.name, t.prefix, t.created_at.strftime("%Y-%m-%d %H:%M"), state)
    out.print(table)


@tokens_app.command("create")
def tokens_create(
    name: Annotated[str, typer.Argument(help="What the token is for")],
    expires: Annotated[str | None, typer.Option(help="Expiry, ISO 8601 with timezone")] = None,
    url: Url = None,
    token: Token = None,
    as_json: JsonFlag = False,
) -> None:
    """Create a token; its secret is printed once, on stdout."""
    with api_errors(), connect(url, token) as api:
        created = api.create_token(name, expires_at=expires)
    if as_json:
        emit_json(created)
    else:
        err.print(f"token {created.id} ({created.name}); store the secret now, it is not shown again:")
        print(created.token)


@tokens_app.command("revoke")
def tokens_revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (see tokens list)")],
    url: Url = None,
    token: Token = None,
) -> None:
    """Revoke one of your tokens."""
    with api_errors(), connect(url, token) as api:
        api.revoke_token(token_id)
    err.print(f"revoked {token_id}")


# ---- the OpenAPI contract ----------------------------------------------------------------------


def canonical_json(document: Any) -> str:
    """The committed form of a JSON document: sorted keys, two-space indent, final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def local_openapi() -> dict[str, Any]:
    """The OpenAPI document this code base serves, built in-process (no server, no database)."""
    import tempfile

    from litestar.serialization import encode_json

    from service.app import create_app
    from service.settings import Settings

    with tempfile.TemporaryDirectory(prefix="argmap-openapi-") as tmp:
        # The app needs a database URL to be built; the schema never touches it.
        app = create_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp}/unused.sqlite3", migrate_on_start=False))
        reset_example_seed()
        document: dict[str, Any] = json.loads(encode_json(app.openapi_schema.to_schema()))
    return document


def reset_example_seed() -> None:
    """Make the schema's generated examples repeatable within one process.

    Litestar fills `examples` of response models with random values from a factory
    seeded once per process, so a second schema built in the same process differs from
    the first. Reseeding before each build gives every build the bytes of a fresh
    process, which is what a served schema and the committed file contain."""
    try:
        from litestar._openapi.schema_generation.examples import ExampleFactory
    except ImportError:  # a Litestar without the factory generates no random examples
        return
    ExampleFactory.seed_random(ExampleFactory.__random_seed__)


def openapi(
    write: Annotated[Path | None, typer.Option("--write", help="Write the schema to this file")] = None,
    check: Annotated[Path | None, typer.Option("--check", help="Exit 1 when this file differs from the schema")] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Fetch from this server instead of building it in-process")
    ] = None,
) -> None:
    """Print the API's OpenAPI document (canonical JSON), or --write / --check a file."""
    if url:
        import httpx

        try:
            document = httpx.get(url.rstrip("/") + "/schema/openapi.json", timeout=30).raise_for_status().json()
        except httpx.HTTPError as e:
            raise fail(f"cannot fetch the schema from {url}: {e}", EXIT_SERVER) from None
    else:
        document = local_openapi()
    text = canonical_json(document)
    if check is not None:
        current = check.read_text(encoding="utf-8") if check.exists() else ""
        if current != text:
            raise fail(f"{check} differs from the served schema; run: argmap openapi --write {check}", EXIT_ERROR)
        err.print(f"{check} is up to date")
        return
    if write is not None:
        write.parent.mkdir(parents=True, exist_ok=True)
        write.write_text(text, encoding="utf-8")
        err.print(f"wrote {write} ({len(document.get('paths', {}))} paths)")
        return
    sys.stdout.write(text)
