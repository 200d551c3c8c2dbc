"""SADFace JSON: export version 0.5, import 0.2 and 0.5.

Atoms are statements; 0.5 `inference`/`conflict` nodes and 0.2 `scheme` nodes (named
"support", "conflict" or a scheme name) carry the relations, with edges running
premise -> scheme -> conclusion as in AIF. Resources become sources and atom quotes
become locators. Authors, topics, stances and equivalences have no SADFace home.
"""

from typing import Any, Final

import msgspec

from service.domain.formats._util import (
    IdAllocator,
    clip_short,
    clip_text,
    count_truthy,
    finish,
    gc_paused,
    load_json,
    loss,
)
from service.domain.formats.base import Exported, FormatError, Imported
from service.domain.graph import (
    Conflict,
    ConflictKind,
    Inference,
    Locator,
    MapDocument,
    Source,
    Statement,
)

MEDIA_TYPE: Final = "application/json"
EXTENSION: Final = "sadface.json"
VERSION: Final = "0.5"
_CONFLICT_NAMES: Final = frozenset({"conflict", "attack", "rebut", "rebuttal", "undercut", "undermine"})
_encoder = msgspec.json.Encoder()


class _Atom(msgspec.Struct, gc=False):
    # gc=False: wire records hold strings and the shared empty containers below only
    id: str
    type: str
    text: str
    sources: list[dict[str, Any]]
    metadata: dict[str, Any]


class _Relation(msgspec.Struct, gc=False):
    id: str
    type: str
    name: str
    metadata: dict[str, Any]


class _Edge(msgspec.Struct, gc=False):
    id: str
    source_id: str
    target_id: str


# One shared empty list and dict for every node: they are only ever encoded, never
# changed, and a fresh pair per node would double the objects of a large export.
_NONE: Final[list[dict[str, Any]]] = []
_EMPTY: Final[dict[str, Any]] = {}


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    nodes: list[_Atom | _Relation] = []
    froms: list[str] = []
    tos: list[str] = []
    add_node = nodes.append
    add_from = froms.append
    add_to = tos.append
    for s in doc.statements:
        loc = s.locator
        if loc is None:
            add_node(_Atom(s.id, "atom", s.text, _NONE, _EMPTY))
            continue
        quote: dict[str, Any] = {"resource_id": loc.source, "text": loc.quote or ""}
        if loc.start is not None and loc.end is not None:
            quote["offset"] = loc.start
            quote["length"] = loc.end - loc.start
        add_node(_Atom(s.id, "atom", s.text, [quote], _EMPTY))
    for inf in doc.inferences:
        iid = inf.id
        add_node(_Relation(iid, "inference", inf.scheme or "support", _EMPTY))
        premises = inf.premises
        if len(premises) == 1:
            add_from(premises[0])
            add_to(iid)
        else:
            froms += premises
            tos += [iid] * len(premises)
        add_from(iid)
        add_to(inf.conclusion)
    for c in doc.conflicts:
        cid = c.id
        add_node(_Relation(cid, "conflict", "conflict", _EMPTY))
        add_from(c.attacker)
        add_to(cid)
        add_from(cid)
        add_to(c.target)
    edges = list(map(_Edge, [f"{a}--{b}" for a, b in zip(froms, tos, strict=True)], froms, tos))
    resources = [
        {"id": src.id, "type": "text", "content": "", "metadata": {"title": src.title, "url": src.url}}
        for src in doc.sources
    ]
    core: dict[str, Any] = {"id": doc.id or doc.slug or "argmap", "version": VERSION, "title": doc.title}
    if doc.description:
        core["description"] = doc.description
    loss(warnings, "SADFace", len(doc.equivalences), "equivalences")
    loss(warnings, "SADFace", len(doc.authors), "authors")
    loss(warnings, "SADFace", len(doc.topics), "topics")
    loss(warnings, "SADFace", count_truthy(doc.statements, "tags"), "statement tags")
    out = {"edges": edges, "metadata": {"core": core}, "nodes": nodes, "resources": resources}
    return Exported(_encoder.encode(out), MEDIA_TYPE, EXTENSION, warnings)


def _str(obj: dict[str, Any], key: str, where: str) -> str:
    v = obj.get(key)
    if not isinstance(v, str) and not isinstance(v, int):
        raise FormatError(f"missing or non-string {key!r}", f"{where}/{key}")
    return str(v)


@gc_paused
def import_(data: bytes | str) -> Imported:
    raw = load_json(data, "SADFace")
    if not isinstance(raw, dict) or not isinstance(raw.get("nodes"), list):
        raise FormatError("not a SADFace document: no 'nodes' list", "/nodes")
    warnings: list[str] = []
    meta = raw.get("metadata")
    core = meta.get("core") if isinstance(meta, dict) else None
    core = core if isinstance(core, dict) else {}
    title = clip_short(core.get("title") if isinstance(core.get("title"), str) else None) or "SADFace import"
    desc = core.get("description") if isinstance(core.get("description"), str) else ""

    ids = IdAllocator()
    sources: list[Source] = []
    source_ids: dict[str, str] = {}
    resources = raw.get("resources", [])
    if not isinstance(resources, list):
        raise FormatError("'resources' must be a list", "/resources")
    for k, res in enumerate(resources):
        if not isinstance(res, dict):
            raise FormatError("a resource must be an object", f"/resources/{k}")
        rid = _str(res, "id", f"/resources/{k}")
        rmeta = res.get("metadata")
        rtitle = rmeta.get("title") if isinstance(rmeta, dict) else None
        rtitle = rtitle if isinstance(rtitle, str) else None
        source_ids[rid] = ids.take(rid, warnings, "resource id")
        sources.append(Source(id=source_ids[rid], title=clip_short(rtitle) or rid[:500]))

    kinds: dict[str, str] = {}
    atoms: list[tuple[str, dict[str, Any], str]] = []
    for k, n in enumerate(raw["nodes"]):
        where = f"/nodes/{k}"
        if not isinstance(n, dict):
            raise FormatError("a node must be an object", where)
        nid = _str(n, "id", where)
        typ = _str(n, "type", where)
        if nid in kinds:
            raise FormatError(f"node id {nid!r} is used twice", f"{where}/id")
        if typ == "atom":
            text_v = n.get("text")
            if not isinstance(text_v, str):
                raise FormatError("an atom needs a text", f"{where}/text")
            atoms.append((nid, n, where))
            kinds[nid] = "atom"
        elif typ in ("inference", "conflict", "scheme"):
            name_v = n.get("name")
            name = name_v if isinstance(name_v, str) else ""
            if typ == "scheme":
                typ = "conflict" if name.strip().lower() in _CONFLICT_NAMES else "inference"
            kinds[nid] = typ
        else:
            warnings.append(f"node {nid} of type {typ!r} skipped")
            kinds[nid] = "other"

    ins: dict[str, list[str]] = {}
    outs: dict[str, list[str]] = {}
    edges = raw.get("edges", [])
    if not isinstance(edges, list):
        raise FormatError("'edges' must be a list", "/edges")
    for k, e in enumerate(edges):
        if not isinstance(e, dict):
            raise FormatError("an edge must be an object", f"/edges/{k}")
        a = _str(e, "source_id", f"/edges/{k}")
        b = _str(e, "target_id", f"/edges/{k}")
        if a not in kinds or b not in kinds:
            warnings.append(f"edge /edges/{k} points at a missing node, skipped")
            continue
        outs.setdefault(a, []).append(b)
        ins.setdefault(b, []).append(a)

    statements: list[Statement] = []
    sid: dict[str, str] = {}
    for nid, n, _where in atoms:
        text = clip_text(n["text"], f"atom {nid}", warnings)
        if text is None:
            continue
        sid[nid] = ids.take(nid, warnings, "atom id")
        locator = None
        quotes = n.get("sources")
        if isinstance(quotes, list) and quotes:
            q = quotes[0]
            if isinstance(q, dict) and str(q.get("resource_id")) in source_ids:
                off, length = q.get("offset"), q.get("length")
                span = isinstance(off, int) and isinstance(length, int) and off >= 0 and length >= 0
                end = off + length if isinstance(off, int) and isinstance(length, int) and span else None
                qt = q.get("text")
                locator = Locator(
                    source=source_ids[str(q["resource_id"])],
                    start=off if span else None,
                    end=end,
                    quote=qt[:20_000] if isinstance(qt, str) and qt else None,
                )
            if len(quotes) > 1:
                warnings.append(f"atom {nid}: only the first of {len(quotes)} source quotes is kept")
        statements.append(Statement(id=sid[nid], text=text, locator=locator))

    inferences: list[Inference] = []
    inf_ids: dict[str, str] = {}
    node_by_id = {str(n.get("id")): n for n in raw["nodes"] if isinstance(n, dict)}
    for nid, kind in kinds.items():
        if kind != "inference":
            continue
        premises = list(dict.fromkeys(sid[x] for x in ins.get(nid, ()) if x in sid))
        concl = [sid[x] for x in outs.get(nid, ()) if x in sid]
        if not premises or not concl:
            warnings.append(f"inference node {nid}: needs a premise and a conclusion atom, skipped")
            continue
        if len(concl) > 1:
            warnings.append(f"inference node {nid}: {len(concl)} conclusions, only the first is kept")
        ps = [p for p in premises if p != concl[0]]
        if not ps:
            continue
        raw_name = node_by_id[nid].get("name")
        scheme = clip_short(raw_name) if isinstance(raw_name, str) and raw_name.strip().lower() != "support" else None
        inf_ids[nid] = ids.take(nid, warnings, "node id")
        inferences.append(Inference(id=inf_ids[nid], premises=ps, conclusion=concl[0], scheme=scheme))
    premise_ids = {p for i in inferences for p in i.premises}
    conflicts: list[Conflict] = []
    for nid, kind in kinds.items():
        if kind != "conflict":
            continue
        attackers = [sid[x] for x in ins.get(nid, ()) if x in sid]
        targets = [(sid[x], False) for x in outs.get(nid, ()) if x in sid]
        targets += [(inf_ids[x], True) for x in outs.get(nid, ()) if x in inf_ids]
        if not attackers or not targets:
            warnings.append(f"conflict node {nid}: needs an attacking atom and a target, skipped")
            continue
        if len(attackers) > 1 or len(targets) > 1:
            warnings.append(f"conflict node {nid}: only its first attacker and first target are kept")
        att, (tgt, undercut) = attackers[0], targets[0]
        if att == tgt:
            continue
        kind_ = (
            ConflictKind.UNDERCUT
            if undercut
            else (ConflictKind.UNDERMINE if tgt in premise_ids else ConflictKind.REBUT)
        )
        conflicts.append(Conflict(id=ids.take(nid, warnings, "node id"), attacker=att, target=tgt, kind=kind_))
    doc = MapDocument(
        title=title,
        description=desc[:20_000] if isinstance(desc, str) else "",
        sources=sources,
        statements=statements,
        inferences=inferences,
        conflicts=conflicts,
    )
    return finish(doc, warnings)
