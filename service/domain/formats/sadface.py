"""SADFace JSON: export version 0.5, import 0.2 and 0.5.

Atoms are statements; 0.5 `inference`/`conflict` nodes and 0.2 `scheme` nodes (named
"support", "conflict" or a scheme name) carry the relations, with edges running
premise -> scheme -> conclusion as in AIF. Resources become sources and atom quotes
become locators. Authors, topics, stances and equivalences have no SADFace home.
"""

import io
from collections.abc import Callable
from itertools import chain
from typing import Any, Final, cast

import msgspec

from service.domain.formats._util import (
    IdAllocator,
    chunks,
    clip_short,
    clip_text,
    finish,
    gc_paused,
    json_plain,
    json_texts,
    load_json,
    loss,
    rows_into,
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
# Row templates, for `rows_into`: every row ends in a comma. A relation node has two
# edges, in one row: source -> node, node -> target.
_EDGE_PAIR: Final = (
    '{"id":"',
    "--",
    '","source_id":"',
    '","target_id":"',
    '"},{"id":"',
    "--",
    '","source_id":"',
    '","target_id":"',
    '"},',
)
_ATOM: Final = ('{"id":"', '","type":"atom","text":"', '","sources":[],"metadata":{}},')
_LOCATED_ATOM: Final = ('{"id":"', '","type":"atom","text":"', '","sources":', ',"metadata":{}},')
_SUPPORT: Final = ('{"id":"', '","type":"inference","name":"support","metadata":{}},')
_INFERENCE: Final = ('{"id":"', '","type":"inference","name":"', '","metadata":{}},')
_CONFLICT: Final = ('{"id":"', '","type":"conflict","name":"conflict","metadata":{}},')


def _edges(sources: list[str], via: str, targets: list[str]) -> str:
    """The edges of one relation node with several sources (linked premises)."""
    out = [f'{{"id":"{a}--{via}","source_id":"{a}","target_id":"{via}"}},' for a in sources]
    out += [f'{{"id":"{via}--{b}","source_id":"{via}","target_id":"{b}"}},' for b in targets]
    return "".join(out)


def _quote(loc: Locator) -> str:
    """The `sources` array of an atom with a locator: the one quote it gives."""
    quote: dict[str, Any] = {"resource_id": loc.source, "text": loc.quote or ""}
    if loc.start is not None and loc.end is not None:
        quote["offset"] = loc.start
        quote["length"] = loc.end - loc.start
    return _encoder.encode([quote]).decode("utf-8")


class _Quotes(dict[str, str]):
    """Source id -> the `sources` array of an atom whose locator names only that source
    (and a page or paragraph, which SADFace cannot hold), made once per source."""

    def __missing__(self, source: str) -> str:
        text = self[source] = _quote(Locator(source=source))
        return text


def _uncomma(out: io.BytesIO) -> None:
    """Step back over the comma after the last row written, if any, so that the next
    write replaces it."""
    out.seek(-1, io.SEEK_END)
    if out.read(1) == b",":
        out.seek(-1, io.SEEK_END)


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    # Element ids are validated to need no escaping: the fast pass checks rather than
    # trusts it, and starts over with every id escaped if one would need it.
    data = _write(doc, escape=False) or _write(doc, escape=True) or b""
    loss(warnings, "SADFace", len(doc.equivalences), "equivalences")
    loss(warnings, "SADFace", len(doc.authors), "authors")
    loss(warnings, "SADFace", len(doc.topics), "topics")
    loss(warnings, "SADFace", len(doc.statements) - [s.tags for s in doc.statements].count([]), "statement tags")
    return Exported(data, MEDIA_TYPE, EXTENSION, warnings)


def _write(doc: MapDocument, escape: bool) -> bytes | None:
    """The document as SADFace JSON; None when some id would need escaping and `escape`
    is off (ids are checked a chunk at a time, just before the same strings are read
    again for the rows, which costs far less than one pass over them all)."""
    statements = doc.statements
    inferences = doc.inferences
    conflicts = doc.conflicts
    # Columns, each element read once: on CPython 3.11 the specialised attribute reads
    # of a plain loop are about three times cheaper than `map(attrgetter(...))` on
    # msgspec Structs, and one visit per element beats one pass per field.
    ids: list[str] = []
    texts: list[str] = []
    locators: list[Locator | None] = []
    add_id, add_text, add_locator = ids.append, texts.append, locators.append
    for s in statements:
        add_id(s.id)
        add_text(s.text)
        add_locator(s.locator)
    inference_ids: list[str] = []
    firsts: list[str | None] = []  # the premise of a one-premise inference, else None
    conclusions: list[str] = []
    schemes: list[str | None] = []
    add_id, add_first, add_conclusion, add_scheme = (
        inference_ids.append,
        firsts.append,
        conclusions.append,
        schemes.append,
    )
    for i in inferences:
        add_id(i.id)
        premises = i.premises
        add_first(premises[0] if len(premises) == 1 else None)
        add_conclusion(i.conclusion)
        add_scheme(i.scheme)
    conflict_ids = [c.id for c in conflicts]
    attackers = [c.attacker for c in conflicts]
    targets = [c.target for c in conflicts]
    if escape:
        ids, inference_ids, conclusions, conflict_ids, attackers, targets = map(
            json_texts, (ids, inference_ids, conclusions, conflict_ids, attackers, targets)
        )
        firsts = [None] * len(firsts)  # every inference takes the general way below
    # The document is written as text a few thousand rows at a time (see `chunks`),
    # each chunk laid out from columns by `rows_into` and joined once: on a big map
    # building one wire object per element for msgspec costs more than the whole
    # encode. Every row ends in a comma; the last one of a list is overwritten by what
    # follows.
    out = io.BytesIO()
    write = out.write
    write(b'{"edges":[')
    # Edges run premise -> inference -> conclusion and attacker -> conflict -> target,
    # in document order.
    for part in chunks(len(inferences)):
        named, ones, ends = inference_ids[part], firsts[part], conclusions[part]
        if None not in ones:
            premises = cast(list[str], ones)  # no None in it
            if not escape and not json_plain(named, ends, premises):
                return None
            rows: list[str] = []
            rows_into(rows, _EDGE_PAIR, premises, named, premises, named, named, ends, named, ends)
        else:
            linked = [json_texts(i.premises) if escape else i.premises for i in inferences[part]]
            if not escape and not json_plain(named, ends, [*chain.from_iterable(linked)]):
                return None
            rows = [
                f'{{"id":"{p[0]}--{i}","source_id":"{p[0]}","target_id":"{i}"}},'
                f'{{"id":"{i}--{c}","source_id":"{i}","target_id":"{c}"}},'
                if len(p) == 1
                else _edges(p, i, [c])
                for i, p, c in zip(named, linked, ends, strict=True)
            ]
        write("".join(rows).encode("utf-8"))
    for part in chunks(len(conflicts)):
        named, starts, ends = conflict_ids[part], attackers[part], targets[part]
        if not escape and not json_plain(named, starts, ends):
            return None
        rows = []
        rows_into(rows, _EDGE_PAIR, starts, named, starts, named, named, ends, named, ends)
        write("".join(rows).encode("utf-8"))
    _uncomma(out)
    core: dict[str, Any] = {"id": doc.id or doc.slug or "argmap", "version": VERSION, "title": doc.title}
    if doc.description:
        core["description"] = doc.description
    write(b'],"metadata":{"core":' + _encoder.encode(core) + b'},"nodes":[')
    located = locators.count(None) != len(locators)
    quotes = _Quotes()
    for part in chunks(len(statements)):
        named, said = ids[part], texts[part]
        if not escape and not json_plain(named):
            return None
        if not json_plain(said):
            said = json_texts(said)
        rows = []
        if located:
            sources = [
                "[]"
                if loc is None
                else quotes[loc.source]
                if loc.quote is None and (loc.start is None or loc.end is None)
                else _quote(loc)
                for loc in locators[part]
            ]
            rows_into(rows, _LOCATED_ATOM, named, said, sources)
        else:
            rows_into(rows, _ATOM, named, said)
        write("".join(rows).encode("utf-8"))
    # inference and conflict ids were checked with the edges
    if schemes.count(None) == len(schemes):
        for part in chunks(len(inferences)):
            _write_ids(write, _SUPPORT, inference_ids[part])
    else:
        names = json_texts([scheme or "support" for scheme in schemes])
        for part in chunks(len(inferences)):
            rows = []
            rows_into(rows, _INFERENCE, inference_ids[part], names[part])
            write("".join(rows).encode("utf-8"))
    for part in chunks(len(conflicts)):
        _write_ids(write, _CONFLICT, conflict_ids[part])
    _uncomma(out)
    resources = [
        {"id": src.id, "type": "text", "content": "", "metadata": {"title": src.title, "url": src.url}}
        for src in doc.sources
    ]
    write(b'],"resources":' + _encoder.encode(resources) + b"}")
    return out.getvalue()


def _write_ids(write: Callable[[bytes], object], template: tuple[str, str], ids: list[str]) -> None:
    """Rows that differ only in their id: one join with the text between two ids."""
    write(template[0].encode("utf-8"))
    write((template[1] + template[0]).join(ids).encode("utf-8"))
    write(template[1].encode("utf-8"))


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
