"""The student viewer: a map rendered as a readable argument tree (and a per-author debate
view), as complete HTML pages.

What this module owns: turning a `MapDocument` into the nested outline students read.
The tree is built here in Python, not in the browser, so the page reads without
JavaScript (plain nested lists); `static/viewer.js` only *enhances* it (collapse,
filters, search, WAI-ARIA tree keyboard navigation). Pages carry no inline script or
style, so the app can send `Content-Security-Policy: script-src 'self'`; everything the
script needs sits in `data-*` attributes.

Both render functions are pure (document in, string out) apart from reading the
templates once; the HTTP layer decides on routes, caching and status codes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Final, Literal
from urllib.parse import urlencode, urlsplit

import jinja2

from service.domain.graph import (
    Conflict,
    ConflictKind,
    GraphIndex,
    Inference,
    MapDocument,
    StanceValue,
    Statement,
)

_HERE: Final = Path(__file__).resolve().parent
STATIC_FILES: Final = ("viewer.css", "viewer.js", "favicon.svg")

# Characters XML/HTML forbid or that cannot be encoded as UTF-8 (lone surrogates). Maps are
# decoded from JSON, where "\u0001" or "\ud800" are legal, so we scrub the output once.
_BAD_CHARS: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_REF_TEXT_LIMIT: Final = 180

Relation = Literal["root", "supports", "objects", "undercuts", "linked"]
RowKind = Literal["statement", "group", "ref"]

KIND_LABELS: Final = {"claim": "Claim", "premise": "Premise", "rebuttal": "Rebuttal", "evidence": "Evidence"}
RELATION_LABELS: Final[dict[str, str]] = {
    "root": "main claim",
    "supports": "supports",
    "objects": "objects",
    "undercuts": "undercuts",
    "linked": "linked reason",
}
CONFLICT_NOTES: Final = {
    ConflictKind.REBUT: "rebuts the statement above",
    ConflictKind.UNDERMINE: "undermines the premise above",
    ConflictKind.UNDERCUT: "denies that the reason above supports its claim",
}
EVAL_CLASSES: Final = frozenset({"in", "out", "undecided"})
AUTHOR_COLOURS: Final = 8
# Above this many statements the page asks the browser to skip off-screen cards (CSS
# content-visibility), which keeps collapse/expand of big branches under 100 ms.
LARGE_MAP: Final = 300


class ViewError(LookupError):
    """A view asked for something the map does not have (unknown root or topic).
    The HTTP layer should answer 404."""


def static_dir() -> Path:
    """Directory of the viewer's CSS and JS, to be served under `static_url`."""
    return _HERE / "static"


def safe_clean(text: str) -> str:
    return _BAD_CHARS.sub("\ufffd", text)


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are rendered as links; anything else (javascript:, data:) as text."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


@dataclass(slots=True)
class Row:
    """One item of the flattened outline: either an opening item or the closing of one.

    The tree is flattened (rather than rendered by a recursive macro) so that a 2,000-step
    chain of premises cannot exhaust the Python stack."""

    close: bool = False
    leaf: bool = True
    dom_id: str = ""
    level: int = 0
    kind: RowKind = "statement"
    relation: Relation = "root"
    statement: Statement | None = None
    inference: Inference | None = None
    conflict: Conflict | None = None
    via: Inference | None = None  # the single-premise inference this statement stands for
    ref_id: str | None = None  # DOM id of the first full occurrence, for kind == "ref"
    ref_text: str = ""
    more: int = 0  # children cut off by the depth limit
    more_href: str | None = None
    author_id: str = ""
    topic_ids: str = ""


@dataclass(slots=True)
class _Spec:
    kind: Literal["statement", "group"]
    relation: Relation
    element_id: str
    conflict: Conflict | None = None
    via: Inference | None = None
    level: int = 0


@dataclass(slots=True)
class _Builder:
    doc: MapDocument
    idx: GraphIndex
    depth: int | None
    seen: dict[str, str] = field(default_factory=dict)  # statement id -> DOM id of its card
    rows: list[Row] = field(default_factory=list)
    ref_counter: int = 0

    def _undercuts(self, inf: Inference, level: int) -> list[_Spec]:
        return [
            _Spec("statement", "undercuts", c.attacker, conflict=c, level=level)
            for c in self.idx.attacks_on.get(inf.id, [])
            if c.attacker in self.idx.statements
        ]

    def _statement_children(self, st: Statement, level: int) -> list[_Spec]:
        out: list[_Spec] = []
        for inf in self.idx.supports_of.get(st.id, []):
            premises = [p for p in inf.premises if p in self.idx.statements]
            if len(premises) == 1:
                out.append(_Spec("statement", "supports", premises[0], via=inf, level=level))
            elif premises:
                out.append(_Spec("group", "supports", inf.id, level=level))
        for c in self.idx.attacks_on.get(st.id, []):
            if c.attacker in self.idx.statements:
                out.append(_Spec("statement", "objects", c.attacker, conflict=c, level=level))
        return out

    def _open(self, spec: _Spec) -> list[_Spec]:
        """Append the row for `spec`; return the specs of its children."""
        row = Row(level=spec.level, kind=spec.kind, relation=spec.relation, conflict=spec.conflict, via=spec.via)
        children: list[_Spec]
        if spec.kind == "group":
            inf = self.idx.inferences[spec.element_id]
            row.inference = inf
            row.dom_id = f"i-{inf.id}"
            row.author_id = inf.author or ""
            children = [
                _Spec("statement", "linked", p, level=spec.level + 1) for p in inf.premises if p in self.idx.statements
            ]
            children += self._undercuts(inf, spec.level + 1)
            # a cut group continues from its conclusion, one level deeper so its premises show
            more_root, more_depth = inf.conclusion, (self.depth or 0) + 1
        else:
            st = self.idx.statements[spec.element_id]
            row.statement = st
            row.author_id = st.author or ""
            row.topic_ids = " ".join(s.topic for s in st.stances)
            children = self._undercuts(spec.via, spec.level + 1) if spec.via is not None else []
            if st.id in self.seen:
                # Shown already (a cycle or a shared premise): point there instead of repeating.
                self.ref_counter += 1
                row.kind = "ref"
                row.dom_id = f"r{self.ref_counter}-{st.id}"
                row.ref_id = self.seen[st.id]
                text = st.title or st.text
                row.ref_text = text if len(text) <= _REF_TEXT_LIMIT else text[: _REF_TEXT_LIMIT - 1] + "…"
            else:
                row.dom_id = f"s-{st.id}"
                self.seen[st.id] = row.dom_id
                children += self._statement_children(st, spec.level + 1)
            more_root, more_depth = st.id, self.depth or 0
        if children and self.depth is not None and spec.level >= self.depth:
            row.more = len(children)
            row.more_href = "?" + urlencode({"root": more_root, "depth": more_depth})
            children = []
        row.leaf = not children
        self.rows.append(row)
        return children

    def build(self, roots: Iterable[str]) -> None:
        for root_id in roots:
            if root_id in self.seen:
                continue
            stack: list[tuple[list[_Spec], int]] = []
            children = self._open(_Spec("statement", "root", root_id))
            if children:
                stack.append((children, 0))
            while stack:
                specs, pos = stack[-1]
                if pos == len(specs):
                    stack.pop()
                    self.rows.append(Row(close=True))
                    continue
                stack[-1] = (specs, pos + 1)
                grand = self._open(specs[pos])
                if grand:
                    stack.append((grand, 0))


def build_rows(doc: MapDocument, *, root: str | None = None, depth: int | None = None) -> list[Row]:
    """The outline of `doc` as flat open/close rows (pre-order).

    Without `root`, the tree starts at the main claims and then picks up statements that
    only cycles reach, so every statement of the map appears once in full."""
    idx = GraphIndex(doc)
    builder = _Builder(doc=doc, idx=idx, depth=depth)
    if root is not None:
        if root not in idx.statements:
            raise ViewError(f"statement {root!r} does not exist in this map")
        builder.build([root])
    else:
        roots = [s.id for s in idx.roots()]
        builder.build(roots)
        reached = _reachable(idx, roots)
        builder.build(s.id for s in doc.statements if s.id not in reached and s.id not in builder.seen)
    return builder.rows


def _reachable(idx: GraphIndex, roots: list[str]) -> set[str]:
    """Statements the tree reaches from `roots` with no depth limit; the rest hang only in
    cycles and get trees of their own."""
    seen = set(roots)
    todo = list(roots)
    while todo:
        sid = todo.pop()
        nxt: list[str] = []
        for inf in idx.supports_of.get(sid, []):
            nxt += inf.premises
            nxt += [c.attacker for c in idx.attacks_on.get(inf.id, [])]
        nxt += [c.attacker for c in idx.attacks_on.get(sid, [])]
        for n in nxt:
            if n not in seen and n in idx.statements:
                seen.add(n)
                todo.append(n)
    return seen


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["safe_url"] = safe_url
    env.globals["KIND_LABELS"] = KIND_LABELS
    env.globals["RELATION_LABELS"] = RELATION_LABELS
    env.globals["CONFLICT_NOTES"] = CONFLICT_NOTES
    return env


@cache
def _static_versions() -> dict[str, str]:
    """Content hashes appended to static URLs so the app may cache them forever."""
    return {name: hashlib.sha256((static_dir() / name).read_bytes()).hexdigest()[:12] for name in STATIC_FILES}


def _static(static_url: str) -> dict[str, str]:
    base = static_url.rstrip("/")
    return {name: f"{base}/{name}?v={digest}" for name, digest in _static_versions().items()}


def _author_table(doc: MapDocument) -> dict[str, tuple[str, int]]:
    """author id -> (display name, colour slot). Colour is a secondary cue only."""
    return {a.id: (a.name, k % AUTHOR_COLOURS) for k, a in enumerate(doc.authors)}


def _eval_class(label: str) -> str:
    return label if label in EVAL_CLASSES else "other"


def render_view(
    doc: MapDocument,
    *,
    root: str | None = None,
    depth: int | None = None,
    static_url: str = "/static",
    title_suffix: str = "argmap",
    overlay: Mapping[str, str] | None = None,
) -> str:
    """The argument tree page of `doc`.

    `root` starts the tree at one statement (default: the main claims); `depth` cuts it
    after that many levels, with a link to continue from the cut; `overlay` maps element
    ids to evaluation labels ("in", "out", "undecided", ...) shown as badges.
    Raises `ViewError` for an unknown root."""
    if depth is not None and depth < 0:
        raise ValueError("depth must be >= 0")
    rows = build_rows(doc, root=root, depth=depth)
    statements = {s.id: s for s in doc.statements}
    sources = {s.id: s for s in doc.sources}
    html = (
        _environment()
        .get_template("view.html")
        .render(
            doc=doc,
            rows=rows,
            root=statements.get(root) if root else None,
            depth=depth,
            authors=_author_table(doc),
            sources=sources,
            topics={t.id: t for t in doc.topics},
            statements=statements,
            equivalents=_equivalents(doc),
            overlay=dict(overlay or {}),
            eval_class=_eval_class,
            static=_static(static_url),
            title_suffix=title_suffix,
            statement_count=len(doc.statements),
            large_map=LARGE_MAP,
        )
    )
    return safe_clean(html)


def _equivalents(doc: MapDocument) -> dict[str, list[str]]:
    """statement id -> ids of statements in this map stating the same position."""
    out: dict[str, list[str]] = {}
    for e in doc.equivalences:
        if e.second_map is None:
            out.setdefault(e.first, []).append(e.second)
            out.setdefault(e.second, []).append(e.first)
    return out


@dataclass(slots=True)
class _Column:
    author_id: str
    name: str
    colour: int
    entries: list[tuple[Statement, StanceValue | None]]


@dataclass(slots=True)
class _TopicSection:
    topic_id: str | None
    title: str
    description: str | None
    columns: list[_Column]
    clashes: list[tuple[Conflict, Statement, Statement | Inference]]
    agreements: list[tuple[Statement, Statement]]


_STANCE_ORDER: Final = {StanceValue.PRO: 0, StanceValue.NEUTRAL: 1, StanceValue.CON: 2, None: 3}


def _debate_section(
    doc: MapDocument, idx: GraphIndex, topic_id: str | None, title: str, description: str | None
) -> _TopicSection:
    authors = _author_table(doc)

    def stance_of(st: Statement) -> StanceValue | None:
        for s in st.stances:
            if s.topic == topic_id:
                return s.stance
        return None

    relevant = [st for st in doc.statements if topic_id is None or stance_of(st) is not None]
    relevant_ids = {st.id for st in relevant}
    columns: list[_Column] = []
    for a in doc.authors:
        entries = [(st, stance_of(st)) for st in relevant if st.author == a.id]
        entries.sort(key=lambda e: _STANCE_ORDER[e[1]])
        if entries:
            columns.append(_Column(a.id, a.name, authors[a.id][1], entries))
    anonymous = [(st, stance_of(st)) for st in relevant if st.author is None or st.author not in authors]
    if anonymous:
        columns.append(_Column("", "Unattributed", AUTHOR_COLOURS, anonymous))

    def owner(target_id: str) -> str | None:
        if target_id in idx.statements:
            return idx.statements[target_id].author
        inf = idx.inferences.get(target_id)
        if inf is None:
            return None
        return inf.author or (idx.statements[inf.conclusion].author if inf.conclusion in idx.statements else None)

    def touches_topic(target_id: str) -> bool:
        if target_id in relevant_ids:
            return True
        inf = idx.inferences.get(target_id)
        return inf is not None and (inf.conclusion in relevant_ids or any(p in relevant_ids for p in inf.premises))

    clashes: list[tuple[Conflict, Statement, Statement | Inference]] = []
    for c in doc.conflicts:
        attacker = idx.statements.get(c.attacker)
        target: Statement | Inference | None = idx.statements.get(c.target) or idx.inferences.get(c.target)
        if attacker is None or target is None:
            continue
        if attacker.author == owner(c.target):
            continue
        if c.attacker in relevant_ids or touches_topic(c.target):
            clashes.append((c, attacker, target))
    agreements: list[tuple[Statement, Statement]] = []
    for e in doc.equivalences:
        first, second = idx.statements.get(e.first), idx.statements.get(e.second)
        if e.second_map is not None or first is None or second is None:
            continue
        if first.id in relevant_ids or second.id in relevant_ids:
            agreements.append((first, second))
    return _TopicSection(topic_id, title, description, columns, clashes, agreements)


def render_debate(
    doc: MapDocument,
    topic: str | None = None,
    *,
    static_url: str = "/static",
    title_suffix: str = "argmap",
) -> str:
    """Each author's position side by side: one column per author with their statements
    and stance, then the clashes (conflicts across authors) and agreements (equivalences).

    With `topic`, only that topic; without, one section per topic of the map (or the whole
    map when it has no topics). Raises `ViewError` for an unknown topic."""
    idx = GraphIndex(doc)
    topics = {t.id: t for t in doc.topics}
    if topic is not None:
        if topic not in topics:
            raise ViewError(f"topic {topic!r} does not exist in this map")
        chosen = [topics[topic]]
    else:
        chosen = list(doc.topics)
    if chosen:
        sections = [_debate_section(doc, idx, t.id, t.title, t.description) for t in chosen]
    else:
        sections = [_debate_section(doc, idx, None, "The whole debate", None)]
    html = (
        _environment()
        .get_template("debate.html")
        .render(
            doc=doc,
            sections=sections,
            authors=_author_table(doc),
            topic=topics.get(topic) if topic else None,
            all_topics=doc.topics,
            statements=idx.statements,
            static=_static(static_url),
            title_suffix=title_suffix,
            KIND_LABELS=KIND_LABELS,
        )
    )
    return safe_clean(html)
