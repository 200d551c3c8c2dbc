"""GraphML export: the map as a plain directed graph for graph tools (yEd, Gephi, networkx).

Statements and inferences are nodes (attribute `kind`); premises point at their
inference, the inference at its conclusion; conflicts and equivalences are edges
(attacker -> statement or inference). Characters XML 1.0 forbids are removed.

Each inference node is followed by its own edges (GraphML lets nodes and edges come in
any order), and edges carry no `id` attribute (it is optional and no reader needs one),
so that a large map is written in one pass over each collection.
"""

import io
import re
from collections.abc import Callable
from itertools import repeat
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from service.domain.formats._util import Forbidden, chunks, free_of, gc_paused, inference_refs, loss, split_equivalences
from service.domain.formats.base import Exported
from service.domain.graph import Conflict, ConflictKind, Inference, MapDocument, Statement

MEDIA_TYPE: Final = "application/graphml+xml"
EXTENSION: Final = "graphml"
_NOT_XML: Final = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_KEYS: Final = (
    ("kind", "node"),
    ("text", "node"),
    ("title", "node"),
    ("author", "node"),
    ("scheme", "node"),
    ("relation", "edge"),
    ("conflict_kind", "edge"),
)
_XML_CONTROL: Final = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r")
# text that goes out as it is: nothing to escape, nothing XML 1.0 forbids
_NOT_PLAIN_TEXT: Final = Forbidden(_XML_CONTROL + "&<>", "[&<>\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# what `quoteattr` would change (or XML forbids); valid element ids hold none of it
_NOT_PLAIN_ATTR: Final = Forbidden(_XML_CONTROL + "&<>\"'\t\n\r", "[&<>\"'\x01-\x1f\ufffe\uffff\ud800-\udfff]")
_KIND: Final = {kind: kind.value for kind in ConflictKind}


class _Cleaner:
    """XML-escapes short texts one by one, counting the characters XML forbids."""

    __slots__ = ("removed",)

    def __init__(self) -> None:
        self.removed = 0

    def __call__(self, s: str) -> str:
        out, n = _NOT_XML.subn("", s)
        self.removed += n
        return escape(out)

    def data(self, key: str, value: str | None) -> str:
        return "" if value is None else f'<data key="{key}">{self(value)}</data>'


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    clean = _Cleaner()
    # The document is written a few thousand elements at a time (see `_util.chunks`):
    # one f-string per element, the common case inline, ids written as they are once a
    # scan of the chunk shows that none needs escaping (valid element ids never do).
    out = io.BytesIO()
    write = out.write
    write(
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
            + "".join(
                f'  <key id="{name}" for="{target}" attr.name="{name}" attr.type="string"/>\n' for name, target in _KEYS
            )
            + f'  <graph id={quoteattr(doc.slug or "map")} edgedefault="directed">\n'
        ).encode("utf-8")
    )
    statements = doc.statements
    authors = _Authors(doc, clean)
    located = 0
    # a locator names a source of the map (validation sees to it): no sources, no scan
    sourced = bool(doc.sources)
    for part in chunks(len(statements)):
        chunk = statements[part]
        write(_statement_rows(chunk, authors, clean).encode("utf-8"))
        if sourced:
            located += len(chunk) - [x.locator for x in chunk].count(None)
    inferences = doc.inferences
    for part in chunks(len(inferences)):
        write(_inference_rows(inferences[part], clean))
    conflicts = doc.conflicts
    for part in chunks(len(conflicts)):
        write(_conflict_rows(conflicts[part]))
    local, cross = split_equivalences(doc)
    for e in local:
        write(
            f"    <edge source={quoteattr(e.first)} target={quoteattr(e.second)}>"
            f'<data key="relation">equivalence</data></edge>\n'.encode()
        )
    write(b"  </graph>\n</graphml>\n")
    if clean.removed:
        warnings.append(f"GraphML (XML 1.0) cannot hold control characters: {clean.removed} removed")
    loss(warnings, "GraphML", cross, "equivalences with a statement of another map")
    loss(warnings, "GraphML", located, "source locators")
    loss(warnings, "GraphML", len(doc.sources), "sources")
    return Exported(out.getvalue(), MEDIA_TYPE, EXTENSION, warnings)


class _Authors:
    """Each author's `<data>` element, written once; the characters removed from a name
    count once per statement that names the author, as when each was written alone."""

    __slots__ = ("data", "removed")

    def __init__(self, doc: MapDocument, clean: _Cleaner) -> None:
        self.data: dict[str | None, str] = {}
        self.removed: dict[str | None, int] = {}
        for a in doc.authors:
            before = clean.removed
            self.data[a.id] = clean.data("author", a.name)
            if clean.removed != before:
                self.removed[a.id] = clean.removed - before
            clean.removed = before


def _statement_rows(chunk: list[Statement], authors: _Authors, clean: _Cleaner) -> str:
    titles = [x.title for x in chunk]
    if titles.count(None) != len(titles) or not free_of([x.text for x in chunk], _NOT_PLAIN_TEXT):
        return "".join([_statement_row(s, authors, clean) for s in chunk])
    if not authors.data or not any([x.author for x in chunk]):  # no author data to write
        rows = "".join(
            [
                f'    <node id="{s.id}"><data key="kind">statement</data><data key="text">{s.text}</data></node>\n'
                for s in chunk
            ]
        )
    else:
        names = authors.data
        rows = "".join(
            [
                f'    <node id="{s.id}"><data key="kind">statement</data><data key="text">{s.text}</data>'
                f"{names.get(s.author, '')}</node>\n"
                for s in chunk
            ]
        )
    if not free_of([x.id for x in chunk], _NOT_PLAIN_ATTR):
        return "".join([_statement_row(s, authors, clean) for s in chunk])
    if authors.removed:
        clean.removed += sum(map(authors.removed.get, [x.author for x in chunk], repeat(0)))
    return rows


def _statement_row(s: Statement, authors: _Authors, clean: _Cleaner) -> str:
    """One statement node with everything escaped on its own."""
    author = authors.data.get(s.author, "")
    clean.removed += authors.removed.get(s.author, 0)
    return (
        f'    <node id={quoteattr(s.id)}><data key="kind">statement</data><data key="text">{clean(s.text)}</data>'
        f"{clean.data('title', s.title)}{author}</node>\n"
    )


def _inference_rows(chunk: list[Inference], clean: _Cleaner) -> bytes:
    removed = clean.removed
    rows = "".join(
        [
            f'    <node id="{i.id}"><data key="kind">inference</data></node>\n'
            f'    <edge source="{ps[0]}" target="{i.id}"><data key="relation">premise</data></edge>\n'
            f'    <edge source="{i.id}" target="{i.conclusion}"><data key="relation">conclusion</data></edge>\n'
            if len(ps := i.premises) == 1 and not i.scheme
            else _inference_row(i, clean, _plain_attr)
            for i in chunk
        ]
    ).encode("utf-8")
    # rows of the common shape are checked as a whole; linked premises or a scheme
    # change the shape, and then the ids are looked at on their own
    if rows.translate(None, _NOT_SHAPE) == _INFERENCE_SHAPE * len(chunk) or free_of(
        inference_refs(chunk),
        _NOT_PLAIN_ATTR,
    ):
        return rows
    clean.removed = removed  # the schemes are cleaned again
    return "".join([_inference_row(i, clean, quoteattr) for i in chunk]).encode("utf-8")


def _inference_row(i: Inference, clean: _Cleaner, q: Callable[[str], str]) -> str:
    """One inference node and its edges, with ids quoted by `q`."""
    iid = q(i.id)
    node = f'    <node id={iid}><data key="kind">inference</data>{clean.data("scheme", i.scheme or None)}</node>\n'
    edges = "".join(
        [f'    <edge source={q(p)} target={iid}><data key="relation">premise</data></edge>\n' for p in i.premises]
    )
    return (
        f'{node}{edges}    <edge source={iid} target={q(i.conclusion)}><data key="relation">conclusion</data></edge>\n'
    )


def _plain_attr(s: str) -> str:
    return f'"{s}"'


def _conflict_rows(chunk: list[Conflict]) -> bytes:
    kinds = _KIND
    rows = "".join(
        [
            f'    <edge source="{c.attacker}" target="{c.target}"><data key="relation">attack</data>'
            f'<data key="conflict_kind">{kinds[c.kind]}</data></edge>\n'
            for c in chunk
        ]
    ).encode("utf-8")
    if rows.translate(None, _NOT_SHAPE) == _CONFLICT_SHAPE * len(chunk):
        return rows
    return "".join([_conflict_row(c, quoteattr) for c in chunk]).encode("utf-8")


def _conflict_row(c: Conflict, q: Callable[[str], str]) -> str:
    return (
        f'    <edge source={q(c.attacker)} target={q(c.target)}><data key="relation">attack</data>'
        f'<data key="conflict_kind">{_KIND[c.kind]}</data></edge>\n'
    )


# Rows written with ids as they are are checked by what is left of them once all but
# quotes, `<`, `&` and control characters are dropped: exactly what their template leaves
# when no id needed escaping (the same rows written by the general path, from plain ids).
_NOT_SHAPE: Final = bytes(b for b in range(256) if not (b < 0x20 or b in b'"<&'))
_INFERENCE_SHAPE: Final = (
    _inference_row(Inference(id="i", premises=["p"], conclusion="c"), _Cleaner(), _plain_attr)
    .encode()
    .translate(None, _NOT_SHAPE)
)
_CONFLICT_SHAPE: Final = (
    _conflict_row(Conflict(id="c", attacker="a", target="t"), _plain_attr).encode().translate(None, _NOT_SHAPE)
)
