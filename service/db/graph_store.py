"""Rows <-> domain graph, on the fast path.

Reads use SQLAlchemy Core and build msgspec Structs directly (no ORM objects: the ORM
costs about 1 ms of CPU per request). Bulk writes go through the raw driver
(`executemany` on SQLite, binary `COPY` on PostgreSQL), because a 100,000-statement map
is a normal classroom-corpus size and the ORM would take minutes for it.
"""

import uuid
from collections.abc import Sequence
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from service.db import tables as t
from service.domain.editing import ChangeSet
from service.domain.gc_pause import gc_paused
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
# One builder per collection turns (position, element) pairs into the rows of its table
# and of its child tables, in one comprehension each: on a 100,000-statement map this is
# a hot path. JSON list columns are pre-encoded to text so both drivers get plain values.

Rows = dict[str, list[tuple[Any, ...]]]


def _tags(values: list[str]) -> str:
    return _json.encode(values).decode() if values else "[]"


def _statement_rows(items: Sequence[tuple[int, Any]], mid: Any) -> Rows:
    main = []
    for pos, s in items:
        loc = s.locator
        if loc is None:
            main.append((mid, s.id, pos, s.text, s.title, s.kind.value, s.author, None, None, None, None, None,
                         None, None, s.base_score, _tags(s.tags)))  # fmt: skip
        else:
            main.append((mid, s.id, pos, s.text, s.title, s.kind.value, s.author, loc.source, loc.page, loc.section,
                         loc.paragraph, loc.start, loc.end, loc.quote, s.base_score, _tags(s.tags)))  # fmt: skip
    stances = [
        (mid, s.id, st.topic, k, st.stance.value) for _, s in items if s.stances for k, st in enumerate(s.stances)
    ]
    return {"statement": main, "statement_stance": stances}


def _inference_rows(items: Sequence[tuple[int, Any]], mid: Any) -> Rows:
    return {
        "inference": [(mid, i.id, pos, i.conclusion, i.scheme, i.title, i.author) for pos, i in items],
        "inference_premise": [(mid, i.id, k, p) for _, i in items for k, p in enumerate(i.premises)],
    }


ROW_BUILDERS: dict[str, Any] = {
    "statements": _statement_rows,
    "inferences": _inference_rows,
    "conflicts": lambda items, mid: {
        "conflict": [(mid, c.id, pos, c.attacker, c.target, c.kind.value, c.author) for pos, c in items]
    },
    "equivalences": lambda items, mid: {
        "equivalence": [(mid, e.id, pos, e.first, e.second, e.second_map, e.author) for pos, e in items]
    },
    "authors": lambda items, mid: {"author": [(mid, a.id, pos, a.name, a.description, a.url) for pos, a in items]},
    "sources": lambda items, mid: {
        "source": [
            (mid, x.id, pos, x.title, _tags(x.creators), x.year, x.publisher, x.identifier, x.url, x.licence)
            for pos, x in items
        ]
    },
    "topics": lambda items, mid: {"topic": [(mid, t.id, pos, t.title, t.description) for pos, t in items]},
}


def element_rows(collection: str, items: Sequence[tuple[int, Element]], mid: Any) -> Rows:
    """The rows of `items` (position, element) for their table and its child tables, the
    main table first."""
    rows: Rows = ROW_BUILDERS[collection](items, mid)
    return rows


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
    conn: AsyncConnection, map_id: uuid.UUID, collection: str, items: Sequence[tuple[int, Element]]
) -> None:
    for table, rows in element_rows(collection, items, _driver_uuid(conn, map_id)).items():
        await _bulk_insert(conn, table, rows)


# PostgreSQL checks each foreign key with a plan it caches per connection. A plan made
# while the parent table was tiny scans the whole table for every child row; once a bulk
# insert has grown the parent, that costs 25 s instead of 0.2 s for the 17,000 premises
# of a 20,000-statement map (measured). After inserting this many parent rows, the
# connection drops its cached plans so the next checks are planned for the table as it is.
REPLAN_AFTER = 1000


async def insert_graph(conn: AsyncConnection, map_id: uuid.UUID, doc: MapDocument) -> None:
    # Building the rows of a big map allocates hundreds of thousands of tuples (see
    # gc_pause); other requests served while this awaits the database run without the
    # cyclic collector for that time, which reference counting makes harmless.
    with gc_paused():
        for collection in ("authors", "sources", "topics", "statements", "inferences", "conflicts", "equivalences"):
            items = getattr(doc, collection)
            await insert_elements(conn, map_id, collection, list(enumerate(items)))
            if conn.dialect.name == "postgresql" and len(items) > REPLAN_AFTER:
                await conn.exec_driver_sql("DISCARD PLANS")


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


async def _fetch_all(conn: AsyncConnection, queries: Sequence[str], map_id: uuid.UUID) -> list[Sequence[Sequence[Any]]]:
    """The rows of each query, in order, all for one map."""
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection
    if conn.dialect.name == "postgresql":
        return [await driver.fetch(sql.replace("?", "$1"), map_id) for sql in queries]
    key = (map_id.hex,)
    # aiosqlite hands every call to its worker thread and back; one hand-over for all the
    # queries instead of three per query (execute, fetch, close) takes a 1,000-statement
    # read from 16 ms to a third of that.
    sqlite: Any = driver._conn  # the worker's own sqlite3 connection, used only on that thread
    return list(await driver._execute(lambda: [sqlite.execute(sql, key).fetchall() for sql in queries]))


def _strings(value: Any) -> list[str]:
    """A JSON list column: text on SQLite, text or list from asyncpg's json codec."""
    if value is None or value == "[]":
        return []
    if isinstance(value, str):
        return _json_list.decode(value)
    return list(value)


async def load_graph(conn: AsyncConnection, map_id: uuid.UUID, doc: MapDocument) -> MapDocument:
    """Fill the element lists of `doc` (which carries the metadata) from the rows."""
    rows = await _fetch_all(
        conn,
        (
            _Q_AUTHOR,
            _Q_SOURCE,
            _Q_TOPIC,
            _Q_STANCE,
            _Q_STATEMENT,
            _Q_PREMISE,
            _Q_INFERENCE,
            _Q_CONFLICT,
            _Q_EQUIVALENCE,
        ),
        map_id,
    )
    # A big map is a million small objects, none in a cycle: see gc_pause.
    with gc_paused():
        return _build_document(doc, rows)


def _build_document(doc: MapDocument, rows: list[Sequence[Sequence[Any]]]) -> MapDocument:
    a_rows, s_rows, t_rows, sn_rows, st_rows, p_rows, i_rows, c_rows, e_rows = rows
    authors = [Author(id=i, name=n, description=d, url=u) for i, n, d, u in a_rows]
    sources = [
        Source(id=i, title=t, creators=_strings(c), year=y, publisher=p, identifier=ident, url=u, licence=lic)
        for i, t, c, y, p, ident, u, lic in s_rows
    ]
    topics = [Topic(id=i, title=t, description=d) for i, t, d in t_rows]
    stances: dict[str, list[Stance]] = {}
    for sid, tid, value in sn_rows:
        stances.setdefault(sid, []).append(Stance(topic=tid, stance=_STANCE[value]))
    statements = []
    no_stances: list[Stance] = []
    for i, text, title, kind, author, src, page, section, para, start, end, quote, score, tags in st_rows:
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
    for iid, sid in p_rows:
        premises.setdefault(iid, []).append(sid)
    inferences = [
        Inference(id=i, premises=premises.get(i, []), conclusion=c, scheme=sch, title=t, author=a)
        for i, c, sch, t, a in i_rows
    ]
    conflicts = [Conflict(id=i, attacker=att, target=tgt, kind=_CONFLICT[k], author=a) for i, att, tgt, k, a in c_rows]
    equivalences = [Equivalence(id=i, first=f, second=sec, second_map=sm, author=a) for i, f, sec, sm, a in e_rows]
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
        built = element_rows(ch.collection, [(existing, el)], _driver_uuid(conn, map_id))
        values = dict(zip(COLUMNS[table_name], built.pop(table_name)[0], strict=True))
        for key in ("map_id", "id", "pos"):
            values.pop(key)
        for key in ("tags", "creators"):
            if key in values:
                values[key] = _json_list.decode(values[key])
        await _delete_children(conn, map_id, ch.collection, ch.id)
        await conn.execute(table.update().where(table.c.map_id == map_id, table.c.id == ch.id).values(**values))
        for child, rows in built.items():
            await _bulk_insert(conn, child, rows)


async def _delete_children(conn: AsyncConnection, map_id: uuid.UUID, collection: str, element_id: str) -> None:
    if collection == "statements":
        await conn.execute(SN.delete().where(SN.c.map_id == map_id, SN.c.statement_id == element_id))
    elif collection == "inferences":
        await conn.execute(P.delete().where(P.c.map_id == map_id, P.c.inference_id == element_id))
