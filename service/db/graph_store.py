"""Rows <-> domain graph, on the fast path.

Reads use SQLAlchemy Core and build msgspec Structs directly (no ORM objects: the ORM
costs about 1 ms of CPU per request). Bulk writes go through the raw driver
(`executemany` on SQLite, binary `COPY` on PostgreSQL), because a 100,000-statement map
is a normal classroom-corpus size and the ORM would take minutes for it.
"""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from service.db import tables as t
from service.domain.editing import ChangeSet
from service.domain.graph import (
    Author,
    Conflict,
    ConflictKind,
    Element,
    Equivalence,
    Inference,
    Locator,
    MapDocument,
    Source,
    Stance,
    StanceValue,
    Statement,
    StatementKind,
    Topic,
)

A = t.AuthorRow.__table__  # type: ignore[attr-defined]
S = t.SourceRow.__table__  # type: ignore[attr-defined]
T = t.TopicRow.__table__  # type: ignore[attr-defined]
ST = t.StatementRow.__table__  # type: ignore[attr-defined]
SN = t.StanceRow.__table__  # type: ignore[attr-defined]
I = t.InferenceRow.__table__  # type: ignore[attr-defined]  # noqa: E741
P = t.PremiseRow.__table__  # type: ignore[attr-defined]
C = t.ConflictRow.__table__  # type: ignore[attr-defined]
E = t.EquivalenceRow.__table__  # type: ignore[attr-defined]
MAP = t.ArgumentMap.__table__  # type: ignore[attr-defined]

# Insert order respects the foreign keys between element tables; delete in reverse.
GRAPH_TABLES: tuple[sa.Table, ...] = (A, S, T, ST, SN, I, P, C, E)
_json = msgspec.json.Encoder()
_json_list = msgspec.json.Decoder(list[str])

COLUMNS: dict[str, list[str]] = {
    "author": ["map_id", "id", "pos", "name", "description", "url"],
    "source": ["map_id", "id", "pos", "title", "creators", "year", "publisher", "identifier", "url", "licence"],
    "topic": ["map_id", "id", "pos", "title", "description"],
    "statement": [
        "map_id",
        "id",
        "pos",
        "text",
        "title",
        "kind",
        "author_id",
        "loc_source",
        "loc_page",
        "loc_section",
        "loc_paragraph",
        "loc_start",
        "loc_end",
        "loc_quote",
        "base_score",
        "tags",
    ],
    "statement_stance": ["map_id", "statement_id", "topic_id", "pos", "stance"],
    "inference": ["map_id", "id", "pos", "conclusion_id", "scheme", "title", "author_id"],
    "inference_premise": ["map_id", "inference_id", "pos", "statement_id"],
    "conflict": ["map_id", "id", "pos", "attacker_id", "target_id", "kind", "author_id"],
    "equivalence": ["map_id", "id", "pos", "first_id", "second_id", "second_map", "author_id"],
}
COLLECTION_TABLE = {
    "authors": "author",
    "sources": "source",
    "topics": "topic",
    "statements": "statement",
    "inferences": "inference",
    "conflicts": "conflict",
    "equivalences": "equivalence",
}


# ---- element -> rows -----------------------------------------------------------------
# Each returns (main row, child rows by table). JSON list columns are pre-encoded to
# text so both drivers receive the same plain values.


def _rows(collection: str, el: Any, pos: int, mid: Any) -> tuple[tuple[Any, ...], dict[str, list[tuple[Any, ...]]]]:
    if collection == "statements":
        s: Statement = el
        loc = s.locator
        stances = [(mid, s.id, st.topic, k, st.stance.value) for k, st in enumerate(s.stances)]
        return (
            (
                mid, s.id, pos, s.text, s.title, s.kind.value, s.author,
                loc.source if loc else None, loc.page if loc else None, loc.section if loc else None,
                loc.paragraph if loc else None, loc.start if loc else None, loc.end if loc else None,
                loc.quote if loc else None, s.base_score, _json.encode(s.tags).decode(),
            ),
            {"statement_stance": stances},
        )  # fmt: skip
    if collection == "inferences":
        i: Inference = el
        premises = [(mid, i.id, k, p) for k, p in enumerate(i.premises)]
        return (mid, i.id, pos, i.conclusion, i.scheme, i.title, i.author), {"inference_premise": premises}
    if collection == "conflicts":
        c: Conflict = el
        return (mid, c.id, pos, c.attacker, c.target, c.kind.value, c.author), {}
    if collection == "equivalences":
        e: Equivalence = el
        return (mid, e.id, pos, e.first, e.second, e.second_map, e.author), {}
    if collection == "authors":
        a: Author = el
        return (mid, a.id, pos, a.name, a.description, a.url), {}
    if collection == "sources":
        src: Source = el
        return (
            (mid, src.id, pos, src.title, _json.encode(src.creators).decode(), src.year, src.publisher,
             src.identifier, src.url, src.licence),
            {},
        )  # fmt: skip
    if collection == "topics":
        tp: Topic = el
        return (mid, tp.id, pos, tp.title, tp.description), {}
    raise KeyError(collection)


def _driver_uuid(conn: AsyncConnection, map_id: uuid.UUID) -> Any:
    # Same representation SQLAlchemy's Uuid type uses: native on PostgreSQL, 32 hex
    # characters on SQLite (STACK-NOTES P13).
    return map_id if conn.dialect.name == "postgresql" else map_id.hex


async def _bulk_insert(conn: AsyncConnection, table: str, records: Sequence[tuple[Any, ...]]) -> None:
    if not records:
        return
    columns = COLUMNS[table]
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection
    if conn.dialect.name == "postgresql":
        await driver.copy_records_to_table(table, records=records, columns=columns)
    else:
        marks = ", ".join("?" * len(columns))
        await driver.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", records)


async def insert_elements(
    conn: AsyncConnection, map_id: uuid.UUID, collection: str, items: Iterable[tuple[int, Element]]
) -> None:
    mid = _driver_uuid(conn, map_id)
    main: list[tuple[Any, ...]] = []
    children: dict[str, list[tuple[Any, ...]]] = {}
    for pos, el in items:
        row, kids = _rows(collection, el, pos, mid)
        main.append(row)
        for table, rows in kids.items():
            children.setdefault(table, []).extend(rows)
    await _bulk_insert(conn, COLLECTION_TABLE[collection], main)
    for table, rows in children.items():
        await _bulk_insert(conn, table, rows)


async def insert_graph(conn: AsyncConnection, map_id: uuid.UUID, doc: MapDocument) -> None:
    for collection in ("authors", "sources", "topics", "statements", "inferences", "conflicts", "equivalences"):
        await insert_elements(conn, map_id, collection, enumerate(getattr(doc, collection)))


async def delete_graph(conn: AsyncConnection, map_id: uuid.UUID) -> None:
    for table in reversed(GRAPH_TABLES):
        await conn.execute(table.delete().where(table.c.map_id == map_id))


# ---- rows -> document ---------------------------------------------------------------


async def load_graph(conn: AsyncConnection, map_id: uuid.UUID, doc: MapDocument) -> MapDocument:
    """Fill the element lists of `doc` (which carries the metadata) from the rows."""

    async def rows(table: sa.Table, order: Sequence[str] = ("pos",)) -> Sequence[sa.Row[Any]]:
        q = sa.select(table).where(table.c.map_id == map_id).order_by(*(table.c[o] for o in order))
        return (await conn.execute(q)).all()

    authors = [Author(id=r.id, name=r.name, description=r.description, url=r.url) for r in await rows(A)]
    sources = [
        Source(
            id=r.id,
            title=r.title,
            creators=_json_list.decode(r.creators) if isinstance(r.creators, str) else r.creators,
            year=r.year, publisher=r.publisher, identifier=r.identifier, url=r.url, licence=r.licence,
        )
        for r in await rows(S)
    ]  # fmt: skip
    topics = [Topic(id=r.id, title=r.title, description=r.description) for r in await rows(T)]
    stances: dict[str, list[Stance]] = {}
    for r in await rows(SN, ("statement_id", "pos")):
        stances.setdefault(r.statement_id, []).append(Stance(topic=r.topic_id, stance=StanceValue(r.stance)))
    statements = []
    for r in await rows(ST):
        loc = None
        if r.loc_source is not None:
            loc = Locator(
                source=r.loc_source, page=r.loc_page, section=r.loc_section, paragraph=r.loc_paragraph,
                start=r.loc_start, end=r.loc_end, quote=r.loc_quote,
            )  # fmt: skip
        tags = r.tags
        statements.append(
            Statement(
                id=r.id, text=r.text, title=r.title, kind=StatementKind(r.kind), author=r.author_id, locator=loc,
                stances=stances.get(r.id, []), base_score=r.base_score,
                tags=_json_list.decode(tags) if isinstance(tags, str) else tags,
            )
        )  # fmt: skip
    premises: dict[str, list[str]] = {}
    for r in await rows(P, ("inference_id", "pos")):
        premises.setdefault(r.inference_id, []).append(r.statement_id)
    inferences = [
        Inference(
            id=r.id, premises=premises.get(r.id, []), conclusion=r.conclusion_id, scheme=r.scheme, title=r.title,
            author=r.author_id,
        )
        for r in await rows(I)
    ]  # fmt: skip
    conflicts = [
        Conflict(id=r.id, attacker=r.attacker_id, target=r.target_id, kind=ConflictKind(r.kind), author=r.author_id)
        for r in await rows(C)
    ]
    equivalences = [
        Equivalence(id=r.id, first=r.first_id, second=r.second_id, second_map=r.second_map, author=r.author_id)
        for r in await rows(E)
    ]
    return msgspec.structs.replace(
        doc,
        authors=authors,
        sources=sources,
        topics=topics,
        statements=statements,
        inferences=inferences,
        conflicts=conflicts,
        equivalences=equivalences,
    )


# ---- single-element edits -----------------------------------------------------------


async def apply_element_changes(
    conn: AsyncConnection, map_id: uuid.UUID, after: MapDocument, changes: ChangeSet
) -> None:
    """Write the element changes of `changes`; `after` is the validated result, from which
    the new element values and their positions are taken."""
    for ch in changes.elements:
        table_name = COLLECTION_TABLE[ch.collection]
        table = next(tb for tb in GRAPH_TABLES if tb.name == table_name)
        if ch.value is None:
            await _delete_children(conn, map_id, ch.collection, ch.id)
            await conn.execute(table.delete().where(table.c.map_id == map_id, table.c.id == ch.id))
            continue
        items: list[Element] = getattr(after, ch.collection)
        el = next(x for x in items if x.id == ch.id)
        existing = (
            await conn.execute(sa.select(table.c.pos).where(table.c.map_id == map_id, table.c.id == ch.id))
        ).scalar_one_or_none()
        if existing is None:
            top = (await conn.execute(sa.select(sa.func.max(table.c.pos)).where(table.c.map_id == map_id))).scalar()
            pos = 0 if top is None else top + 1
            await insert_elements(conn, map_id, ch.collection, [(pos, el)])
            continue
        row, kids = _rows(ch.collection, el, existing, map_id)
        values = dict(zip(COLUMNS[table_name], row, strict=True))
        for key in ("map_id", "id", "pos"):
            values.pop(key)
        for key in ("tags", "creators"):
            if key in values:
                values[key] = _json_list.decode(values[key])
        await _delete_children(conn, map_id, ch.collection, ch.id)
        await conn.execute(table.update().where(table.c.map_id == map_id, table.c.id == ch.id).values(**values))
        for child, rows in kids.items():
            await insert_elements_children(conn, child, rows, map_id)


async def insert_elements_children(
    conn: AsyncConnection, table: str, rows: list[tuple[Any, ...]], map_id: uuid.UUID
) -> None:
    mid = _driver_uuid(conn, map_id)
    await _bulk_insert(conn, table, [(mid, *r[1:]) for r in rows])


async def _delete_children(conn: AsyncConnection, map_id: uuid.UUID, collection: str, element_id: str) -> None:
    if collection == "statements":
        await conn.execute(SN.delete().where(SN.c.map_id == map_id, SN.c.statement_id == element_id))
    elif collection == "inferences":
        await conn.execute(P.delete().where(P.c.map_id == map_id, P.c.inference_id == element_id))
