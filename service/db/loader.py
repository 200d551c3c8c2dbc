"""Load folders of native map files into the database, idempotently.

A file's map is identified by its `slug` (or, if it has none, its file name): loading
the same folder again replaces a changed map with a new revision and leaves an
unchanged one alone, so it never duplicates.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from service.db import maps as store
from service.db.engine import Database
from service.domain.formats import native
from service.domain.formats.base import FormatError
from service.domain.graph import MapDocument
from service.domain.validation import validate


@dataclass(slots=True)
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


async def resolve_owner(db: Database, email: str | None) -> uuid.UUID | None:
    """The id of the user who will own loaded maps; LookupError if no such user."""
    if not email:
        return None
    from service.db import accounts

    async with db.read() as conn:
        row = await accounts.user_by_email(conn, email)
    if row is None:
        raise LookupError(f"no user with email {email}")
    owner: uuid.UUID = row.id
    return owner


def map_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.json") if p.name.endswith((".argmap.json", ".json")) and p.is_file())


def slug_for(path: Path) -> str:
    stem = path.name.removesuffix(".json").removesuffix(".argmap")
    return re.sub(r"[^a-z0-9-]+", "-", stem.lower()).strip("-")[:100] or "map"


def _comparable(doc: MapDocument) -> bytes:
    return native.encode(msgspec.structs.replace(doc, id=None, revision=0))


async def load_folder(
    db: Database,
    folder: Path,
    *,
    owner_id: uuid.UUID | None,
    visibility: str = "public",
    progress: Callable[[Path], None] | None = None,
) -> LoadReport:
    report = LoadReport()
    for path in map_files(folder):
        if progress is not None:
            progress(path)
        try:
            doc = native.decode(path.read_bytes())
        except FormatError as e:
            report.failed.append((str(path), str(e)))
            continue
        if doc.slug is None:
            doc = msgspec.structs.replace(doc, slug=slug_for(path))
        problems = validate(doc)
        if problems:
            first = problems[0]
            report.failed.append((str(path), f"{first.element} {first.id} {first.field}: {first.reason}"))
            continue
        assert doc.slug is not None
        # One transaction per file: a bad file does not undo the good ones before it.
        async with db.write() as conn:
            existing = await store.get_map(conn, doc.slug)
            if existing is None:
                await store.create_map(conn, doc, owner_id=owner_id, visibility=visibility, action="load")
                report.created.append(doc.slug)
                continue
            current = await store.load_document(conn, existing)
            if _comparable(current) == _comparable(doc):
                report.unchanged.append(doc.slug)
                continue
            await store.replace_graph(conn, existing, doc, user_id=owner_id, expected=None, action="load")
            report.updated.append(doc.slug)
    return report
