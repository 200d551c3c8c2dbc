"""The invariants of a map that types alone cannot express.

`validate()` returns *every* violation (not just the first), each naming the collection,
the element id, the field and the reason, so that an editor can show them all at once.
"""

from typing import Final

import msgspec

from service.domain.graph import ConflictKind, MapDocument


class Violation(msgspec.Struct, frozen=True, kw_only=True):
    """One broken invariant. `element` is the collection ("statements", ...) or "map"."""

    element: str
    id: str | None
    field: str
    reason: str


_COLLECTIONS: Final = ("authors", "sources", "topics", "statements", "inferences", "conflicts", "equivalences")


def validate(doc: MapDocument) -> list[Violation]:
    # Runs on every API write and at the end of every import (100,000s of elements), so
    # the common case is kept to one pass per collection with set lookups, no call per
    # element and no allocation per element; violations are rare and take the slow road.
    out: list[Violation] = []

    def bad(element: str, id_: str | None, field: str, reason: str) -> None:
        out.append(Violation(element=element, id=id_, field=field, reason=reason))

    all_ids = [el.id for collection in _COLLECTIONS for el in getattr(doc, collection)]
    if len(set(all_ids)) != len(all_ids):
        seen: dict[str, str] = {}
        for collection in _COLLECTIONS:
            for el in getattr(doc, collection):
                if el.id in seen:
                    bad(collection, el.id, "id", f"id {el.id!r} is already used by an element of {seen[el.id]}")
                else:
                    seen[el.id] = collection
    del all_ids

    if _blank(doc.title):
        bad("map", doc.id, "title", "title must not be blank")

    authors = {a.id for a in doc.authors}
    sources = {s.id for s in doc.sources}
    topics = {t.id for t in doc.topics}
    statements = {s.id for s in doc.statements}
    inferences = {i.id for i in doc.inferences}

    for a in doc.authors:
        if _blank(a.name):
            bad("authors", a.id, "name", "name must not be blank")
    for src in doc.sources:
        if _blank(src.title):
            bad("sources", src.id, "title", "title must not be blank")
    for t in doc.topics:
        if _blank(t.title):
            bad("topics", t.id, "title", "title must not be blank")

    for s in doc.statements:
        text = s.text
        if not text or text.isspace():
            bad("statements", s.id, "text", "text must not be blank")
        author = s.author
        if author is not None and author not in authors:
            bad("statements", s.id, "author", f"author {author!r} does not exist in this map")
        loc = s.locator
        if loc is not None:
            if loc.source not in sources:
                bad("statements", s.id, "locator.source", f"source {loc.source!r} does not exist in this map")
            if (loc.start is None) != (loc.end is None):
                bad("statements", s.id, "locator.end", "a character span needs both start and end")
            elif loc.start is not None and loc.end is not None and loc.start > loc.end:
                bad("statements", s.id, "locator.end", f"span end {loc.end} is before its start {loc.start}")
        if s.stances:
            stance_topics: set[str] = set()
            for k, st in enumerate(s.stances):
                if st.topic not in topics:
                    bad("statements", s.id, f"stances[{k}].topic", f"topic {st.topic!r} does not exist in this map")
                if st.topic in stance_topics:
                    bad("statements", s.id, f"stances[{k}].topic", f"a second stance on topic {st.topic!r}")
                stance_topics.add(st.topic)

    for i in doc.inferences:
        author = i.author
        if author is not None and author not in authors:
            bad("inferences", i.id, "author", f"author {author!r} does not exist in this map")
        premises = i.premises
        conclusion = i.conclusion
        if len(premises) == 1:
            # the common case, without the bookkeeping for repeated premises
            p = premises[0]
            if p not in statements:
                bad("inferences", i.id, "premises[0]", f"premise {p!r} is not a statement of this map")
            if conclusion not in statements:
                bad("inferences", i.id, "conclusion", f"conclusion {conclusion!r} is not a statement of this map")
            elif conclusion == p:
                bad("inferences", i.id, "conclusion", f"conclusion {conclusion!r} is also one of its premises")
            continue
        if not premises:
            bad("inferences", i.id, "premises", "an inference needs at least one premise")
        seen_premises: set[str] = set()
        for k, p in enumerate(premises):
            if p not in statements:
                bad("inferences", i.id, f"premises[{k}]", f"premise {p!r} is not a statement of this map")
            if p in seen_premises:
                bad("inferences", i.id, f"premises[{k}]", f"premise {p!r} is listed twice")
            seen_premises.add(p)
        if conclusion not in statements:
            bad("inferences", i.id, "conclusion", f"conclusion {conclusion!r} is not a statement of this map")
        elif conclusion in seen_premises:
            bad("inferences", i.id, "conclusion", f"conclusion {conclusion!r} is also one of its premises")

    undercut = ConflictKind.UNDERCUT
    for c in doc.conflicts:
        author = c.author
        if author is not None and author not in authors:
            bad("conflicts", c.id, "author", f"author {author!r} does not exist in this map")
        if c.attacker not in statements:
            bad("conflicts", c.id, "attacker", f"attacker {c.attacker!r} is not a statement of this map")
        target = c.target
        if c.attacker == target:
            bad("conflicts", c.id, "target", "a statement cannot attack itself")
        elif target in inferences:
            if c.kind != undercut:
                bad("conflicts", c.id, "kind", f"target {target!r} is an inference, so the kind must be 'undercut'")
        elif target in statements:
            if c.kind == undercut:
                bad("conflicts", c.id, "kind", f"an undercut must target an inference, but {target!r} is a statement")
        else:
            bad("conflicts", c.id, "target", f"target {target!r} is neither a statement nor an inference of this map")

    for e in doc.equivalences:
        author = e.author
        if author is not None and author not in authors:
            bad("equivalences", e.id, "author", f"author {author!r} does not exist in this map")
        if e.first not in statements:
            bad("equivalences", e.id, "first", f"statement {e.first!r} does not exist in this map")
        if e.second_map is None:
            if e.second not in statements:
                bad("equivalences", e.id, "second", f"statement {e.second!r} does not exist in this map")
            elif e.second == e.first:
                bad("equivalences", e.id, "second", "a statement is trivially equivalent to itself")
    return out


def _blank(text: str) -> bool:
    # `isspace` uses the same notion of whitespace as `strip`, without building a copy
    return not text or text.isspace()
