"""The invariants of a map that types alone cannot express.

`validate()` returns *every* violation (not just the first), each naming the collection,
the element id, the field and the reason, so that an editor can show them all at once.
"""

import msgspec

from service.domain.graph import ConflictKind, MapDocument


class Violation(msgspec.Struct, frozen=True, kw_only=True):
    """One broken invariant. `element` is the collection ("statements", ...) or "map"."""

    element: str
    id: str | None
    field: str
    reason: str


def validate(doc: MapDocument) -> list[Violation]:
    out: list[Violation] = []

    def bad(element: str, id_: str | None, field: str, reason: str) -> None:
        out.append(Violation(element=element, id=id_, field=field, reason=reason))

    seen: dict[str, str] = {}
    for collection in ("authors", "sources", "topics", "statements", "inferences", "conflicts", "equivalences"):
        for el in getattr(doc, collection):
            if el.id in seen:
                bad(collection, el.id, "id", f"id {el.id!r} is already used by an element of {seen[el.id]}")
            else:
                seen[el.id] = collection

    if not doc.title.strip():
        bad("map", doc.id, "title", "title must not be blank")

    authors = {a.id for a in doc.authors}
    sources = {s.id for s in doc.sources}
    topics = {t.id for t in doc.topics}
    statements = {s.id for s in doc.statements}
    inferences = {i.id for i in doc.inferences}

    def author_ok(collection: str, id_: str, author: str | None) -> None:
        if author is not None and author not in authors:
            bad(collection, id_, "author", f"author {author!r} does not exist in this map")

    for a in doc.authors:
        if not a.name.strip():
            bad("authors", a.id, "name", "name must not be blank")
    for src in doc.sources:
        if not src.title.strip():
            bad("sources", src.id, "title", "title must not be blank")
    for t in doc.topics:
        if not t.title.strip():
            bad("topics", t.id, "title", "title must not be blank")

    for s in doc.statements:
        if not s.text.strip():
            bad("statements", s.id, "text", "text must not be blank")
        author_ok("statements", s.id, s.author)
        loc = s.locator
        if loc is not None:
            if loc.source not in sources:
                bad("statements", s.id, "locator.source", f"source {loc.source!r} does not exist in this map")
            if (loc.start is None) != (loc.end is None):
                bad("statements", s.id, "locator.end", "a character span needs both start and end")
            elif loc.start is not None and loc.end is not None and loc.start > loc.end:
                bad("statements", s.id, "locator.end", f"span end {loc.end} is before its start {loc.start}")
        stance_topics: set[str] = set()
        for k, st in enumerate(s.stances):
            if st.topic not in topics:
                bad("statements", s.id, f"stances[{k}].topic", f"topic {st.topic!r} does not exist in this map")
            if st.topic in stance_topics:
                bad("statements", s.id, f"stances[{k}].topic", f"a second stance on topic {st.topic!r}")
            stance_topics.add(st.topic)

    for i in doc.inferences:
        author_ok("inferences", i.id, i.author)
        if not i.premises:
            bad("inferences", i.id, "premises", "an inference needs at least one premise")
        seen_premises: set[str] = set()
        for k, p in enumerate(i.premises):
            if p not in statements:
                bad("inferences", i.id, f"premises[{k}]", f"premise {p!r} is not a statement of this map")
            if p in seen_premises:
                bad("inferences", i.id, f"premises[{k}]", f"premise {p!r} is listed twice")
            seen_premises.add(p)
        if i.conclusion not in statements:
            bad("inferences", i.id, "conclusion", f"conclusion {i.conclusion!r} is not a statement of this map")
        elif i.conclusion in seen_premises:
            bad("inferences", i.id, "conclusion", f"conclusion {i.conclusion!r} is also one of its premises")

    for c in doc.conflicts:
        author_ok("conflicts", c.id, c.author)
        if c.attacker not in statements:
            bad("conflicts", c.id, "attacker", f"attacker {c.attacker!r} is not a statement of this map")
        if c.attacker == c.target:
            bad("conflicts", c.id, "target", "a statement cannot attack itself")
        elif c.target in inferences:
            if c.kind != ConflictKind.UNDERCUT:
                bad("conflicts", c.id, "kind", f"target {c.target!r} is an inference, so the kind must be 'undercut'")
        elif c.target in statements:
            if c.kind == ConflictKind.UNDERCUT:
                bad("conflicts", c.id, "kind", f"an undercut must target an inference, but {c.target!r} is a statement")
        else:
            bad("conflicts", c.id, "target", f"target {c.target!r} is neither a statement nor an inference of this map")

    for e in doc.equivalences:
        author_ok("equivalences", e.id, e.author)
        if e.first not in statements:
            bad("equivalences", e.id, "first", f"statement {e.first!r} does not exist in this map")
        if e.second_map is None:
            if e.second not in statements:
                bad("equivalences", e.id, "second", f"statement {e.second!r} does not exist in this map")
            elif e.second == e.first:
                bad("equivalences", e.id, "second", "a statement is trivially equivalent to itself")
    return out
