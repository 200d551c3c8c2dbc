"""AIF JSON (AIFdb, OVA3, Araucaria exports): the Argument Interchange Format codec.

Statements are I nodes, inferences RA nodes, conflicts CA nodes and equivalences MA nodes;
authors travel through the dialogue layer (an L node per authored statement, anchored to
its I node by a YA node, plus `locutions` and `participants`). On import the dialogue
layer (L, YA, TA) and preferences (PA) are read only for authorship and otherwise skipped,
with a count of what was skipped in the warnings.
"""

from collections import Counter
from itertools import repeat
from operator import attrgetter
from typing import Final

import msgspec

from service.domain.formats._util import (
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


class _Node(msgspec.Struct):
    nodeID: Id
    type: str
    text: str = ""
    scheme: str | None = None


class _Edge(msgspec.Struct):
    fromID: Id
    toID: Id
    edgeID: Id | None = None


class _Locution(msgspec.Struct):
    nodeID: Id
    personID: Id | None = None


class _Participant(msgspec.Struct):
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
_CODES: Final = {"I": _I, "RA": _RA, "CA": _CA, "MA": _MA, "YA": _YA, "L": _L}


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
    keys = as_str_list([n.nodeID for n in node_list])
    index = dict(zip(keys, range(size), strict=True))
    if len(index) != size:
        seen: set[str] = set()
        for k, nid in enumerate(keys):
            if nid in seen:
                raise FormatError(f"node id {nid!r} is used twice", f"/nodes/{k}/nodeID")
            seen.add(nid)
    codes = list(map(_CODES.get, [n.type for n in node_list], repeat(0, size)))

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
    n_edges = len(f.edges)
    froms = list(map(index.get, as_str_list([e.fromID for e in f.edges]), repeat(-1, n_edges)))
    tos = list(map(index.get, as_str_list([e.toID for e in f.edges]), repeat(-1, n_edges)))
    if -1 in froms or -1 in tos:
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
    # With every node id valid (the usual case) and node ids unique, a node keeps its id
    # unless an id derived earlier in this import took it, so `ids.take` is only needed then.
    valid = all_valid_ids(keys)
    i_pos = [k for k, c in enumerate(codes) if c == _I]
    i_texts = [node_list[k].text for k in i_pos]
    texts = [t.strip() for t in i_texts]
    sid: list[str | None] = [None] * size  # node position -> statement id
    if valid and "" not in texts and (not texts or max(map(len, texts)) <= MAX_TEXT):
        for k in i_pos:
            sid[k] = keys[k]
        used.update([keys[k] for k in i_pos])
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
    for r, code in enumerate(codes):
        if code != _RA:
            continue
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
    for r, code in enumerate(codes):
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
