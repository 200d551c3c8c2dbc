"""GraphML export: the map as a plain directed graph for graph tools (yEd, Gephi, networkx).

Statements and inferences are nodes (attribute `kind`); premises point at their
inference, the inference at its conclusion; conflicts and equivalences are edges
(attacker -> statement or inference). Characters XML 1.0 forbids are removed.
"""

import re
from collections.abc import Callable
from operator import attrgetter
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from service.domain.formats._util import count_truthy, gc_paused, loss
from service.domain.formats.base import Exported
from service.domain.graph import MapDocument

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


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    stripped = 0

    def clean(s: str) -> str:
        nonlocal stripped
        out, n = _NOT_XML.subn("", s)
        stripped += n
        return escape(out)

    authors = {a.id: a.name for a in doc.authors}
    parts: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
    ]
    for name, target in _KEYS:
        parts.append(f'  <key id="{name}" for="{target}" attr.name="{name}" attr.type="string"/>\n')
    parts.append(f'  <graph id={quoteattr(doc.slug or "map")} edgedefault="directed">\n')

    def data(key: str, value: str | None) -> str:
        return "" if value is None else f'<data key="{key}">{clean(value)}</data>'

    statements = doc.statements
    inferences = doc.inferences
    texts = [s.text for s in statements]
    # One scan of all texts (and one of all ids) usually shows nothing needs escaping.
    joined = "".join(texts)
    if (
        "&" in joined
        or "<" in joined
        or ">" in joined
        # printable text has no control character at all; otherwise look closer
        or (not joined.isprintable() and _NOT_XML.search(joined) is not None)
    ):
        texts = list(map(clean, texts))
    del joined
    q: Callable[[str], str] = _plain_attr if _ids_plain(doc) else quoteattr
    add = parts.append
    for s, text in zip(statements, texts, strict=True):
        if s.title is None and (s.author is None or s.author not in authors):
            add(f'    <node id={q(s.id)}><data key="kind">statement</data><data key="text">{text}</data></node>\n')
        else:
            add(
                f'    <node id={q(s.id)}><data key="kind">statement</data><data key="text">{text}</data>'
                f"{data('title', s.title)}{data('author', authors.get(s.author or ''))}</node>\n"
            )
    del texts
    parts += [
        f'    <node id={q(i.id)}><data key="kind">inference</data>{data("scheme", i.scheme)}</node>\n'
        if i.scheme
        else f'    <node id={q(i.id)}><data key="kind">inference</data></node>\n'
        for i in inferences
    ]
    n = 0

    def edge(a: str, b: str, rel: str, kind: str | None = None) -> None:
        nonlocal n
        n += 1
        parts.append(
            f'    <edge id="e{n}" source={quoteattr(a)} target={quoteattr(b)}>'
            f"{data('relation', rel)}{data('conflict_kind', kind)}</edge>\n"
        )

    for i in inferences:
        iid = q(i.id)
        premises = i.premises
        if len(premises) == 1:
            add(
                f'    <edge id="e{n + 1}" source={q(premises[0])} target={iid}>'
                '<data key="relation">premise</data></edge>\n'
                f'    <edge id="e{n + 2}" source={iid} target={q(i.conclusion)}>'
                '<data key="relation">conclusion</data></edge>\n'
            )
            n += 2
            continue
        for p in premises:
            edge(p, i.id, "premise")
        edge(i.id, i.conclusion, "conclusion")
    for c in doc.conflicts:
        n += 1
        add(
            f'    <edge id="e{n}" source={q(c.attacker)} target={q(c.target)}>'
            f'<data key="relation">attack</data><data key="conflict_kind">{c.kind.value}</data></edge>\n'
        )
    cross = 0
    for e in doc.equivalences:
        if e.second_map is not None:
            cross += 1
            continue
        edge(e.first, e.second, "equivalence")
    parts.append("  </graph>\n</graphml>\n")
    if stripped:
        warnings.append(f"GraphML (XML 1.0) cannot hold control characters: {stripped} removed")
    loss(warnings, "GraphML", cross, "equivalences with a statement of another map")
    loss(warnings, "GraphML", count_truthy(statements, "locator"), "source locators")
    loss(warnings, "GraphML", len(doc.sources), "sources")
    return Exported("".join(parts).encode("utf-8"), MEDIA_TYPE, EXTENSION, warnings)


_ATTR_SPECIAL: Final = re.compile("[&<>\"'\n\r\t]")


def _plain_attr(s: str) -> str:
    return f'"{s}"'


def _ids_plain(doc: MapDocument) -> bool:
    """True when `quoteattr` would only wrap every id and reference in double quotes."""
    parts = [
        *map(_get_id, doc.statements),
        *map(_get_id, doc.inferences),
        *map(attrgetter("conclusion"), doc.inferences),
        *map(attrgetter("attacker"), doc.conflicts),
        *map(attrgetter("target"), doc.conflicts),
    ]
    parts += [p for i in doc.inferences for p in i.premises]
    joined = "".join(parts)
    if joined.isascii():
        # a few fast substring scans beat one character-class regex over every id
        return not any(ch in joined for ch in "&<>\"'\n\r\t")
    return _ATTR_SPECIAL.search(joined) is None


_get_id = attrgetter("id")
