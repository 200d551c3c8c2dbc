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
# Reads go through the raw driver with explicit column lists: SQLAlchemy's per-row result
# processing (and stdlib json for the JSON columns) cost more than the query itself on a
# large map. The caller's transaction gives one consistent snapshot across the tables.

_KIND = {k.value: k for k in StatementKind}
_CONFLICT = {k.value: k for k in ConflictKind}
_STANCE = {k.value: k for k in StanceValue}


def _select(table: str, columns: str, order: str = "pos") -> str:
    return f"SELECT {columns} FROM {table} WHERE map_id = ? ORDER BY {order}"


_Q_AUTHOR = _select("author", "id, name, description, url")
_Q_SOURCE = _select("source", "id, title, CAST(creators AS TEXT), year, publisher, identifier, url, licence")
_Q_TOPIC = _select("topic", "id, title, description")
_Q_STANCE = _select("statement_stance", "statement_id, topic_id, stance", "statement_id, pos")
_Q_STATEMENT = _select(
    "statement",
    "id, text, title, kind, author_id, loc_source, loc_page, loc_section, loc_paragraph, loc_start, loc_end, "
    "loc_quote, base_score, CAST(tags AS TEXT)",
)
_Q_PREMISE = _select("inference_premise", "inference_id, statement_id", "inference_id, pos")
_Q_INFERENCE = _select("inference", "id, conclusion_id, scheme, title, author_id")
_Q_CONFLICT = _select("conflict", "id, attacker_id, target_id, kind, author_id")
_Q_EQUIVALENCE = _select("equivalence", "id, first_id, second_id, second_map, author_id")


async def _fetch(conn: AsyncConnection, sql: str, map_id: uuid.UUID) -> Sequence[Sequence[Any]]:
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection
    if conn.dialect.name == "postgresql":
        rows: Sequence[Sequence[Any]] = await driver.fetch(sql.replace("?", "$1"), map_id)
        return rows
    cursor = await driver.execute(sql, (map_id.hex,))
    try:
        fetched: Sequence[Sequence[Any]] = await cursor.fetchall()
    finally:
        await cursor.close()
    return fetched


def _strings(value: Any) -> list[str]:
    """A JSON list column: text on SQLite, text or list from asyncpg's json codec."""
    if value is None or value == "[]":
        return []
    if isinstance(value, str):
        return _json_list.decode(value)
    return list(value)


async def load_graph(conn: AsyncConnection, map_id: uuid.UUID, doc: MapDocument) -> MapDocument:
    """Fill the element lists of `doc` (which carries the metadata) from the rows."""
    authors = [Author(id=i, name=n, description=d, url=u) for i, n, d, u in await _fetch(conn, _Q_AUTHOR, map_id)]
    sources = [
        Source(id=i, title=t, creators=_strings(c), year=y, publisher=p, identifier=ident, url=u, licence=lic)
        for i, t, c, y, p, ident, u, lic in await _fetch(conn, _Q_SOURCE, map_id)
    ]
    topics = [Topic(id=i, title=t, description=d) for i, t, d in await _fetch(conn, _Q_TOPIC, map_id)]
    stances: dict[str, list[Stance]] = {}
    for sid, tid, value in await _fetch(conn, _Q_STANCE, map_id):
        stances.setdefault(sid, []).append(Stance(topic=tid, stance=_STANCE[value]))
    statements = []
    no_stances: list[Stance] = []
    for i, text, title, kind, author, src, page, section, para, start, end, quote, score, tags in await _fetch(
        conn, _Q_STATEMENT, map_id
    ):
        loc = None
        if src is not None:
            loc = Locator(source=src, page=page, section=section, paragraph=para, start=start, end=end, quote=quote)
        statements.append(
            Statement(
                id=i,
                text=text,
                title=title,
                kind=_KIND[kind],
                author=author,
                locator=loc,
                stances=stances.get(i, no_stances),
                base_score=score,
                tags=_strings(tags),
            )
        )
    premises: dict[str, list[str]] = {}
    for iid, sid in await _fetch(conn, _Q_PREMISE, map_id):
        premises.setdefault(iid, []).append(sid)
    inferences = [
        Inference(id=i, premises=premises.get(i, []), conclusion=c, scheme=sch, title=t, author=a)
        for i, c, sch, t, a in await _fetch(conn, _Q_INFERENCE, map_id)
    ]
    conflicts = [
        Conflict(id=i, attacker=att, target=tgt, kind=_CONFLICT[k], author=a)
        for i, att, tgt, k, a in await _fetch(conn, _Q_CONFLICT, map_id)
    ]
    equivalences = [
        Equivalence(id=i, first=f, second=sec, second_map=sm, author=a)
        for i, f, sec, sm, a in await _fetch(conn, _Q_EQUIVALENCE, map_id)
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
