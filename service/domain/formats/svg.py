"""SVG export: the map as a layered picture, conclusions above their reasons.

What this module owns: turning a `MapDocument` into a self-contained SVG (no script, no
external references, every text escaped). Statements are fixed-width boxes with wrapped
text; support, objection and undercut differ by line style, arrowhead shape AND a text
label on the line, colour being only a third cue. Linked premises (and any inference that
is undercut) meet at a small junction box so the undercut has something to point at.
The PNG export renders this same SVG.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final, Literal
from xml.sax.saxutils import escape, quoteattr

from service.domain.formats.base import Exported
from service.domain.graph import ConflictKind, GraphIndex, MapDocument, Statement, StatementKind
from service.domain.layout import LayoutEdge, LayoutNode, fit_text, layered_layout, text_width, wrap_text

MEDIA_TYPE: Final = "image/svg+xml"
FONT_FAMILY: Final = "DejaVu Sans, sans-serif"

BOX_WIDTH: Final = 240.0
PAD: Final = 10.0
FONT: Final = 12.5
LINE: Final = 16.0
HEAD_FONT: Final = 10.0
HEAD_LINE: Final = 15.0
MAX_LINES: Final = 9
TOOLTIP_LIMIT: Final = 2000
JUNCTION_W: Final = 118.0
JUNCTION_H: Final = 26.0
HEADER_H: Final = 78.0

EdgeKind = Literal["supports", "objects", "undercuts", "linked"]
STYLE: Final[dict[str, tuple[str, str, str]]] = {
    # kind: (colour, stroke-dasharray, marker id)
    "supports": ("#17733a", "", "m-sup"),
    "objects": ("#b3261e", "8 5", "m-obj"),
    "undercuts": ("#6a3fc1", "2 4", "m-und"),
    "linked": ("#0b5fa0", "", ""),
}
KIND_NAMES: Final = {
    StatementKind.CLAIM: "CLAIM",
    StatementKind.PREMISE: "PREMISE",
    StatementKind.REBUTTAL: "REBUTTAL",
    StatementKind.EVIDENCE: "EVIDENCE",
}

_BAD_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _text(s: str) -> str:
    """Escape for XML character data; characters XML cannot hold become U+FFFD."""
    return escape(_BAD_XML.sub("\ufffd", s))


def _attr(s: str) -> str:
    return quoteattr(_BAD_XML.sub("\ufffd", s), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


@dataclass(slots=True)
class SvgPicture:
    svg: str
    width: float
    height: float
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Box:
    head: str
    title_lines: list[str]
    lines: list[str]
    tooltip: str
    statement: Statement
    shortened: bool

    @property
    def height(self) -> float:
        n = len(self.title_lines) + len(self.lines)
        return PAD + HEAD_LINE + n * LINE + PAD - 2


def _box(st: Statement, authors: dict[str, str]) -> _Box:
    inner = BOX_WIDTH - 2 * PAD
    head = KIND_NAMES.get(st.kind, str(st.kind).upper())
    if st.author and st.author in authors:
        name = authors[st.author]
        room = inner - text_width(head + " · ", HEAD_FONT)
        name = fit_text(name, room, HEAD_FONT)
        head = f"{head} · {name}"
    title_lines = wrap_text(st.title, inner, FONT + 0.5, max_lines=2) if st.title else []
    budget = MAX_LINES - len(title_lines)
    lines = wrap_text(st.text, inner, FONT, max_lines=budget)
    shortened = lines[-1].endswith("…") and not st.text.rstrip().endswith("…")
    tooltip = st.text if len(st.text) <= TOOLTIP_LIMIT else st.text[: TOOLTIP_LIMIT - 1] + "…"
    if st.title:
        tooltip = f"{st.title}: {tooltip}"
    return _Box(head, title_lines, lines, tooltip, st, shortened)


_DEFS: Final = (
    "<defs>"
    '<marker id="m-sup" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="12" markerHeight="12" '
    'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L12,6 L0,12 z" fill="#17733a"/></marker>'
    '<marker id="m-obj" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="13" markerHeight="13" '
    'markerUnits="userSpaceOnUse" orient="auto"><path d="M1,1 L11,6 L1,11" fill="none" stroke="#b3261e" '
    'stroke-width="2"/><path d="M11,0 L11,12" stroke="#b3261e" stroke-width="2"/></marker>'
    '<marker id="m-und" viewBox="0 0 12 12" refX="10" refY="6" markerWidth="12" markerHeight="12" '
    'markerUnits="userSpaceOnUse" orient="auto"><circle cx="6" cy="6" r="4.5" fill="#fff" stroke="#6a3fc1" '
    'stroke-width="2"/><path d="M3,3 L9,9" stroke="#6a3fc1" stroke-width="2"/></marker>'
    "</defs>"
)


def render_svg(doc: MapDocument) -> SvgPicture:
    """Lay out `doc` and draw it. Pure; the only cost worth noting is the layout."""
    idx = GraphIndex(doc)
    authors = {a.id: a.name for a in doc.authors}
    warnings: list[str] = []

    boxes: dict[str, _Box] = {}
    nodes: list[LayoutNode] = []
    for st in doc.statements:
        b = _box(st, authors)
        boxes[st.id] = b
        nodes.append(LayoutNode(f"s:{st.id}", BOX_WIDTH, b.height))

    # An inference gets its own junction node when premises are linked or when an undercut
    # needs a target; a lone unattacked premise links straight to its conclusion.
    junctions: dict[str, str] = {}
    edges: list[LayoutEdge] = []
    kinds: dict[str, EdgeKind] = {}

    def add(upper: str, lower: str, kind: EdgeKind) -> None:
        key = f"e{len(edges)}"
        edges.append(LayoutEdge(upper, lower, key))
        kinds[key] = kind

    for inf in doc.inferences:
        premises = [p for p in inf.premises if p in idx.statements]
        if inf.conclusion not in idx.statements or not premises:
            continue
        if len(premises) > 1 or inf.id in idx.attacks_on:
            jid = f"i:{inf.id}"
            junctions[inf.id] = jid
            nodes.append(LayoutNode(jid, JUNCTION_W, JUNCTION_H))
            add(f"s:{inf.conclusion}", jid, "supports")
            for premise in premises:
                add(jid, f"s:{premise}", "linked")
        else:
            add(f"s:{inf.conclusion}", f"s:{premises[0]}", "supports")
    for c in doc.conflicts:
        if c.attacker not in idx.statements:
            continue
        if c.target in junctions:
            add(junctions[c.target], f"s:{c.attacker}", "undercuts")
        elif c.target in idx.statements:
            add(f"s:{c.target}", f"s:{c.attacker}", "undercuts" if c.kind == ConflictKind.UNDERCUT else "objects")

    lay = layered_layout(nodes, edges)
    if lay.routes and any(r.reversed for r in lay.routes):
        warnings.append("the map has cycles; some arrows point downwards")
    shortened = sum(1 for b in boxes.values() if b.shortened)
    if shortened:
        warnings.append(f"{shortened} statement text(s) shortened to fit their box; the full text is in the tooltip")
    if doc.equivalences:
        warnings.append(f"{len(doc.equivalences)} equivalence(s) are not drawn in the picture")

    width = max(lay.width, 600.0)
    height = lay.height + HEADER_H
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(width)}" height="{_num(height)}" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" font-family={_attr(FONT_FAMILY)} font-size="{_num(FONT)}" '
        'role="img" aria-labelledby="map-title">',
        f'<title id="map-title">{_text(doc.title)}</title>',
        _DEFS,
        f'<rect width="{_num(width)}" height="{_num(height)}" fill="#ffffff"/>',
        f'<text x="24" y="32" font-size="18" font-weight="bold" fill="#1d2430">'
        f"{_text(fit_text(doc.title, width - 48, 18))}</text>",
    ]
    # legend: line style + label for each relation, so the picture explains itself
    lx = 24.0
    for kind, label in (("supports", "supports"), ("objects", "objects"), ("undercuts", "undercuts")):
        colour, dash, marker = STYLE[kind]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<path d="M{_num(lx)},56 L{_num(lx + 44)},56" stroke="{colour}" stroke-width="2.2" fill="none"'
            f'{dash_attr} marker-end="url(#{marker})"/>'
            f'<text x="{_num(lx + 52)}" y="60" font-size="12" fill="#1d2430">{label}</text>'
        )
        lx += 150
    out.append(f'<g transform="translate(0,{_num(HEADER_H)})">')

    # edges first, so boxes sit on top of the lines
    out.append('<g fill="none" stroke-width="2" stroke-linejoin="round">')
    labels: list[str] = []
    for route in lay.routes:
        kind = kinds[route.edge.key]
        colour, dash, marker = STYLE[kind]
        pts = route.points
        d = "M" + " L".join(f"{_num(x)},{_num(y)}" for x, y in pts)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        marker_attr = f' marker-end="url(#{marker})"' if marker else ""
        width_attr = ' stroke-width="2.4"' if kind == "undercuts" else ""
        out.append(f'<path d="{d}" stroke="{colour}"{dash_attr}{marker_attr}{width_attr}/>')
        if kind != "linked" and len(pts) >= 2:
            (x0, y0), (x1, y1) = pts[0], pts[1]
            # just above the reason's box: the gap between layers is the one place sure to be free
            t = min(0.5, 20.0 / abs(y0 - y1)) if y0 != y1 else 0.5
            lx, ly = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            labels.append(
                f'<text x="{_num(lx)}" y="{_num(ly + 4)}" text-anchor="middle" font-size="10.5" fill="{colour}" '
                f'stroke="#ffffff" stroke-width="3.5" paint-order="stroke" font-style="italic">{kind}</text>'
            )
    out.append("</g>")

    for jid_inf, jid in junctions.items():
        p = lay.nodes[jid]
        inf = idx.inferences[jid_inf]
        label = "linked reasons" if len(inf.premises) > 1 else "reason"
        out.append(
            f'<g data-id={_attr(inf.id)}><rect x="{_num(p.x)}" y="{_num(p.y)}" width="{_num(p.width)}" '
            f'height="{_num(p.height)}" rx="13" fill="#eaf3fb" stroke="#0b5fa0" stroke-width="1.6"/>'
            f'<text x="{_num(p.cx)}" y="{_num(p.y + 17)}" text-anchor="middle" font-size="11" '
            f'fill="#0a4a7c" font-weight="bold">{label}</text></g>'
        )

    for sid, b in boxes.items():
        p = lay.nodes[f"s:{sid}"]
        st = b.statement
        claim = st.kind == StatementKind.CLAIM
        dashed = st.kind == StatementKind.REBUTTAL
        stroke = "#364152" if claim else "#8a94a3"
        extra = ' stroke-dasharray="6 4"' if dashed else ""
        fill = "#f7f8fb" if claim else "#ffffff"
        out.append(
            f"<g data-id={_attr(sid)}><title>{_text(b.tooltip)}</title>"
            f'<rect x="{_num(p.x)}" y="{_num(p.y)}" width="{_num(p.width)}" height="{_num(p.height)}" rx="8" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{2.2 if claim else 1.3}"{extra}/>'
        )
        x = p.x + PAD
        y = p.y + PAD + HEAD_FONT
        out.append(
            f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(HEAD_FONT)}" fill="#535c6b" '
            f'font-weight="bold" letter-spacing="0.4">{_text(b.head)}</text>'
        )
        y += HEAD_LINE - HEAD_FONT + FONT
        if b.title_lines or b.lines:
            out.append(f'<text fill="#1d2430" x="{_num(x)}" y="{_num(y)}">')
            first = True
            for line in b.title_lines:
                dy = "0" if first else _num(LINE)
                out.append(f'<tspan x="{_num(x)}" dy="{dy}" font-weight="bold">{_text(line)}</tspan>')
                first = False
            for line in b.lines:
                dy = "0" if first else _num(LINE)
                out.append(f'<tspan x="{_num(x)}" dy="{dy}">{_text(line)}</tspan>')
                first = False
            out.append("</text>")
        out.append("</g>")
    for lbl in labels:
        out.append(lbl)
    out.append("</g></svg>\n")
    return SvgPicture("".join(out), width, height, warnings)


def export(doc: MapDocument) -> Exported:
    pic = render_svg(doc)
    return Exported(data=pic.svg.encode("utf-8"), media_type=MEDIA_TYPE, extension="svg", warnings=pic.warnings)
