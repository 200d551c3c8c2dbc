"""AIF JSON (AIFdb, OVA3, Araucaria exports): the Argument Interchange Format codec.

Statements are I nodes, inferences RA nodes, conflicts CA nodes and equivalences MA nodes;
authors travel through the dialogue layer (an L node per authored statement, anchored to
its I node by a YA node, plus `locutions` and `participants`). On import the dialogue
layer (L, YA, TA) and preferences (PA) are read only for authorship and otherwise skipped,
with a count of what was skipped in the warnings.
"""

import re
from collections import Counter
from itertools import compress, repeat
from operator import attrgetter, eq
from typing import Final, cast

import msgspec

from service.domain.formats._util import (
    ID_RE,
    IdAllocator,
    all_valid_ids,
    as_str_list,
    clip_short,
    clip_text,
    count_truthy,
    finish,
    gc_paused,
    loss,
    statements_with_extras,
)
from service.domain.formats.base import Exported, FormatError, Imported
from service.domain.formats.native import split_error
from service.domain.graph import (
    MAX_TEXT,
    Author,
    Conflict,
    ConflictKind,
    Equivalence,
    Inference,
    MapDocument,
    Statement,
)

MEDIA_TYPE: Final = "application/json"
EXTENSION: Final = "aif.json"
DEFAULT_TITLE: Final = "Imported AIF map"
# RA/CA/MA texts that name no particular scheme (AIFdb defaults and Araucaria placeholders).
_NO_SCHEME: Final = frozenset({"", "RA", "CA", "MA", "Default Inference", "Default Conflict", "Default Rephrase"})

Id = str | int


# gc=False: the wire Structs hold only strings, ints and None, so they can never be in a
# reference cycle; 100,000s of them come smaller (no collector header) and free faster.
class _Node(msgspec.Struct, gc=False):
    nodeID: Id
    type: str
    text: str = ""
    scheme: str | None = None


class _Edge(msgspec.Struct, gc=False):
    fromID: Id
    toID: Id
    edgeID: Id | None = None


class _Locution(msgspec.Struct, gc=False):
    nodeID: Id
    personID: Id | None = None


class _Participant(msgspec.Struct, gc=False):
    participantID: Id
    firstname: str = ""
    surname: str = ""


class _AifFile(msgspec.Struct):
    nodes: list[_Node]
    edges: list[_Edge] = []
    locutions: list[_Locution] = []
    participants: list[_Participant] = []


_decoder = msgspec.json.Decoder(_AifFile)
_encoder = msgspec.json.Encoder()


class _OutNode(msgspec.Struct, gc=False):
    # gc=False: these hold only strings, so the collector never needs to visit them
    nodeID: str
    text: str
    type: str
    scheme: str | msgspec.UnsetType = msgspec.UNSET


class _OutEdge(msgspec.Struct, gc=False):
    edgeID: str
    fromID: str
    toID: str
    formEdgeID: None = None


class _OutLocution(msgspec.Struct, gc=False):
    nodeID: str
    personID: str


class _OutParticipant(msgspec.Struct, gc=False):
    participantID: str
    firstname: str
    surname: str = ""


class _OutFile(msgspec.Struct):
    nodes: list[_OutNode]
    edges: list[_OutEdge]
    locutions: list[_OutLocution]
    participants: list[_OutParticipant]


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    statements = doc.statements
    # Nodes and edges are built as parallel lists and turned into wire Structs in one
    # `map` each: the encoder then writes them without any per-item Python work.
    nodes = list(map(_OutNode, map(_get_id, statements), map(_get_text, statements), repeat("I")))
    froms: list[str] = []
    tos: list[str] = []
    locutions: list[_OutLocution] = []
    if list(map(_get_author, statements)).count(None) != len(statements):
        authors = {a.id: a for a in doc.authors}
        ids = IdAllocator()
        for coll in ("authors", "sources", "topics", "statements", "inferences", "conflicts", "equivalences"):
            ids.used.update(map(_get_id, getattr(doc, coll)))
        for s in statements:
            if s.author is None:
                continue
            # The dialogue layer is the only place AIF keeps who said what.
            lid = ids.take(f"L-{s.id}")
            yid = ids.take(f"YA-{s.id}")
            name = authors[s.author].name if s.author in authors else s.author
            nodes.append(_OutNode(lid, f"{name}: {s.text}", "L"))
            nodes.append(_OutNode(yid, "Asserting", "YA", "Asserting"))
            froms += (lid, yid)
            tos += (yid, s.id)
            locutions.append(_OutLocution(lid, s.author))
    add_node = nodes.append
    add_from = froms.append
    add_to = tos.append
    for inf in doc.inferences:
        iid = inf.id
        scheme = inf.scheme
        add_node(_OutNode(iid, scheme, "RA", scheme) if scheme else _OutNode(iid, "Default Inference", "RA"))
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
        add_node(_OutNode(cid, "Default Conflict", "CA"))
        add_from(c.attacker)
        add_to(cid)
        add_from(cid)
        add_to(c.target)
    cross_map = 0
    for e in doc.equivalences:
        if e.second_map is not None:
            cross_map += 1
            continue
        add_node(_OutNode(e.id, "Default Rephrase", "MA"))
        froms += (e.first, e.id)
        tos += (e.id, e.second)
    edges = list(map(_OutEdge, [f"e{k}" for k in range(1, len(froms) + 1)], froms, tos))
    participants = [_OutParticipant(a.id, a.name) for a in doc.authors]

    loss(warnings, "AIF", cross_map, "equivalences with a statement of another map")
    extras = statements_with_extras(statements)
    loss(warnings, "AIF", extras and count_truthy(statements, "locator"), "source locators")
    loss(warnings, "AIF", len(doc.sources), "sources")
    loss(warnings, "AIF", len(doc.topics), "topics")
    loss(warnings, "AIF", extras and count_truthy(statements, "stances"), "statement stances")
    loss(warnings, "AIF", extras and count_truthy(statements, "tags"), "statement tags")
    loss(
        warnings,
        "AIF",
        count_truthy(doc.inferences, "author")
        + count_truthy(doc.conflicts, "author")
        + count_truthy(doc.equivalences, "author"),
        "authors of relations",
    )
    loss(warnings, "AIF", extras and count_truthy(statements, "title"), "statement titles")
    undercut = ConflictKind.UNDERCUT
    if any(c.kind != undercut for c in doc.conflicts):
        warnings.append("AIF does not distinguish rebut from undermine: the kind is re-derived on import")
    out = _OutFile(nodes, edges, locutions, participants)
    return Exported(_encoder.encode(out), MEDIA_TYPE, EXTENSION, warnings)


_get_id = attrgetter("id")
_get_text = attrgetter("text")
_get_author = attrgetter("author")


def _speaker(text: str) -> str | None:
    """AIFdb and OVA prefix a locution with its speaker: "CL : text", "Mo Smith: text"."""
    head, sep, _ = text.partition(":")
    head = head.strip()
    if sep and head and len(head) <= 60:
        return head
    return None


# Node types as small ints: the import works on node positions rather than on id
# strings, so that reading 100,000s of edges costs list indexing instead of hashing.
_I, _RA, _CA, _MA, _YA, _L = 1, 2, 3, 4, 5, 6


class _Codes(dict[str, int]):
    """Node type -> code, 0 for every other type (read with plain indexing, the cheapest
    lookup, as unknown types are rare)."""

    def __missing__(self, key: str) -> int:
        return 0


# Many ids joined by newlines, each a valid element id (ID_RE without its anchors).
_ID_LINES: Final = re.compile(f"{ID_RE.pattern[1:-1]}(?:\n{ID_RE.pattern[1:-1]})*")
_CODES: Final = _Codes({"I": _I, "RA": _RA, "CA": _CA, "MA": _MA, "YA": _YA, "L": _L})
# per code, the `bytes.translate` table that keeps that code's bytes non-zero
_ONLY: Final = {c: bytes(1 if k == c else 0 for k in range(256)) for c in _CODES.values()}
_get_type = attrgetter("type")
_get_node_id = attrgetter("nodeID")


def _record(used: set[str], unrecorded: list[list[str]]) -> None:
    """Bring `used` up to date before anything reads it (`ids.take`, `nid in used`)."""
    for given in unrecorded:
        used.update(given)
    unrecorded.clear()


def _positions(codes: bytes, code: int) -> list[int]:
    """Positions of the nodes with this type code, without a Python-level loop."""
    return list(compress(range(len(codes)), codes.translate(_ONLY[code])))


_get_from = attrgetter("fromID")
_get_to = attrgetter("toID")


class _Adjacency:
    """Neighbours of nodes (by position), in edge order.

    Almost every relation node has exactly one edge in and one out, so the first
    neighbour lives in a flat list and only further ones get a list of their own."""

    __slots__ = ("first", "more")

    def __init__(self, size: int) -> None:
        self.first: list[int] = [-1] * size
        self.more: dict[int, list[int]] = {}

    def add(self, key: int, value: int) -> None:
        if self.first[key] < 0:
            self.first[key] = value
        else:
            self.more.setdefault(key, []).append(value)

    def get(self, key: int) -> list[int]:
        head = self.first[key]
        if head < 0:
            return []
        rest = self.more.get(key)
        return [head, *rest] if rest else [head]


@gc_paused
def import_(data: bytes | str) -> Imported:
    try:
        f = _decoder.decode(data)
    except msgspec.ValidationError as e:
        reason, pointer = split_error(e)
        raise FormatError(f"not an AIF document: {reason}", pointer) from None
    except msgspec.DecodeError as e:
        raise FormatError(f"not valid JSON: {e}") from None
    warnings: list[str] = []

    node_list = f.nodes
    size = len(node_list)
    raw_keys = list(map(_get_node_id, node_list))
    try:
        joined = "\n".join(raw_keys)  # numeric ids raise TypeError
    except TypeError:
        keys = as_str_list(raw_keys)
        valid = all_valid_ids(keys)
    else:
        # Fresh copies of the ids, allocated side by side: the decoded ids lie scattered
        # between the node texts, and every edge end below compares against one of them,
        # so packing them together saves more cache misses than the copy costs. The
        # joined text also answers whether every id is valid (as `all_valid_ids` would).
        packed = joined.split("\n") if size else []
        if len(packed) == size:
            keys = packed
            valid = not size or _ID_LINES.fullmatch(joined) is not None
        else:  # an id holds a newline, so it is not valid: keep the ids as they are
            keys = raw_keys  # all str, or the join would have failed
            valid = False
        del joined, packed
    del raw_keys
    index = dict(zip(keys, range(size), strict=True))
    if len(index) != size:
        seen: set[str] = set()
        for k, nid in enumerate(keys):
            if nid in seen:
                raise FormatError(f"node id {nid!r} is used twice", f"/nodes/{k}/nodeID")
            seen.add(nid)
    # One byte per node: bytes give C-speed counting, searching and masking (`_positions`).
    codes = bytes(map(_CODES.__getitem__, map(_get_type, node_list)))

    # Authorship needs the dialogue layer; without locutions no statement has an author.
    person_of_l: dict[int, str] = {}
    for loc in f.locutions:
        pos = index.get(str(loc.nodeID))
        if loc.personID is not None and pos is not None:
            person_of_l.setdefault(pos, str(loc.personID))

    # Only the edges that some rule below reads are kept, each under the relation node it
    # belongs to; all of them are still checked for dangling ends.
    rel_in = _Adjacency(size)  # relation node -> I nodes pointing at it
    rel_out = _Adjacency(size)  # relation node -> I (or, for CA, RA) nodes it points at
    ya_of = _Adjacency(size if person_of_l else 0)  # I node -> YA nodes anchoring it
    l_of = _Adjacency(size if person_of_l else 0)  # YA node -> L nodes
    edge_list = f.edges
    n_edges = len(edge_list)
    try:
        # The usual file: every end names a node, with the node's own id type. Plain
        # indexing without a default is the cheapest lookup; anything else (numeric ids
        # next to string ones, dangling ends) raises and takes the careful road below.
        froms = list(map(index.__getitem__, map(_get_from, edge_list)))
        tos = list(map(index.__getitem__, map(_get_to, edge_list)))
        dangling = False
    except KeyError:
        froms = list(map(index.get, as_str_list(list(map(_get_from, edge_list))), repeat(-1, n_edges)))
        tos = list(map(index.get, as_str_list(list(map(_get_to, edge_list))), repeat(-1, n_edges)))
        dangling = -1 in froms or -1 in tos
    if dangling:
        pairs = [(a, b) for a, b in zip(froms, tos, strict=True) if a >= 0 and b >= 0]
        warnings.append(f"{n_edges - len(pairs)} edges point at missing nodes and were skipped")
        froms = [a for a, _ in pairs]
        tos = [b for _, b in pairs]
        del pairs
    in_first, in_more = rel_in.first, rel_in.more
    out_first, out_more = rel_out.first, rel_out.more
    for a, b in zip(froms, tos, strict=True):
        ca = codes[a]
        if ca == _I:
            if _RA <= codes[b] <= _MA:
                if in_first[b] < 0:
                    in_first[b] = a
                else:
                    in_more.setdefault(b, []).append(a)
        elif _RA <= ca <= _MA:
            cb = codes[b]
            if cb == _I or (cb == _RA and ca == _CA):
                if out_first[a] < 0:
                    out_first[a] = b
                else:
                    out_more.setdefault(a, []).append(b)
        elif person_of_l:
            if ca == _YA and codes[b] == _I:
                ya_of.add(b, a)
            elif ca == _L and codes[b] == _YA:
                l_of.add(b, a)
    del froms, tos

    ids = IdAllocator()
    used = ids.used
    # Ids the fast paths hand out are node ids of their own, which no other node has, so
    # adding 100,000s of them to `used` can wait until something asks `used` (`_record`).
    unrecorded: list[list[str]] = []
    # With every node id valid (the usual case) and node ids unique, a node keeps its id
    # unless an id derived earlier in this import took it, so `ids.take` is only needed then.
    i_pos = _positions(codes, _I)
    i_texts = list(map(_get_text, map(node_list.__getitem__, i_pos)))
    texts = list(map(str.strip, i_texts))
    # node position -> statement id; the extra last slot is what position -1 ("no such
    # edge" in the adjacency) reads, so lookups need no bounds test.
    sid: list[str | None] = [None] * (size + 1)
    if valid and "" not in texts and (not texts or max(map(len, texts)) <= MAX_TEXT):
        i_keys = list(map(keys.__getitem__, i_pos))
        for k, key in zip(i_pos, i_keys, strict=True):
            sid[k] = key
        unrecorded.append(i_keys)
    else:
        kept: list[int] = []
        texts = []
        for k, raw in zip(i_pos, i_texts, strict=True):
            nid = keys[k]
            text = clip_text(raw, f"I node {nid}", warnings)
            if text is not None:
                kept.append(k)
                texts.append(text)
                sid[k] = ids.take(nid, warnings, "I node id")
        i_pos = kept
    del i_texts

    inferences: list[Inference] = []
    first_inf: dict[int, str] = {}  # RA node -> id of the (first) inference made from it
    premise_ids: set[str] = set()
    schemes: dict[tuple[str | None, str], str | None] = {}
    ra_pos = _positions(codes, _RA)
    multi = in_more.keys() | out_more.keys()  # relation nodes with a second edge in or out
    simple_ra = valid and multi.isdisjoint(ra_pos)
    if simple_ra:
        inferences, made_from, premise_ids = _simple_inferences(
            ra_pos, keys, node_list, sid, in_first, out_first, warnings
        )
        unrecorded.append(list(map(_get_id, inferences)))
    else:
        _record(used, unrecorded)
    for r in () if simple_ra else ra_pos:
        nid = keys[r]
        # the usual shape first: one premise edge, one conclusion edge
        src = in_first[r]
        dst = out_first[r]
        if src >= 0 and dst >= 0 and r not in in_more and r not in out_more:
            one_p = sid[src]
            one_c = sid[dst]
            premises = [one_p] if one_p is not None else []
            conclusions = [one_c] if one_c is not None else []
        else:
            premises = list(dict.fromkeys([x for x in map(sid.__getitem__, rel_in.get(r)) if x is not None]))
            conclusions = list(dict.fromkeys([x for x in map(sid.__getitem__, rel_out.get(r)) if x is not None]))
        if not premises or not conclusions:
            warnings.append(f"RA node {nid}: needs a premise and a conclusion I node, skipped")
            continue
        if len(conclusions) > 1:
            warnings.append(f"RA node {nid} has {len(conclusions)} conclusions: split into one inference each")
        n = node_list[r]
        skey = (n.scheme, n.text)
        if skey in schemes:
            scheme = schemes[skey]
        else:
            raw_scheme = n.scheme if n.scheme else n.text.strip()
            scheme = schemes[skey] = None if raw_scheme in _NO_SCHEME else clip_short(raw_scheme)
        if len(premises) == 1 and len(conclusions) == 1:
            concl = conclusions[0]
            if premises[0] == concl:
                warnings.append(f"RA node {nid}: concludes its own premise, skipped")
                continue
            if valid and nid not in used:
                used.add(nid)
                inf_id = nid
            else:
                inf_id = ids.take(nid, warnings, "RA node id")
            first_inf[r] = inf_id
            premise_ids.add(premises[0])
            inferences.append(Inference(id=inf_id, premises=premises, conclusion=concl, scheme=scheme))
            continue
        for k, concl in enumerate(conclusions):
            ps = [p for p in premises if p != concl]
            if not ps:
                warnings.append(f"RA node {nid}: concludes its own premise, skipped")
                continue
            inf_id = ids.take(nid if k == 0 else f"{nid}.{k + 1}", warnings, "RA node id")
            first_inf.setdefault(r, inf_id)
            premise_ids.update(ps)
            inferences.append(Inference(id=inf_id, premises=ps, conclusion=concl, scheme=scheme))

    conflicts: list[Conflict] = []
    equivalences: list[Equivalence] = []
    skipped: Counter[str] = Counter()
    undercut, undermine, rebut = ConflictKind.UNDERCUT, ConflictKind.UNDERMINE, ConflictKind.REBUT
    ca_pos = _positions(codes, _CA)
    # MA nodes take derived ids in node order between the CA nodes, so with any MA node
    # (or a CA id some earlier derived id took) the general loop keeps that order.
    simple_ca = (
        valid and _MA not in codes and multi.isdisjoint(ca_pos) and used.isdisjoint(map(keys.__getitem__, ca_pos))
    )
    if simple_ra:
        if simple_ca and len(made_from) == len(ra_pos):
            # Every RA node made one inference under its own id; only those that CA
            # nodes attack are looked up.
            attacked = [d for d in map(out_first.__getitem__, ca_pos) if d >= 0 and codes[d] == _RA]
            first_inf = dict(zip(attacked, map(keys.__getitem__, attacked), strict=True))
        else:
            first_inf = dict(zip(made_from, unrecorded[-1], strict=True))
    if simple_ca:
        conflicts = _simple_conflicts(ca_pos, keys, sid, in_first, out_first, first_inf, premise_ids, warnings)
        unrecorded.append(list(map(_get_id, conflicts)))
        if codes.count(_I) + len(ra_pos) + len(ca_pos) != size:
            skipped.update([n.type for n, c in zip(node_list, codes, strict=True) if c == 0 or c >= _YA])
    else:
        _record(used, unrecorded)
    for r, code in enumerate(() if simple_ca else codes):
        if code == _CA:
            nid = keys[r]
            src = in_first[r]
            dst = out_first[r]
            if src >= 0 and dst >= 0 and r not in in_more and r not in out_more:
                one_att = sid[src]
                attackers = [one_att] if one_att is not None else []
                one_tgt = sid[dst]
                if one_tgt is not None:
                    targets = [(one_tgt, False)]
                else:
                    targets = [(first_inf[dst], True)] if dst in first_inf else []
            else:
                attackers = list(dict.fromkeys([x for x in map(sid.__getitem__, rel_in.get(r)) if x is not None]))
                targets = []
                for x in rel_out.get(r):
                    tgt_s = sid[x]
                    if tgt_s is not None:
                        targets.append((tgt_s, False))
                    elif x in first_inf:
                        targets.append((first_inf[x], True))
            if not attackers or not targets:
                warnings.append(f"CA node {nid}: needs an attacking I node and a target I or RA node, skipped")
                continue
            if len(attackers) * len(targets) > 1:
                warnings.append(
                    f"CA node {nid}: {len(attackers)} attackers x {len(targets)} targets split into single conflicts"
                )
            k = 0
            for att in attackers:
                for tgt, is_undercut in targets:
                    if att == tgt:
                        continue
                    kind = undercut if is_undercut else (undermine if tgt in premise_ids else rebut)
                    if k == 0 and valid and nid not in used:
                        used.add(nid)
                        cid = nid
                    else:
                        cid = ids.take(nid if k == 0 else f"{nid}.{k + 1}", warnings, "CA node id")
                    k += 1
                    conflicts.append(Conflict(id=cid, attacker=att, target=tgt, kind=kind))
        elif code == _MA:
            nid = keys[r]
            firsts = [x for x in map(sid.__getitem__, rel_in.get(r)) if x is not None]
            seconds = [x for x in map(sid.__getitem__, rel_out.get(r)) if x is not None]
            ma_pairs = [(e1, e2) for e1 in firsts for e2 in seconds if e1 != e2]
            if not ma_pairs:
                warnings.append(f"MA node {nid}: needs two distinct I nodes, skipped")
            for k, (e1, e2) in enumerate(ma_pairs):
                eid = ids.take(nid if k == 0 else f"{nid}.{k + 1}", warnings, "MA node id")
                equivalences.append(Equivalence(id=eid, first=e1, second=e2))
        elif code != _I and code != _RA:
            skipped[node_list[r].type] += 1

    authors: list[Author] = []
    stmt_ids = [sid[k] for k in i_pos]
    if person_of_l:
        _record(used, unrecorded)
        statements = _authored_statements(f, keys, i_pos, stmt_ids, texts, ya_of, l_of, person_of_l, ids, authors)
    else:
        statements = [Statement(id=i, text=t) for i, t in zip(stmt_ids, texts, strict=True)]  # type: ignore[arg-type]

    if skipped:
        listed = ", ".join(f"{c} {t}" for t, c in sorted(skipped.items()))
        warnings.append(f"skipped nodes without argument meaning (dialogue layer, preferences): {listed}")
    doc = MapDocument(
        title=DEFAULT_TITLE,
        authors=authors,
        statements=statements,
        inferences=inferences,
        conflicts=conflicts,
        equivalences=equivalences,
    )
    return finish(doc, warnings)


_scheme_and_text = attrgetter("scheme", "text")


def _scheme_name(scheme: str | None, text: str) -> str | None:
    raw_scheme = scheme if scheme else text.strip()
    return None if raw_scheme in _NO_SCHEME else clip_short(raw_scheme)


def _simple_inferences(
    ra_pos: list[int],
    keys: list[str],
    node_list: list[_Node],
    sid: list[str | None],
    in_first: list[int],
    out_first: list[int],
    warnings: list[str],
) -> tuple[list[Inference], list[int], set[str]]:
    """The inferences of RA nodes that each have at most one edge in and one out and a
    valid id of their own (the shape of nearly every map), built column by column.

    Returns the inferences, the RA node position each came from and the premise ids."""
    premises = list(map(sid.__getitem__, map(in_first.__getitem__, ra_pos)))
    conclusions = list(map(sid.__getitem__, map(out_first.__getitem__, ra_pos)))
    ra_ids = list(map(keys.__getitem__, ra_pos))
    ra_nodes = list(map(node_list.__getitem__, ra_pos))
    if None in premises or None in conclusions or any(map(eq, premises, conclusions)):
        keep: list[bool] = []
        for nid, p, c in zip(ra_ids, premises, conclusions, strict=True):
            if p is None or c is None:
                warnings.append(f"RA node {nid}: needs a premise and a conclusion I node, skipped")
                keep.append(False)
            elif p == c:
                warnings.append(f"RA node {nid}: concludes its own premise, skipped")
                keep.append(False)
            else:
                keep.append(True)
        ra_pos = list(compress(ra_pos, keep))
        premises = list(compress(premises, keep))
        conclusions = list(compress(conclusions, keep))
        ra_ids = list(compress(ra_ids, keep))
        ra_nodes = list(compress(ra_nodes, keep))
    # None was filtered out above
    ps = cast(list[str], premises)
    cs = cast(list[str], conclusions)
    # Most RA nodes share a handful of texts ("Default Inference", a few scheme names).
    scheme_keys = list(map(_scheme_and_text, ra_nodes))
    schemes = {k: _scheme_name(*k) for k in set(scheme_keys)}
    inferences = [
        Inference(id=i, premises=[p], conclusion=c)
        if s is None
        else Inference(id=i, premises=[p], conclusion=c, scheme=s)
        for i, p, c, s in zip(ra_ids, ps, cs, map(schemes.__getitem__, scheme_keys), strict=True)
    ]
    return inferences, ra_pos, set(ps)


def _simple_conflicts(
    ca_pos: list[int],
    keys: list[str],
    sid: list[str | None],
    in_first: list[int],
    out_first: list[int],
    first_inf: dict[int, str],
    premise_ids: set[str],
    warnings: list[str],
) -> list[Conflict]:
    """The conflicts of CA nodes with at most one edge in and one out and a valid id that
    no earlier element took: each yields one conflict (or a warning) under its own id."""
    undercut, undermine, rebut = ConflictKind.UNDERCUT, ConflictKind.UNDERMINE, ConflictKind.REBUT
    attackers = list(map(sid.__getitem__, map(in_first.__getitem__, ca_pos)))
    dsts = list(map(out_first.__getitem__, ca_pos))
    conflicts: list[Conflict] = []
    add = conflicts.append
    for nid, att, stmt_tgt, inf_tgt in zip(
        map(keys.__getitem__, ca_pos), attackers, map(sid.__getitem__, dsts), map(first_inf.get, dsts), strict=True
    ):
        if att is None or (stmt_tgt is None and inf_tgt is None):
            warnings.append(f"CA node {nid}: needs an attacking I node and a target I or RA node, skipped")
        elif stmt_tgt is not None:
            if att != stmt_tgt:
                kind = undermine if stmt_tgt in premise_ids else rebut
                add(Conflict(id=nid, attacker=att, target=stmt_tgt, kind=kind))
        elif att != inf_tgt:
            add(Conflict(id=nid, attacker=att, target=inf_tgt, kind=undercut))  # type: ignore[arg-type]
    return conflicts


def _authored_statements(
    f: _AifFile,
    keys: list[str],
    i_pos: list[int],
    stmt_ids: list[str | None],
    texts: list[str],
    ya_of: _Adjacency,
    l_of: _Adjacency,
    person_of_l: dict[int, str],
    ids: IdAllocator,
    authors: list[Author],
) -> list[Statement]:
    """Statements with their authors: an L node (whose speaker the locutions name)
    anchors an I node via a YA node."""
    names: dict[str, str] = {}
    for p in f.participants:
        name = clip_short(f"{p.firstname} {p.surname}")
        if name:
            names[str(p.participantID)] = name
    i_node_ids = {keys[k] for k in i_pos}
    author_ids: dict[str, str] = {}

    def author_for(person: str, text: str) -> str:
        if person not in author_ids:
            name = names.get(person) or clip_short(_speaker(text)) or f"Person {person}"
            aid = ids.take(person) if person not in i_node_ids else ids.take(f"person-{person}")
            author_ids[person] = aid
            authors.append(Author(id=aid, name=name))
        return author_ids[person]

    statements: list[Statement] = []
    for k, stmt_id, text in zip(i_pos, stmt_ids, texts, strict=True):
        author: str | None = None
        for ya in ya_of.get(k):
            for lnode in l_of.get(ya):
                if lnode in person_of_l:
                    author = author_for(person_of_l[lnode], f.nodes[lnode].text)
                    break
            if author is not None:
                break
        statements.append(Statement(id=stmt_id, text=text, author=author))  # type: ignore[arg-type]
    return statements
