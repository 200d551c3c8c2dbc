"""Kialo text export (`Discussion Title:` then numbered `1.2.1. Pro: ...` lines).

Kialo holds a tree of single claims under one thesis: a pro is a one-premise inference,
a con a conflict. `-> See 1.2.3.` lines reuse a claim elsewhere, which is how a graph
survives the tree format. Linked premises, undercuts, equivalences, authors and sources
do not fit and are reported on export.
"""

import io
import re
from typing import Final

from service.domain.formats._util import (
    as_text,
    chunks,
    clip_short,
    clip_text,
    finish,
    flat_texts,
    gc_paused,
    loss,
)
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
_TOP: Final = "\n1."
_PRO: Final = " Pro: "
_CON: Final = " Con: "


def _tail(count: int) -> tuple[str, ...]:
    """The last pieces of the numbers of `count` children, last child first:
    `("3.", "2.", "1.")` for 3."""
    return tuple([f"{k}." for k in range(count, 0, -1)])


# Most claims have few children: their number pieces are made once, not once per claim.
_TAILS: Final = [_tail(k) for k in range(64)]


def _one_line(text: str) -> str:
    return " ".join(text.split())


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    statements = doc.statements
    n = len(statements)
    # Columns by comprehension: on CPython 3.11 a comprehension's specialised attribute
    # read is about three times cheaper than `map(attrgetter(...))` on msgspec Structs.
    texts = [s.text for s in statements]
    if not flat_texts(texts, ""):
        texts = [" ".join(t.split()) for t in texts]
    title = _one_line(doc.title)
    # Statements become numbers once; the rest works on lists indexed by them. On a big
    # map every lookup in a 100,000-key dict is a cache miss, so there is one per
    # relation end and none later.
    index = dict(zip([s.id for s in statements], range(n), strict=True))
    # Children per claim, pros first, then cons, each in document order. They are
    # stored backwards (relations read last to first): the walk pushes a whole family on
    # its stack at once, and the first child must end up on top. A child is coded as its
    # statement number when it is a pro and as the bitwise complement (a negative
    # number) when it is a con: lists doubled with their own reversal then give a
    # statement's entry for either code, `doubled[~k] == doubled[k]`, and the side of a
    # line is one more lookup by code, so the walk never decodes.
    kids: list[list[int] | None] = [None] * n
    children: list[int] = []  # the child of every pro and con
    add_child = children.append
    unhung: list[int] = []  # attackers of undercuts: used, but hung nowhere
    undercut = ConflictKind.UNDERCUT
    conflicts = doc.conflicts
    for conflict in reversed(conflicts):
        child = index[conflict.attacker]
        if conflict.kind == undercut:
            unhung.append(child)
            continue
        add_child(child)
        parent = index[conflict.target]
        family = kids[parent]
        if family is None:
            kids[parent] = [~child]
        else:
            family.append(~child)
    undercuts = len(unhung)
    linked = 0
    schemes = 0
    for inference in reversed(doc.inferences):
        parent = index[inference.conclusion]
        premises = inference.premises
        if inference.scheme:
            schemes += 1
        if len(premises) == 1:
            child = index[premises[0]]
            add_child(child)
            family = kids[parent]
            if family is None:
                kids[parent] = [child]
            else:
                family.append(child)
            continue
        # a linked inference gives one pro per premise, in premise order
        linked += 1
        for premise in reversed(premises):
            child = index[premise]
            add_child(child)
            family = kids[parent]
            if family is None:
                kids[parent] = [child]
            else:
                family.append(child)
    used = set(children)
    # No statement hangs in two places: what the walk reaches is a tree, so no claim
    # is met twice and nothing needs remembering.
    tree = len(used) == len(children)
    used.update(unhung)
    # main claims as GraphIndex.roots() finds them; when only one statement is left
    # unused, it is the number missing from the sum
    roots = [n * (n - 1) // 2 - sum(used)] if len(used) == n - 1 else sorted(set(range(n)).difference(used))
    if not roots:
        tree = False
        roots = [k for k, s in enumerate(statements) if s.kind == StatementKind.CLAIM]
    numbers: list[str | None] = []
    if len(roots) == 1:
        top = roots[0]
        head = texts[top]
        first = kids[top] or []
        if not tree:
            numbers = [None] * n
            numbers[top] = _TOP
    else:
        # Kialo has exactly one thesis: several main claims hang under the map title.
        warnings.append(f"Kialo has one thesis: {len(roots)} main claims placed as pros under the map title")
        head = title
        first = roots[::-1]
        if not tree:
            numbers = [None] * n
    # Depth-first, children in document order, so numbers read like Kialo's own export.
    # A number is kept with its line's newline in front ("\n1.2."), which saves one
    # piece per line in the final join.
    stack_codes = list(first)
    stack_numbers = list(map(_TOP.__add__, _tail(len(first))))
    pop_code = stack_codes.pop
    pop_number = stack_numbers.pop
    push_codes = stack_codes.extend
    push_numbers = stack_numbers.extend
    line_codes: list[int] = []
    line_numbers: list[str] = []
    add_code = line_codes.append
    add_number = line_numbers.append
    tails = _TAILS
    see_at: list[int] = []
    see_numbers: list[str] = []
    if tree:
        family_of = kids + kids[::-1]
        while stack_codes:
            code = pop_code()
            here = pop_number()
            add_code(code)
            add_number(here)
            below = family_of[code]
            if below is not None:
                push_codes(below)
                try:
                    tail = tails[len(below)]
                except IndexError:
                    tail = _tail(len(below))
                push_numbers(map(here.__add__, tail))
        unreached = n - len(line_codes) - (len(roots) == 1)
    else:
        while stack_codes:
            code = pop_code()
            here = pop_number()
            add_code(code)
            add_number(here)
            k = code if code >= 0 else ~code
            seen = numbers[k]
            if seen is not None:
                see_at.append(len(line_codes) - 1)
                see_numbers.append(seen)
                continue
            numbers[k] = here
            below = kids[k]
            if below is not None:
                push_codes(below)
                try:
                    tail = tails[len(below)]
                except IndexError:
                    tail = _tail(len(below))
                push_numbers(map(here.__add__, tail))
        unreached = numbers.count(None)
    if unreached:
        warnings.append(f"Kialo is a tree under one thesis: {unreached} statements not reachable from it were dropped")
    if linked:
        warnings.append(f"Kialo has no linked premises: {linked} linked inferences split into separate pros")
    loss(warnings, "Kialo", undercuts, "undercuts")
    loss(warnings, "Kialo", len(doc.equivalences), "equivalences")
    loss(warnings, "Kialo", len(doc.authors), "authors")
    loss(warnings, "Kialo", len(doc.sources), "sources")
    loss(warnings, "Kialo", schemes, "inference schemes")
    # Lines go out a few thousand at a time (see `chunks`): number, side, text.
    out = io.BytesIO()
    out.write(f"{HEADER} {title}\n\n1. {head}".encode())
    text_of = texts + texts[::-1]
    side_of = [_PRO] * n + [_CON] * n
    see = dict(zip(see_at, see_numbers, strict=True))
    for part in chunks(len(line_codes)):
        codes = line_codes[part]
        parts = [""] * (3 * len(codes))
        parts[0::3] = line_numbers[part]
        parts[1::3] = map(side_of.__getitem__, codes)
        parts[2::3] = map(text_of.__getitem__, codes)
        if see:
            start = part.start
            for k in range(start, start + len(codes)):
                if k in see:
                    parts[3 * (k - start) + 2] = f"-> See {see[k][1:]}"
        out.write("".join(parts).encode("utf-8"))
    out.write(b"\n")
    return Exported(out.getvalue(), MEDIA_TYPE, EXTENSION, warnings)


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
