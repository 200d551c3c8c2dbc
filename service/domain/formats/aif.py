"""AIF JSON (AIFdb, OVA3, Araucaria exports): the Argument Interchange Format codec.

Statements are I nodes, inferences RA nodes, conflicts CA nodes and equivalences MA nodes;
authors travel through the dialogue layer (an L node per authored statement, anchored to
its I node by a YA node, plus `locutions` and `participants`). On import the dialogue
layer (L, YA, TA) and preferences (PA) are read only for authorship and otherwise skipped,
with a count of what was skipped in the warnings.
"""

import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain, compress, repeat
from operator import attrgetter, eq, not_
from typing import Any, Final, Literal, TypeVar, cast

import msgspec

from service.domain.formats._util import (
    ID_RE,
    IdAllocator,
    all_valid_ids,
    as_str_list,
    chunks,
    clip_short,
    clip_text,
    count_truthy,
    finish,
    gc_paused,
    json_plain,
    json_texts,
    loss,
    ref_codes,
    rows_into,
    split_equivalences,
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


# No edgeID: nothing reads it, and skipping it saves a string per edge (200,000 for a
# 100,000-statement map) that would only be allocated and freed.
class _Edge(msgspec.Struct, gc=False):
    fromID: Id
    toID: Id


class _Locution(msgspec.Struct, gc=False):
    nodeID: Id
    personID: Id | None = None


class _Participant(msgspec.Struct, gc=False):
    participantID: Id
    firstname: str = ""
    surname: str = ""


class _AifFile(msgspec.Struct):
    nodes: Sequence[_Node]
    edges: Sequence[_Edge] = []
    locutions: Sequence[_Locution] = []
    participants: Sequence[_Participant] = []


class _KnownNode(_Node, gc=False):
    # Read as a literal, the type of every node is one of a few shared string objects
    # (no string per node, identity-fast comparisons) instead of a fresh string each.
    type: Literal["I", "RA", "CA", "MA", "PA", "L", "YA", "TA"]


class _KnownFile(_AifFile):
    nodes: Sequence[_KnownNode]


_decoder = msgspec.json.Decoder(_AifFile)
# Tried first; a file with another node type is read again with `_decoder`.
_known_decoder = msgspec.json.Decoder(_KnownFile)
_encoder = msgspec.json.Encoder()


class _OutNode(msgspec.Struct, gc=False):
    # gc=False: these hold only strings, so the collector never needs to visit them
    nodeID: str
    text: str
    type: str
    scheme: str | msgspec.UnsetType = msgspec.UNSET


class _OutLocution(msgspec.Struct, gc=False):
    nodeID: str
    personID: str


class _OutParticipant(msgspec.Struct, gc=False):
    participantID: str
    firstname: str
    surname: str = ""


# The JSON text is laid out column by column (`_rows`): msgspec would need a wire Struct
# per node and edge, and building 100,000s of those costs more than encoding them. Every
# template starts with the comma between rows; a group of rows is written without it.
_I_ROW: Final = (',{"nodeID":"', '","text":"', '","type":"I"}')
_L_YA_ROW: Final = (
    ',{"nodeID":"',
    '","text":"',
    '","type":"L"},{"nodeID":"',
    '","text":"Asserting","type":"YA","scheme":"Asserting"}',
)
_RA_ROW: Final = (',{"nodeID":"', '","text":"Default Inference","type":"RA"}')
_CA_ROW: Final = (',{"nodeID":"', '","text":"Default Conflict","type":"CA"}')
_MA_ROW: Final = (',{"nodeID":"', '","text":"Default Rephrase","type":"MA"}')
# The two edges of a relation node with one edge in: x -> node -> y. Edge ids are the
# node's id plus ".in"/".out" (".in2", ... for further premises): unique, as node ids
# are and the suffix starts at the id's last dot, and with no counter to format.
_PAIR_ROW: Final = (
    ',{"edgeID":"',
    '.in","fromID":"',
    '","toID":"',
    '","formEdgeID":null},{"edgeID":"',
    '.out","fromID":"',
    '","toID":"',
    '","formEdgeID":null}',
)
_EDGE_ROW: Final = (',{"edgeID":"', '","fromID":"', '","toID":"', '","formEdgeID":null}')
# Elements per chunk: the export reads each chunk's elements, escapes and joins its rows
# while they are still in the CPU cache, instead of passing over 100,000s of scattered
# objects once per field.
_CHUNK: Final = 1024


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    statements = doc.statements
    inferences = doc.inferences
    conflicts = doc.conflicts
    equivalences, cross_map = split_equivalences(doc)

    nodes: list[bytes | memoryview] = []  # groups of rows, to be joined by commas
    edges: list[bytes | memoryview] = []
    i_rows = _plain_statement_rows(statements)
    extras = i_rows is None  # whether some statement has more than an id and a text
    if i_rows is not None:
        nodes.append(i_rows)
    for part in chunks(len(statements) if extras else 0, _CHUNK):
        stmts = statements[part]
        nodes.append(_rows(_I_ROW, [x.id for x in stmts], [x.text for x in stmts]))
    locutions: list[_OutLocution] = []
    if extras and any([x.author for x in statements]):
        locutions = _dialogue_layer(doc, nodes, edges)

    relation_authors = False
    for part in chunks(len(inferences), _CHUNK):
        infs = inferences[part]
        ids = [x.id for x in infs]
        premise_lists = [x.premises for x in infs]
        premises = list(chain.from_iterable(premise_lists))
        conclusions = [x.conclusion for x in infs]
        plain = json_plain(ids, premises, conclusions)
        if any([x.scheme for x in infs]):
            ra_nodes = [
                _OutNode(i, sc, "RA", sc) if sc else _OutNode(i, "Default Inference", "RA")
                for i, sc in zip(ids, [x.scheme for x in infs], strict=True)
            ]
            nodes.append(memoryview(_encoder.encode(ra_nodes))[1:-1])
        else:
            nodes.append(_rows(_RA_ROW, ids, plain=plain))
        if len(premises) == len(ids) and all(premise_lists):  # one premise each
            edges.append(_rows(_PAIR_ROW, ids, premises, ids, ids, ids, conclusions, plain=plain))
        else:
            edges.append(_linked_edges(ids, premise_lists, conclusions))
        relation_authors = relation_authors or any([x.author for x in infs])
    rebut_or_undermine = False
    for part in chunks(len(conflicts), _CHUNK):
        cons = conflicts[part]
        ids = [x.id for x in cons]
        attackers = [x.attacker for x in cons]
        targets = [x.target for x in cons]
        plain = json_plain(ids, attackers, targets)
        nodes.append(_rows(_CA_ROW, ids, plain=plain))
        edges.append(_rows(_PAIR_ROW, ids, attackers, ids, ids, ids, targets, plain=plain))
        relation_authors = relation_authors or any([x.author for x in cons])
        kinds = [x.kind for x in cons]
        rebut_or_undermine = rebut_or_undermine or kinds.count(ConflictKind.UNDERCUT) != len(kinds)
    for part in chunks(len(equivalences), _CHUNK):
        eqs = equivalences[part]
        ids = [x.id for x in eqs]
        nodes.append(_rows(_MA_ROW, ids))
        edges.append(_rows(_PAIR_ROW, ids, [x.first for x in eqs], ids, ids, ids, [x.second for x in eqs]))

    participants = [_OutParticipant(a.id, a.name) for a in doc.authors]
    tail = b'],"locutions":%b,"participants":%b}' % (_encoder.encode(locutions), _encoder.encode(participants))
    out: list[bytes | memoryview] = [b'{"nodes":[']
    for section, closing in ((nodes, b'],"edges":['), (edges, tail)):
        for piece in section:
            if piece:
                out += (piece, b",")
        if out[-1] == b",":
            out.pop()
        out.append(closing)
    data = b"".join(out)

    loss(warnings, "AIF", cross_map, "equivalences with a statement of another map")
    loss(warnings, "AIF", extras and count_truthy(statements, "locator"), "source locators")
    loss(warnings, "AIF", len(doc.sources), "sources")
    loss(warnings, "AIF", len(doc.topics), "topics")
    loss(warnings, "AIF", extras and count_truthy(statements, "stances"), "statement stances")
    loss(warnings, "AIF", extras and count_truthy(statements, "tags"), "statement tags")
    relation_authors = relation_authors or any([x.author for x in doc.equivalences])
    loss(
        warnings,
        "AIF",
        relation_authors and sum(count_truthy(c, "author") for c in (inferences, conflicts, doc.equivalences)),
        "authors of relations",
    )
    loss(warnings, "AIF", extras and count_truthy(statements, "title"), "statement titles")
    if rebut_or_undermine:
        warnings.append("AIF does not distinguish rebut from undermine: the kind is re-derived on import")
    return Exported(data, MEDIA_TYPE, EXTENSION, warnings)


def _rows(template: Sequence[str], *columns: list[str], plain: bool = False) -> bytes:
    """The UTF-8 JSON text of `rows_into(template, *columns)` without its leading comma,
    each string escaped for a JSON string literal (with `json_texts`) unless `plain`
    (the caller knows that none needs it) or `_plain` finds so; a column may be given
    several times."""
    if not columns[0]:
        return b""
    if not plain and not json_plain(*columns):
        escaped = {id(c): json_texts(c) for c in {id(c): c for c in columns}.values()}
        columns = tuple(escaped[id(c)] for c in columns)
    if len(columns) == 1:
        # one column: a single join with the row's closing and opening as separator
        return f"{template[0][1:]}{(template[1] + template[0]).join(columns[0])}{template[1]}".encode()
    parts: list[str] = []
    rows_into(parts, template, *columns)
    parts[0] = template[0][1:]
    return "".join(parts).encode()


def _plain_statement_rows(statements: list[Statement]) -> memoryview | None:
    """The I node rows of statements that have nothing but an id and a text, rewritten
    from msgspec's encoding of them (which escapes the texts on the way); None if some
    statement has more.

    In msgspec's output a quote only delimits a string unless a backslash precedes it,
    and `{"id":"` only opens a statement. Without any backslash each statement
    `{"id":"...","text":"..."}` has 8 quotes and any further field adds some; with
    one, `":` not after a backslash ends a key, and each statement has two keys."""
    encoded = _encoder.encode(statements)
    n = len(statements)
    if b"\\" not in encoded:
        if encoded.count(b'"') != 8 * n:
            return None
    elif encoded.count(b'":') - encoded.count(b'\\":') != 2 * n:
        return None
    rows = encoded.replace(b'{"id":"', b'{"type":"I","nodeID":"')
    if len(rows) != len(encoded) + 15 * n:  # every statement opened as expected
        return None
    return memoryview(rows)[1:-1]  # without the brackets


def _dialogue_layer(
    doc: MapDocument, nodes: list[bytes | memoryview], edges: list[bytes | memoryview]
) -> list[_OutLocution]:
    """The L and YA nodes (and their edges) through which AIF says who asserted each
    authored statement; returns the locutions naming the speakers."""
    authors = {a.id: a for a in doc.authors}
    ids = IdAllocator()
    for coll in ("authors", "sources", "topics", "statements", "inferences", "conflicts", "equivalences"):
        ids.used.update(map(_get_id, getattr(doc, coll)))
    lids: list[str] = []
    yids: list[str] = []
    l_texts: list[str] = []
    anchored: list[str] = []
    locutions: list[_OutLocution] = []
    for st in doc.statements:
        if st.author is None:
            continue
        lid = ids.take(f"L-{st.id}")
        lids.append(lid)
        yids.append(ids.take(f"YA-{st.id}"))
        anchored.append(st.id)
        name = authors[st.author].name if st.author in authors else st.author
        l_texts.append(f"{name}: {st.text}")
        locutions.append(_OutLocution(lid, st.author))
    nodes.append(_rows(_L_YA_ROW, lids, l_texts, yids))
    edges.append(_rows(_PAIR_ROW, yids, lids, yids, yids, yids, anchored))
    return locutions


def _linked_edges(inf_ids: list[str], premise_lists: list[list[str]], conclusions: list[str]) -> bytes:
    """The edges of inferences when some has several premises (or none): one row per
    edge, each inference's premises first."""
    edge_ids: list[str] = []
    froms: list[str] = []
    tos: list[str] = []
    for iid, plist, concl in zip(inf_ids, premise_lists, conclusions, strict=True):
        for k, premise in enumerate(plist):
            edge_ids.append(f"{iid}.in" if k == 0 else f"{iid}.in{k + 1}")
            froms.append(premise)
            tos.append(iid)
        edge_ids.append(f"{iid}.out")
        froms.append(iid)
        tos.append(concl)
    return _rows(_EDGE_ROW, edge_ids, froms, tos)


_get_id = attrgetter("id")
_get_text = attrgetter("text")


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


def _type_codes(types: list[str]) -> bytes:
    """One byte per node type (`_CODES`): bytes give C-speed counting, searching and
    masking (`_positions`), and are what `ref_codes` reports."""
    return bytes(map(_CODES.__getitem__, types))


def _record(used: set[str], unrecorded: list[list[str]]) -> None:
    """Bring `used` up to date before anything reads it (`ids.take`, `nid in used`)."""
    for given in unrecorded:
        used.update(given)
    unrecorded.clear()


def _positions(codes: bytes, code: int) -> list[int]:
    """Positions of the nodes with this type code, without a Python-level loop."""
    return list(compress(range(len(codes)), codes.translate(_ONLY[code])))


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
        f: _AifFile = _known_decoder.decode(data)
    except msgspec.ValidationError:
        f = _decode(data)
    except msgspec.DecodeError as e:
        raise FormatError(f"not valid JSON: {e}") from None
    paired = _paired_import(f)
    if paired is not None:
        return paired
    return _general_import(f)


def _decode(data: bytes | str) -> _AifFile:
    try:
        return _decoder.decode(data)
    except msgspec.ValidationError as e:
        reason, pointer = split_error(e)
        raise FormatError(f"not an AIF document: {reason}", pointer) from None
    except msgspec.DecodeError as e:
        raise FormatError(f"not valid JSON: {e}") from None


def _general_import(f: _AifFile) -> Imported:
    """Any AIF file, node by node where needed."""
    warnings: list[str] = []

    node_list = f.nodes
    size = len(node_list)
    raw_keys: list[Any] = [x.nodeID for x in node_list]  # str or int, sorted out below
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
    codes = _type_codes([x.type for x in node_list])

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
        ends: list[Any] = [x.fromID for x in edge_list]
        froms = list(map(index.__getitem__, ends))
        ends = [x.toID for x in edge_list]
        tos = list(map(index.__getitem__, ends))
        del ends
        dangling = False
    except KeyError:
        froms = list(map(index.get, as_str_list([x.fromID for x in edge_list]), repeat(-1, n_edges)))
        tos = list(map(index.get, as_str_list([x.toID for x in edge_list]), repeat(-1, n_edges)))
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
        unrecorded.append([x.id for x in inferences])
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
        unrecorded.append([x.id for x in conflicts])
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
        none: list[Any] = []  # shared: see `_paired_import`
        statements = [
            Statement(id=i, text=t, stances=none, tags=none)  # type: ignore[arg-type]
            for i, t in zip(stmt_ids, texts, strict=True)
        ]

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


def _paired_import(f: _AifFile) -> Imported | None:
    """The import of a file in the shape AIF exporters (ours, Araucaria) write for plain
    maps, or None for any other file: only I, RA and CA nodes, valid and unique ids, no
    locutions, and the edges in pairs, one per relation node in node order:
    (x -> node, node -> y).

    Such a file needs no table from node ids to nodes: two list comparisons pair every
    relation with its ends, and a few set operations check the ends. The document is
    the one the general path builds, which for this shape yields no warning when every x
    is an I node, every RA's y is an I node, every CA's y is an I or RA node and no
    relation leads from a node to itself; any other file, including one with those
    faults, takes the general path, which reports them.

    Those conditions are also every invariant `validate` checks of this document (unique
    ids, non-blank texts, premises, conclusions and attackers that are statements, the
    conflict kind matching its target), so it need not run again."""
    if f.locutions:
        return None
    nodes = cast(list[_Node], f.nodes)  # msgspec decodes a Sequence as a list
    edges = f.edges
    size = len(nodes)
    types = [x.type for x in nodes]
    n_rel = size - types.count("I")
    if not size or len(edges) != 2 * n_rel:
        return None
    keys: list[Any] = [x.nodeID for x in nodes]
    try:
        joined = "\n".join(keys)  # numeric ids raise TypeError
    except TypeError:
        return None
    if joined.count("\n") != size - 1 or _ID_LINES.fullmatch(joined) is None:
        return None
    del joined
    # AIF exporters write the I nodes first, and ours the RA before the CA nodes: then
    # slices split the columns, otherwise masks do.
    is_i = size - n_rel if types[: size - n_rel].count("I") == size - n_rel else list(map(eq, types, repeat("I")))
    i_ids, rel_ids = _split(keys, is_i)
    i_nodes, rel_nodes = _split(nodes, is_i)
    codes = _type_codes(types)
    rel_types = _split(types, is_i)[1]
    del types, is_i
    n_ra = rel_types.count("RA")
    if rel_types.count("CA") != n_rel - n_ra:
        return None
    is_ra = n_ra if rel_types[:n_ra].count("RA") == n_ra else list(map(eq, rel_types, repeat("RA")))
    del rel_types

    froms: list[Any] = [x.fromID for x in edges]
    tos: list[Any] = [x.toID for x in edges]
    if tos[0::2] != rel_ids or froms[1::2] != rel_ids:
        return None
    del froms[1::2], tos[0::2]  # what remains: each relation's x and y
    ra_ids, ca_ids = _split(rel_ids, is_ra)
    del rel_ids
    if any(map(eq, froms, tos)):
        return None
    # The kind of node each relation end names, all in one call (None: an id repeats).
    # Every x must be an I node, every RA's y too, and every CA's y an I or RA node.
    found = ref_codes(keys, codes, [*froms, *tos], 0)
    del keys, codes
    if found is None or found.count(_I, 0, n_rel) != n_rel:
        return None
    if isinstance(is_ra, int):
        ra_found, ca_found = found[n_rel : n_rel + is_ra], found[n_rel + is_ra :]
    else:
        ra_found = bytes(compress(found[n_rel:], is_ra))
        ca_found = bytes(compress(found[n_rel:], map(not_, is_ra)))
    del found
    if ra_found.count(_I) != len(ra_found) or ca_found.count(_I) + ca_found.count(_RA) != len(ca_found):
        return None
    is_undercut = list(map(_RA.__eq__, ca_found))
    del ra_found, ca_found
    premises, attackers = _split(froms, is_ra)
    conclusions, targets = _split(tos, is_ra)
    del froms, tos
    texts = list(map(str.strip, [x.text for x in i_nodes]))
    lengths = list(map(len, texts))
    if 0 in lengths or max(lengths, default=0) > MAX_TEXT:
        return None
    del lengths

    # One empty list shared by every statement, as the database loader does: elements are
    # frozen values whose lists nobody changes in place, and a default `[]` would cost
    # two fresh lists per statement, over half of building it.
    none: list[Any] = []
    statements = [Statement(id=i, text=t, stances=none, tags=none) for i, t in zip(i_ids, texts, strict=True)]
    del i_ids, texts
    schemes = _schemes(_split(rel_nodes, is_ra)[0])
    if isinstance(schemes, list):
        inferences = [
            Inference(id=i, premises=[p], conclusion=c, scheme=s)
            for i, p, c, s in zip(ra_ids, premises, conclusions, schemes, strict=True)
        ]
    elif schemes is None:
        inferences = [
            Inference(id=i, premises=[p], conclusion=c) for i, p, c in zip(ra_ids, premises, conclusions, strict=True)
        ]
    else:
        inferences = [
            Inference(id=i, premises=[p], conclusion=c, scheme=schemes)
            for i, p, c in zip(ra_ids, premises, conclusions, strict=True)
        ]
    del ra_ids, conclusions

    conflicts: list[Conflict] = []
    if targets:
        # the targets that are also premises (a small set, probed by every premise)
        undermined = set(targets).intersection(premises)
        undercut, undermine, rebut = ConflictKind.UNDERCUT, ConflictKind.UNDERMINE, ConflictKind.REBUT
        conflicts = [
            Conflict(id=i, attacker=a, target=t, kind=undercut if u else undermine if t in undermined else rebut)
            for i, a, t, u in zip(ca_ids, attackers, targets, is_undercut, strict=True)
        ]
    doc = MapDocument(title=DEFAULT_TITLE, statements=statements, inferences=inferences, conflicts=conflicts)
    return Imported(doc, [])


_T = TypeVar("_T")


def _split(values: list[_T], first: int | list[bool]) -> tuple[list[_T], list[_T]]:
    """The values selected by a mask and the others; a number `first` selects that many
    values at the front (sliced, which is cheaper than masking)."""
    if isinstance(first, int):
        return values[:first], values[first:]
    return list(compress(values, first)), list(compress(values, map(not_, first)))


def _schemes(ra_nodes: Sequence[_Node]) -> str | list[str | None] | None:
    """The scheme of each RA node, or the one scheme (or None) of them all when they
    share their text and have no scheme field (nearly every map)."""
    texts = [x.text for x in ra_nodes]
    raw_schemes = [x.scheme for x in ra_nodes]
    if not texts or (raw_schemes.count(None) == len(texts) and texts.count(texts[0]) == len(texts)):
        return _scheme_name(None, texts[0]) if texts else None
    names = {k: _scheme_name(*k) for k in set(zip(raw_schemes, texts, strict=True))}
    return list(map(names.__getitem__, zip(raw_schemes, texts, strict=True)))


def _scheme_name(scheme: str | None, text: str) -> str | None:
    raw_scheme = scheme if scheme else text.strip()
    return None if raw_scheme in _NO_SCHEME else clip_short(raw_scheme)


def _simple_inferences(
    ra_pos: list[int],
    keys: list[str],
    node_list: Sequence[_Node],
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
