"""Kialo text export (`Discussion Title:` then numbered `1.2.1. Pro: ...` lines).

Kialo holds a tree of single claims under one thesis: a pro is a one-premise inference,
a con a conflict. `-> See 1.2.3.` lines reuse a claim elsewhere, which is how a graph
survives the tree format. Linked premises, undercuts, equivalences, authors and sources
do not fit and are reported on export.
"""

import re
from collections.abc import Iterator
from itertools import chain, repeat
from typing import Any, Final

from service.domain.formats._util import as_text, clip_short, clip_text, finish, gc_paused, loss, plain_texts
from service.domain.formats.base import Exported, FormatError, Imported
from service.domain.graph import (
    Conflict,
    ConflictKind,
    Inference,
    MapDocument,
    Statement,
    StatementKind,
)

MEDIA_TYPE: Final = "text/plain; charset=utf-8"
EXTENSION: Final = "kialo.txt"
HEADER: Final = "Discussion Title:"
_LINE: Final = re.compile(r"^((?:\d+\.)+)\s+(?:(Pro|Con):\s*)?(.*)$")
_SEE: Final = re.compile(r"^->\s*See\s+((?:\d+\.)*\d+)\.?\s*$")
MAX_LINES: Final = 2_000_000


def _one_line(text: str) -> str:
    return " ".join(text.split())


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    statements = doc.statements
    texts = [s.text for s in statements]
    if not plain_texts(texts, ""):
        texts = [" ".join(t.split()) for t in texts]
    # One record per statement, [text, pros, cons, number, used], found with one dict
    # lookup per relation end: the walk below then follows records, not ids, because on
    # a big map every random dict lookup is a cache miss and they dominate the cost.
    records: list[list[Any]] = [[t, None, None, None, False] for t in texts]
    rec_of = dict(zip([s.id for s in statements], records, strict=True))
    linked = 0
    schemes = 0
    for inf in doc.inferences:
        premises = inf.premises
        if inf.scheme:
            schemes += 1
        parent = rec_of[inf.conclusion]
        pros = parent[1]
        if pros is None:
            pros = parent[1] = []
        if len(premises) == 1:
            child = rec_of[premises[0]]
            child[4] = True
            pros.append(child)
        else:
            linked += 1
            for premise in premises:
                child = rec_of[premise]
                child[4] = True
                pros.append(child)
    undercuts = 0
    undercut = ConflictKind.UNDERCUT
    for c in doc.conflicts:
        attacker = rec_of[c.attacker]
        attacker[4] = True
        if c.kind is undercut:
            undercuts += 1
            continue
        parent = rec_of[c.target]
        cons = parent[2]
        if cons is None:
            parent[2] = [attacker]
        else:
            cons.append(attacker)
    del rec_of
    # main claims as GraphIndex.roots() finds them
    roots = [r for r in records if not r[4]] or [
        r for s, r in zip(statements, records, strict=True) if s.kind == StatementKind.CLAIM
    ]

    def children(pros: list[Any] | None, cons: list[Any] | None) -> Iterator[tuple[int, tuple[str, list[Any]]]]:
        # pros first, then cons, numbered from 1; the pairs are made as they are read
        if cons is None:
            return enumerate(zip(repeat("Pro"), pros or ()), 1)
        if pros is None:
            return enumerate(zip(repeat("Con"), cons), 1)
        return enumerate(chain(zip(repeat("Pro"), pros), zip(repeat("Con"), cons)), 1)

    lines = [f"{HEADER} {_one_line(doc.title)}", ""]
    add = lines.append
    if len(roots) == 1:
        top = roots[0]
        add(f"1. {top[0]}")
        top[3] = "1"
        first = children(top[1], top[2])
    else:
        # Kialo has exactly one thesis: several main claims hang under the map title.
        warnings.append(f"Kialo has one thesis: {len(roots)} main claims placed as pros under the map title")
        add(f"1. {_one_line(doc.title)}")
        first = children(roots, None)
    # Depth-first, children in document order, so numbers read like Kialo's own export;
    # one iterator per open level keeps deep chains off the Python stack.
    stack: list[tuple[str, Iterator[tuple[int, tuple[str, list[Any]]]]]] = [("1", first)]
    while stack:
        num, it = stack[-1]
        for k, (side, rec) in it:
            here = f"{num}.{k}"
            seen = rec[3]
            if seen is not None:
                add(f"{here}. {side}: -> See {seen}.")
                continue
            rec[3] = here
            add(f"{here}. {side}: {rec[0]}")
            pros, cons = rec[1], rec[2]
            if pros is not None or cons is not None:
                stack.append((here, children(pros, cons)))
                break
        else:
            stack.pop()
    unreached = sum(1 for r in records if r[3] is None)
    if unreached:
        warnings.append(f"Kialo is a tree under one thesis: {unreached} statements not reachable from it were dropped")
    if linked:
        warnings.append(f"Kialo has no linked premises: {linked} linked inferences split into separate pros")
    loss(warnings, "Kialo", undercuts, "undercuts")
    loss(warnings, "Kialo", len(doc.equivalences), "equivalences")
    loss(warnings, "Kialo", len(doc.authors), "authors")
    loss(warnings, "Kialo", len(doc.sources), "sources")
    loss(warnings, "Kialo", schemes, "inference schemes")
    add("")
    out = "\n".join(lines).encode("utf-8")
    return Exported(out, MEDIA_TYPE, EXTENSION, warnings)


@gc_paused
def import_(data: bytes | str) -> Imported:
    text = as_text(data, "Kialo export")
    raw_lines = text.splitlines()
    if len(raw_lines) > MAX_LINES:
        raise FormatError(f"more than {MAX_LINES} lines", f"line {MAX_LINES + 1}, column 1")
    warnings: list[str] = []
    title = "Kialo discussion"
    start = 0
    for k, line in enumerate(raw_lines):
        if line.strip():
            if line.startswith(HEADER):
                title = clip_short(line[len(HEADER) :]) or title
                start = k + 1
            break
    # number -> (line no, side, text or None, reference target number)
    claims: dict[str, tuple[int, str | None, list[str], str | None]] = {}
    order: list[str] = []
    last: str | None = None
    for k in range(start, len(raw_lines)):
        line = raw_lines[k]
        if not line.strip():
            last = None
            continue
        m = _LINE.match(line)
        if m is None:
            if last is None:
                raise FormatError("expected a numbered claim such as '1.2. Pro: text'", f"line {k + 1}, column 1")
            claims[last][2].append(line.strip())  # a claim that spans several lines
            continue
        num = m.group(1).rstrip(".")
        side = m.group(2)
        body = m.group(3)
        if num in claims:
            raise FormatError(f"claim number {num} is used twice", f"line {k + 1}, column 1")
        if "." in num and side is None:
            raise FormatError(
                "a claim below the thesis needs 'Pro:' or 'Con:'", f"line {k + 1}, column {len(m.group(1)) + 2}"
            )
        see = _SEE.match(body.strip())
        claims[num] = (k + 1, side, [] if see else [body], see.group(1) if see else None)
        order.append(num)
        last = None if see else num
    if not claims:
        raise FormatError("no numbered claims found", f"line {start + 1}, column 1")

    def resolve(num: str, line_no: int) -> str:
        seen: set[str] = set()
        while True:
            if num not in claims:
                raise FormatError(f"'-> See {num}.' points at no claim", f"line {line_no}, column 1")
            if num in seen:
                raise FormatError(f"'-> See' references loop at {num}", f"line {line_no}, column 1")
            seen.add(num)
            ref = claims[num][3]
            if ref is None:
                return num
            num = ref

    statements: list[Statement] = []
    inferences: list[Inference] = []
    conflicts: list[Conflict] = []
    kept: set[str] = set()
    for num in order:
        line_no, _side, parts, ref = claims[num]
        if ref is not None:
            continue
        body = clip_text(" ".join(parts), f"line {line_no}", warnings)
        if body is None:
            raise FormatError("a claim needs text", f"line {line_no}, column 1")
        statements.append(Statement(id=num, text=body))
        kept.add(num)
    for num in order:
        line_no, side, _parts, _ref = claims[num]
        if "." not in num:
            continue
        parent_num = num.rsplit(".", 1)[0]
        if parent_num not in claims:
            raise FormatError(f"claim {num} has no parent claim {parent_num}", f"line {line_no}, column 1")
        child = resolve(num, line_no)
        parent = resolve(parent_num, line_no)
        if child == parent:
            warnings.append(f"line {line_no}: claim {num} refers to its own parent, skipped")
            continue
        if side == "Pro":
            inferences.append(Inference(id=f"pro-{num}", premises=[child], conclusion=parent))
        else:
            conflicts.append(Conflict(id=f"con-{num}", attacker=child, target=parent, kind=ConflictKind.REBUT))
    if "1" not in claims:
        warnings.append("no thesis numbered 1.")
    doc = MapDocument(title=title, statements=statements, inferences=inferences, conflicts=conflicts)
    return finish(doc, warnings)
