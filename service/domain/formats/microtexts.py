"""Argumentative Microtexts XML (Peldszus & Stede): import only.

EDUs are text segments joined into ADUs (`seg`); ADUs become statements. `sup`/`exa`
edges are one-premise inferences, `reb` a rebuttal, `und` (targeting an edge) an undercut
of that inference, `add` (targeting an edge) an extra linked premise of it. Two corpus
constructs have no exact counterpart in the model and are approximated with a warning:
an undercut of an *attack* becomes an attack on the attacking statement, and an extra
premise joined to an attack becomes a second attack on the same target.
Parsing goes through defusedxml with limits on size, depth and element count.
"""

from typing import Final
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as DET  # type: ignore[import-untyped]
from defusedxml import DefusedXmlException

from service.domain.formats._util import IdAllocator, as_bytes, clip_short, clip_text, finish, gc_paused
from service.domain.formats.base import FormatError, Imported
from service.domain.graph import (
    Conflict,
    ConflictKind,
    Inference,
    MapDocument,
    Stance,
    StanceValue,
    Statement,
    StatementKind,
    Topic,
)

MEDIA_TYPE: Final = "application/xml"
EXTENSION: Final = "xml"
MAX_BYTES: Final = 5_000_000
MAX_ELEMENTS: Final = 50_000
MAX_DEPTH: Final = 4
_SUPPORT: Final = ("sup", "exa")
_ATTACK: Final = ("reb", "und")


def _check_shape(root: Element) -> None:
    count = 0
    stack: list[tuple[Element, int]] = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        count += 1
        if count > MAX_ELEMENTS:
            raise FormatError(f"more than {MAX_ELEMENTS} XML elements", el.get("id"))
        if depth > MAX_DEPTH:
            raise FormatError(f"XML nested deeper than {MAX_DEPTH} levels", el.get("id") or el.tag)
        stack.extend((child, depth + 1) for child in el)


@gc_paused
def import_(data: bytes | str) -> Imported:
    raw = as_bytes(data)
    if len(raw) > MAX_BYTES:
        raise FormatError(f"microtext XML larger than {MAX_BYTES} bytes")
    try:
        root = DET.fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise FormatError(f"unsafe XML refused: {e}") from None
    except Exception as e:  # ElementTree.ParseError and expat errors carry the position
        raise FormatError(f"not well-formed XML: {e}") from None
    if root.tag != "arggraph":
        raise FormatError(f"root element is <{root.tag}>, expected <arggraph>", root.get("id") or root.tag)
    _check_shape(root)
    warnings: list[str] = []
    graph_id = root.get("id") or "arggraph"

    edu_text: dict[str, str] = {}
    adus: dict[str, str] = {}  # id -> pro|opp
    edges: dict[str, tuple[str, str, str]] = {}  # id -> (src, trg, type)
    order: list[str] = []
    for el in root:
        eid = el.get("id")
        if el.tag not in ("edu", "adu", "edge"):
            warnings.append(f"unknown element <{el.tag}> skipped")
            continue
        if not eid:
            raise FormatError(f"<{el.tag}> without an id", f"{graph_id}/{el.tag}")
        if eid in edu_text or eid in adus or eid in edges:
            raise FormatError(f"id {eid!r} is used twice", eid)
        if el.tag == "edu":
            edu_text[eid] = "".join(el.itertext())
        elif el.tag == "adu":
            adus[eid] = el.get("type") or "pro"
        else:
            src, trg, typ = el.get("src"), el.get("trg"), el.get("type")
            if not src or not trg or not typ:
                raise FormatError("an edge needs src, trg and type", eid)
            edges[eid] = (src, trg, typ)
            order.append(eid)

    segs: dict[str, list[str]] = {}
    for eid in order:
        src, trg, typ = edges[eid]
        if typ == "seg":
            if src not in edu_text:
                raise FormatError(f"seg source {src!r} is not an <edu>", eid)
            if trg not in adus:
                raise FormatError(f"seg target {trg!r} is not an <adu>", eid)
            segs.setdefault(trg, []).append(src)
    ids = IdAllocator()
    sid: dict[str, str] = {}
    statements_raw: list[tuple[str, str]] = []
    for aid in adus:
        if aid not in segs:
            raise FormatError("ADU has no text: no seg edge points at it", aid)
        text = clip_text(" ".join(edu_text[e].strip() for e in segs[aid]), f"ADU {aid}", warnings)
        if text is None:
            raise FormatError("ADU text is empty", aid)
        sid[aid] = ids.take(aid, warnings, "ADU id")
        statements_raw.append((aid, text))

    for eid in order:
        src, trg, typ = edges[eid]
        if typ == "seg":
            continue
        if typ not in (*_SUPPORT, *_ATTACK, "add"):
            raise FormatError(f"unknown edge type {typ!r}", eid)
        if src not in adus:
            raise FormatError(f"edge source {src!r} is not an <adu>", eid)
        if typ in ("und", "add"):
            if trg not in edges or edges[trg][2] == "seg":
                raise FormatError(f"{typ} edge must target an argumentative edge, not {trg!r}", eid)
        elif trg not in adus:
            raise FormatError(f"{typ} edge target {trg!r} is not an <adu>", eid)

    # `add` edges hang on the edge they join; resolve chains to the edge that carries a relation.
    def base_edge(eid: str) -> str:
        seen: set[str] = set()
        while edges[eid][2] == "add":
            if eid in seen:
                raise FormatError("add edges form a loop", eid)
            seen.add(eid)
            eid = edges[eid][1]
        return eid

    inf_of: dict[str, Inference] = {}
    conf_of: dict[str, Conflict] = {}
    premise_of: dict[str, list[str]] = {}
    for eid in order:
        src, trg, typ = edges[eid]
        if typ in _SUPPORT:
            premise_of[eid] = [sid[src]]
    for eid in order:
        src, trg, typ = edges[eid]
        if typ == "add":
            base = base_edge(trg)
            if edges[base][2] in _SUPPORT and sid[src] not in premise_of[base]:
                premise_of[base].append(sid[src])
    for eid in order:
        src, trg, typ = edges[eid]
        if typ in _SUPPORT:
            ps = [p for p in premise_of[eid] if p != sid[trg]]
            inf_of[eid] = Inference(
                id=ids.take(eid, warnings, "edge id"),
                premises=ps,
                conclusion=sid[trg],
                scheme="example" if typ == "exa" else None,
            )

    # Attacks may target other attacks (counter-attacks), so resolve them on demand.
    resolving: set[str] = set()

    def attacker_of(eid: str) -> str:
        """The statement that carries the relation of edge `eid` (its source ADU)."""
        return sid[edges[eid][0]]

    def conflict_for(eid: str) -> Conflict:
        if eid in conf_of:
            return conf_of[eid]
        if eid in resolving:
            raise FormatError("undercut edges form a loop", eid)
        resolving.add(eid)
        src, trg, typ = edges[eid]
        if typ == "reb":
            c = Conflict(
                id=ids.take(eid, warnings, "edge id"), attacker=sid[src], target=sid[trg], kind=ConflictKind.REBUT
            )
        else:
            base = base_edge(trg)
            if edges[base][2] in _SUPPORT:
                c = Conflict(
                    id=ids.take(eid, warnings, "edge id"),
                    attacker=sid[src],
                    target=inf_of[base].id,
                    kind=ConflictKind.UNDERCUT,
                )
            else:
                target = attacker_of(base)
                warnings.append(
                    f"edge {eid}: an undercut of the attack {base} cannot be expressed; "
                    f"imported as an attack on its attacker {edges[base][0]}"
                )
                c = Conflict(
                    id=ids.take(eid, warnings, "edge id"), attacker=sid[src], target=target, kind=ConflictKind.UNDERMINE
                )
        conf_of[eid] = c
        resolving.discard(eid)
        return c

    conflicts: list[Conflict] = []
    for eid in order:
        src, trg, typ = edges[eid]
        if typ in _ATTACK:
            c = conflict_for(eid)
            if c.attacker != c.target:
                conflicts.append(c)
            else:
                warnings.append(f"edge {eid}: an ADU attacking itself was skipped")
        elif typ == "add":
            base = base_edge(trg)
            if edges[base][2] in _ATTACK:
                joined = conflict_for(base)
                warnings.append(
                    f"edge {eid}: a conflict has a single attacker; the joined premise {src} attacks "
                    f"{joined.target} on its own"
                )
                if sid[src] != joined.target:
                    conflicts.append(
                        Conflict(
                            id=ids.take(eid, warnings, "edge id"),
                            attacker=sid[src],
                            target=joined.target,
                            kind=joined.kind,
                        )
                    )

    inferences = [inf_of[e] for e in order if e in inf_of]
    outgoing = {edges[e][0] for e in order if edges[e][2] != "seg"}
    topics: list[Topic] = []
    topic_id: str | None = None
    stance_attr = root.get("stance")
    if root.get("topic_id"):
        topic_id = ids.take(f"topic-{root.get('topic_id')}", warnings, "topic id")
        topics.append(Topic(id=topic_id, title=clip_short(root.get("topic_id")) or topic_id))
    statements: list[Statement] = []
    for aid, text in statements_raw:
        central = aid not in outgoing
        kind = (
            StatementKind.CLAIM
            if central
            else (StatementKind.REBUTTAL if adus[aid] == "opp" else StatementKind.PREMISE)
        )
        stances: list[Stance] = []
        if central and topic_id is not None and stance_attr in ("pro", "con"):
            stances = [Stance(topic=topic_id, stance=StanceValue(stance_attr))]
        statements.append(Statement(id=sid[aid], text=text, kind=kind, stances=stances))
    doc = MapDocument(
        title=clip_short(graph_id) or "microtext",
        language=None,
        topics=topics,
        statements=statements,
        inferences=inferences,
        conflicts=conflicts,
    )
    return finish(doc, warnings)
