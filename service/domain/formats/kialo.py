"""Kialo text export (`Discussion Title:` then numbered `1.2.1. Pro: ...` lines).

Kialo holds a tree of single claims under one thesis: a pro is a one-premise inference,
a con a conflict. `-> See 1.2.3.` lines reuse a claim elsewhere, which is how a graph
survives the tree format. Linked premises, undercuts, equivalences, authors and sources
do not fit and are reported on export.
"""

import re
from typing import Final

from service.domain.formats._util import as_text, clip_short, clip_text, finish, gc_paused, loss
from service.domain.formats.base import Exported, FormatError, Imported
from service.domain.graph import (
    Conflict,
    ConflictKind,
    GraphIndex,
    Inference,
    MapDocument,
    Statement,
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
    index = GraphIndex(doc)
    lines = [f"{HEADER} {_one_line(doc.title)}", ""]
    number: dict[str, str] = {}
    roots = index.roots()
    linked = sum(1 for i in doc.inferences if len(i.premises) > 1)
    undercuts = sum(1 for c in doc.conflicts if c.kind == ConflictKind.UNDERCUT)

    if len(roots) == 1:
        thesis_children: list[tuple[str, str]] = []
        top = roots[0]
        lines.append(f"1. {_one_line(top.text)}")
        number[top.id] = "1"
        stack: list[tuple[str, str]] = [(top.id, "1")]
    else:
        # Kialo has exactly one thesis: several main claims hang under the map title.
        warnings.append(f"Kialo has one thesis: {len(roots)} main claims placed as pros under the map title")
        lines.append(f"1. {_one_line(doc.title)}")
        thesis_children = [("Pro", r.id) for r in roots]
        stack = []
    # Depth-first, children in document order, so numbers read like Kialo's own export.
    order: list[tuple[str, str, str]] = []  # (parent number, side, statement id)

    def children(stmt_id: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for inf in index.supports_of.get(stmt_id, ()):
            out.extend(("Pro", p) for p in inf.premises)
        for c in index.attacks_on.get(stmt_id, ()):
            if c.kind != ConflictKind.UNDERCUT:
                out.append(("Con", c.attacker))
        return out

    def walk(parent_num: str, kids: list[tuple[str, str]]) -> None:
        # iterative to survive deep chains
        work: list[tuple[str, list[tuple[str, str]], int]] = [(parent_num, kids, 0)]
        while work:
            pnum, ks, k = work.pop()
            if k >= len(ks):
                continue
            work.append((pnum, ks, k + 1))
            side, sid = ks[k]
            num = f"{pnum}.{k + 1}"
            if sid in number:
                lines.append(f"{num}. {side}: -> See {number[sid]}.")
                continue
            number[sid] = num
            lines.append(f"{num}. {side}: {_one_line(index.statements[sid].text)}")
            work.append((num, children(sid), 0))

    if stack:
        walk("1", children(stack[0][0]))
    else:
        walk("1", thesis_children)
    del order
    unreached = sum(1 for s in doc.statements if s.id not in number)
    if unreached:
        warnings.append(f"Kialo is a tree under one thesis: {unreached} statements not reachable from it were dropped")
    if linked:
        warnings.append(f"Kialo has no linked premises: {linked} linked inferences split into separate pros")
    loss(warnings, "Kialo", undercuts, "undercuts")
    loss(warnings, "Kialo", len(doc.equivalences), "equivalences")
    loss(warnings, "Kialo", len(doc.authors), "authors")
    loss(warnings, "Kialo", len(doc.sources), "sources")
    loss(warnings, "Kialo", sum(1 for i in doc.inferences if i.scheme), "inference schemes")
    return Exported(("\n".join(lines) + "\n").encode("utf-8"), MEDIA_TYPE, EXTENSION, warnings)


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
