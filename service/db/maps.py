"""Map rows, listing, and the revision history.

Every write goes through `commit_revision`: it bumps the map's revision (guarded by the
expected revision, so two concurrent writers cannot both win) and records who changed
what. History is kept as deltas with periodic snapshots, so a one-word edit of a
100,000-statement map costs a few hundred bytes, and any revision is rebuilt by
replaying at most `SNAPSHOT_EVERY` deltas on top of a snapshot.
"""

import uuid
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from service.db import graph_store
from service.db import tables as t
from service.db.accounts import MEMBER, USER
from service.db.tables import utcnow
from service.domain import editing
from service.domain.editing import ChangeSet
from service.domain.gc_pause import gc_paused
from service.domain.graph import METADATA_FIELDS, MapDocument

MAP = t.ArgumentMap.__table__  # type: ignore[attr-defined]
REV = t.MapRevision.__table__  # type: ignore[attr-defined]
SNAPSHOT_EVERY = 50
_changes_decoder = msgspec.json.Decoder(ChangeSet)
_doc_decoder = msgspec.json.Decoder(MapDocument)
_enc = msgspec.json.Encoder()


class StaleRevision(Exception):
    def __init__(self, current: int) -> None:
        super().__init__(f"the map is at revision {current}")
        self.current = current


class SlugTaken(Exception):
    def __init__(self, slug: str) -> None:
        super().__init__(f"slug {slug!r} is already used by another map")
        self.slug = slug


@dataclass(frozen=True, slots=True)
class MapRow:
    id: uuid.UUID
    slug: str | None
    title: str
    description: str
    language: str | None
    licence: str | None
    citation: str | None
    revision: int
    visibility: str
    owner_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: sa.Row[Any]) -> "MapRow":
        return cls(**{f: getattr(row, f) for f in cls.__slots__})

    def document(self) -> MapDocument:
        """The metadata part of the native document (element lists empty)."""
        return MapDocument(
            id=str(self.id),
            slug=self.slug,
            revision=self.revision,
            title=self.title,
            description=self.description,
            language=self.language,
            licence=self.licence,
            citation=self.citation,
        )


def parse_ref(ref: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(ref)
    except ValueError:
        return None


async def get_map(conn: AsyncConnection, ref: str) -> MapRow | None:
    """A map by its UUID or its slug."""
    mid = parse_ref(ref)
    cond = MAP.c.id == mid if mid is not None else MAP.c.slug == ref
    row = (await conn.execute(sa.select(MAP).where(cond))).first()
    return None if row is None else MapRow.of(row)


async def load_document(conn: AsyncConnection, m: MapRow) -> MapDocument:
    return await graph_store.load_graph(conn, m.id, m.document())


async def _check_slug(conn: AsyncConnection, slug: str | None, exclude: uuid.UUID | None = None) -> None:
    if slug is None:
        return
    q = sa.select(MAP.c.id).where(MAP.c.slug == slug)
    if exclude is not None:
        q = q.where(MAP.c.id != exclude)
    if (await conn.execute(q)).first() is not None:
        raise SlugTaken(slug)


async def create_map(
    conn: AsyncConnection, doc: MapDocument, *, owner_id: uuid.UUID | None, visibility: str, action: str = "create"
) -> MapRow:
    await _check_slug(conn, doc.slug)
    now = utcnow()
    mid = uuid.uuid4()
    await conn.execute(
        MAP.insert().values(
            id=mid,
            slug=doc.slug,
            title=doc.title,
            description=doc.description,
            language=doc.language,
            licence=doc.licence,
            citation=doc.citation,
            revision=1,
            visibility=visibility,
            owner_id=owner_id,
            created_at=now,
            updated_at=now,
        )
    )
    await graph_store.insert_graph(conn, mid, doc)
    stored = msgspec.structs.replace(doc, id=str(mid), revision=1)
    await _record(conn, mid, 1, owner_id, action, "created", snapshot=stored)
    m = await get_map(conn, str(mid))
    assert m is not None
    return m


async def bump(conn: AsyncConnection, m: MapRow, expected: int | None, meta: dict[str, Any] | None = None) -> int:
    """Move the map to its next revision, refusing if someone else got there first."""
    current = m.revision if expected is None else expected
    values: dict[str, Any] = {"revision": current + 1, "updated_at": utcnow()}
    if meta:
        values.update(meta)
    q = MAP.update().where(MAP.c.id == m.id, MAP.c.revision == current).values(**values)
    if not (await conn.execute(q)).rowcount:
        fresh = await get_map(conn, str(m.id))
        raise StaleRevision(fresh.revision if fresh else m.revision)
    return current + 1


async def replace_graph(
    conn: AsyncConnection, m: MapRow, doc: MapDocument, *, user_id: uuid.UUID | None, expected: int | None, action: str
) -> int:
    await _check_slug(conn, doc.slug, exclude=m.id)
    meta = {f: getattr(doc, f) for f in METADATA_FIELDS}
    revision = await bump(conn, m, expected, meta)
    await graph_store.delete_graph(conn, m.id)
    await graph_store.insert_graph(conn, m.id, doc)
    stored = msgspec.structs.replace(doc, id=str(m.id), revision=revision)
    await _record(conn, m.id, revision, user_id, action, "replaced the whole graph", snapshot=stored)
    return revision


async def apply_changes(
    conn: AsyncConnection,
    m: MapRow,
    after: MapDocument,
    changes: ChangeSet,
    *,
    user_id: uuid.UUID | None,
    expected: int | None,
    action: str,
) -> int:
    if "slug" in changes.metadata:
        await _check_slug(conn, changes.metadata["slug"], exclude=m.id)
    revision = await bump(conn, m, expected, changes.metadata)
    await graph_store.apply_element_changes(conn, m.id, after, changes)
    snapshot = msgspec.structs.replace(after, revision=revision) if revision % SNAPSHOT_EVERY == 0 else None
    await _record(conn, m.id, revision, user_id, action, changes.summary(), changes=changes, snapshot=snapshot)
    return revision


async def set_visibility(conn: AsyncConnection, m: MapRow, visibility: str, user_id: uuid.UUID | None) -> int:
    revision = await bump(conn, m, None, {"visibility": visibility})
    await _record(conn, m.id, revision, user_id, "visibility", f"visibility {visibility}", changes=ChangeSet())
    return revision


async def delete_map(conn: AsyncConnection, m: MapRow) -> None:
    await graph_store.delete_graph(conn, m.id)
    await conn.execute(MAP.delete().where(MAP.c.id == m.id))


async def _record(
    conn: AsyncConnection,
    map_id: uuid.UUID,
    revision: int,
    user_id: uuid.UUID | None,
    action: str,
    summary: str,
    *,
    changes: ChangeSet | None = None,
    snapshot: MapDocument | None = None,
) -> None:
    if snapshot is not None:
        kind, payload = "snapshot", _enc.encode(snapshot)
    else:
        kind, payload = "delta", _enc.encode(changes or ChangeSet())
    await conn.execute(
        REV.insert().values(
            map_id=map_id,
            revision=revision,
            user_id=user_id,
            created_at=utcnow(),
            action=action,
            summary=summary[:500],
            kind=kind,
            # Level 1: history compresses ~6x even so, and a 100k-statement PUT stays fast.
            payload=zlib.compress(payload, 1),
        )
    )


async def list_revisions(conn: AsyncConnection, map_id: uuid.UUID, limit: int, offset: int) -> list[sa.Row[Any]]:
    q = (
        sa.select(REV.c.revision, REV.c.created_at, REV.c.action, REV.c.summary, REV.c.user_id, USER.c.name)
        .outerjoin(USER, USER.c.id == REV.c.user_id)
        .where(REV.c.map_id == map_id)
        .order_by(REV.c.revision.desc())
        .limit(limit)
        .offset(offset)
    )
    return cast(list[sa.Row[Any]], list((await conn.execute(q)).all()))


def _decode_snapshot(payload: bytes) -> MapDocument:
    with gc_paused():
        return _doc_decoder.decode(zlib.decompress(payload))


def _merged(payloads: list[bytes]) -> ChangeSet:
    """The deltas of consecutive revisions as one change set. `editing.apply` handles a
    change set's element changes in order, so one merged set gives the same result as
    applying each revision in turn, in one pass over each collection instead of many."""
    merged = ChangeSet()
    for payload in payloads:
        ch = _changes_decoder.decode(zlib.decompress(payload))
        merged.metadata.update(ch.metadata)
        merged.elements.extend(ch.elements)
    return merged


async def revision_pair(
    conn: AsyncConnection, m: MapRow, before_no: int, after_no: int
) -> tuple[MapDocument, MapDocument] | None:
    """The map at `before_no` (0: the empty map before creation) and at `after_no`, both
    rebuilt from the history with one snapshot decode; None if a revision is missing."""
    start = after_no if before_no == 0 else before_no
    base_q = (
        sa.select(REV.c.revision, REV.c.payload)
        .where(REV.c.map_id == m.id, REV.c.revision <= start, REV.c.kind == "snapshot")
        .order_by(REV.c.revision.desc())
        .limit(1)
    )
    base = (await conn.execute(base_q)).first()
    if base is None:
        return None
    rows_q = (
        sa.select(REV.c.revision, REV.c.kind, REV.c.payload)
        .where(REV.c.map_id == m.id, REV.c.revision > base.revision, REV.c.revision <= after_no)
        .order_by(REV.c.revision)
    )
    rows = (await conn.execute(rows_q)).all()
    present = {base.revision, *(r.revision for r in rows)}
    if after_no not in present or (before_no != 0 and before_no not in present):
        return None
    doc = _decode_snapshot(base.payload)
    # Up to `before_no` there is no snapshot after the base: it is the latest one.
    upto_before = [r.payload for r in rows if r.revision <= before_no]
    if upto_before:
        doc = editing.apply(doc, _merged(upto_before))
    mid = str(m.id)
    if before_no == 0:
        before = MapDocument(id=mid, revision=0, title="")
    else:
        before = msgspec.structs.replace(doc, id=mid, revision=before_no)
    later = [r for r in rows if r.revision > max(before_no, base.revision)]
    snapshots = [k for k, r in enumerate(later) if r.kind == "snapshot"]
    if snapshots:  # a replace, a restore or a periodic snapshot in between: restart there
        doc = _decode_snapshot(later[snapshots[-1]].payload)
        later = later[snapshots[-1] + 1 :]
    if later:
        doc = editing.apply(doc, _merged([r.payload for r in later]))
    return before, msgspec.structs.replace(doc, id=mid, revision=after_no)


async def document_at(conn: AsyncConnection, m: MapRow, revision: int) -> MapDocument | None:
    """The map as it was at `revision`, or None if there is no such revision."""
    if revision == m.revision:
        return await load_document(conn, m)
    if revision < 1:
        return None
    pair = await revision_pair(conn, m, revision, revision)
    return None if pair is None else pair[1]


# ---- listing -----------------------------------------------------------------------


async def list_maps(
    conn: AsyncConnection,
    *,
    user_id: uuid.UUID | None,
    is_admin: bool,
    q: str | None,
    author: str | None,
    topic: str | None,
    limit: int,
    offset: int,
) -> tuple[list[sa.Row[Any]], int]:
    """Maps the caller may list: public ones, their own, those shared with them."""
    visible: Any
    if is_admin:
        visible = sa.true()
    else:
        visible = MAP.c.visibility == "public"
        if user_id is not None:
            member_of = sa.select(MEMBER.c.map_id).where(MEMBER.c.user_id == user_id)
            visible = sa.or_(visible, MAP.c.owner_id == user_id, MAP.c.id.in_(member_of))
    conds = [visible]
    if q:
        like = f"%{q.lower()}%"
        conds.append(sa.or_(sa.func.lower(MAP.c.title).like(like), sa.func.lower(MAP.c.description).like(like)))
    if author:
        a = graph_store.A
        conds.append(
            MAP.c.id.in_(
                sa.select(a.c.map_id).where(
                    sa.or_(a.c.id == author, sa.func.lower(a.c.name).like(f"%{author.lower()}%"))
                )
            )
        )
    if topic:
        tp = graph_store.T
        conds.append(
            MAP.c.id.in_(
                sa.select(tp.c.map_id).where(
                    sa.or_(tp.c.id == topic, sa.func.lower(tp.c.title).like(f"%{topic.lower()}%"))
                )
            )
        )
    where = sa.and_(*conds)
    total = (await conn.execute(sa.select(sa.func.count()).select_from(MAP).where(where))).scalar_one()
    counts = {
        name: sa.select(sa.func.count()).where(tb.c.map_id == MAP.c.id).scalar_subquery()
        for name, tb in (("statements", graph_store.ST), ("inferences", graph_store.I), ("conflicts", graph_store.C))
    }
    query = (
        sa.select(MAP, USER.c.name.label("owner_name"), *(v.label(k) for k, v in counts.items()))
        .outerjoin(USER, USER.c.id == MAP.c.owner_id)
        .where(where)
        .order_by(MAP.c.title, MAP.c.id)
        .limit(limit)
        .offset(offset)
    )
    return list((await conn.execute(query)).all()), int(total)
