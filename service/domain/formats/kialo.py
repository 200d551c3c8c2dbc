"""Kialo text export (`Discussion Title:` then numbered `1.2.1. Pro: ...` lines).

Kialo holds a tree of single claims under one thesis: a pro is a one-premise inference,
a con a conflict. `-> See 1.2.3.` lines reuse a claim elsewhere, which is how a graph
survives the tree format. Linked premises, undercuts, equivalences, authors and sources
do not fit and are reported on export.
"""

import re
from collections.abc import Callable
from typing import Final

from service.domain.formats._util import (
    as_text,
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
# A claim's number spells its whole path ("1.2.1.3."), so a chain n claims deep has
# numbers of n² characters in all: a 20,000-deep chain would need 400 million. Real
# Kialo discussions stay far below this cap, which keeps such a map from eating memory.
MAX_NUMBER_CHARS: Final = 64_000_000
_TOP: Final = "\n1."
_PRO: Final = " Pro: "
_CON: Final = " Con: "


def _tail(count: int) -> tuple[str, ...]:
    """The last pieces of the numbers of `count` children, last child first:
    `("3.", "2.", "1.")` for 3."""
    return tuple([f"{k}." for k in range(count, 0, -1)])


def _one_line(text: str) -> str:
    return " ".join(text.split())


# what layout() returns: the document, the positions of the main claims, and counts of
# statements left out, linked inferences, undercuts and inference schemes
Layout = tuple[bytes, list[int], int, int, int, int]


def _layout_py(
    statements: list[Statement],
    texts: list[str],
    inferences: list[Inference],
    conflicts: list[Conflict],
    title: str,
    undercut: object,
    fallback: Callable[[], list[int]],
    limit: int,
) -> Layout | None:
    """The whole Kialo text of a map, with what export() needs for its warnings.

    `texts` are the statements' texts on one line each; `title` is the map title on one
    line. A pro is hung per premise (a linked inference gives one per premise), a con
    per conflict whose kind is not `undercut`; undercut attackers are used but hung
    nowhere. Main claims are the statements used nowhere; when every statement is used,
    `fallback()` names them. With one main claim it is the thesis, otherwise the title
    is, with every main claim a pro below it. None when the line numbers, "-> See"
    ones included, would hold more than `limit` characters.

    This is the reference for the compiled `_speedups.kialo_layout`: the two give the same
    result for every input, and tests hold them to it."""
    n = len(statements)
    index = dict(zip([s.id for s in statements], range(n), strict=True))
    children = [p for i in inferences for p in i.premises]
    parents = [i.conclusion for i in inferences for _ in i.premises]
    linked = sum(1 for i in inferences if len(i.premises) != 1)
    schemes = sum(1 for i in inferences if i.scheme)
    pros = len(children)
    loose: list[str] = []
    for c in conflicts:
        if c.kind == undercut:
            loose.append(c.attacker)
        else:
            children.append(c.attacker)
            parents.append(c.target)
    child_at = list(map(index.__getitem__, children))
    parent_at = list(map(index.__getitem__, parents))
    loose_at = list(map(index.__getitem__, loose))
    # Children per claim, stored backwards: the walk pushes a whole family on its stack
    # at once, and the first child must end up on top. A pro is coded as its statement
    # number and a con as its bitwise complement (a negative number): lists doubled with
    # their own reversal then give a statement's entry for either code,
    # `doubled[~k] == doubled[k]`, and the side of a line is one lookup by code.
    kids: list[list[int] | None] = [None] * n
    codes = child_at[:pros] + [~k for k in child_at[pros:]]
    for code, parent in zip(reversed(codes), reversed(parent_at), strict=True):
        family = kids[parent]
        if family is None:
            kids[parent] = [code]
        else:
            family.append(code)
    used = set(child_at)
    used.update(loose_at)
    roots = sorted(set(range(n)).difference(used))
    if not roots:
        roots = fallback()
    numbers: list[str | None] = [None] * n
    if len(roots) == 1:
        numbers[roots[0]] = _TOP
        first = kids[roots[0]] or []
        head = texts[roots[0]]
    else:
        first = roots[::-1]
        head = title
    # Depth-first, children in document order, so numbers read like Kialo's own export.
    # A statement met again becomes "-> See <its number>". A number is kept with its
    # line's newline in front ("\n1.2.").
    stack_codes = list(first)
    stack_numbers = list(map(_TOP.__add__, _tail(len(first))))
    family_of = kids + kids[::-1]
    lines: list[str] = [f"{HEADER} {title}\n\n1. {head}"]
    number_chars = 0
    while stack_codes:
        code = stack_codes.pop()
        here = stack_numbers.pop()
        side = _PRO if code >= 0 else _CON
        k = code if code >= 0 else ~code
        seen = numbers[k]
        number_chars += len(here) - 1 + (0 if seen is None else len(seen) - 1)
        if number_chars > limit:
            return None
        if seen is not None:
            lines.append(f"{here}{side}-> See {seen[1:]}")
            continue
        numbers[k] = here
        lines.append(f"{here}{side}{texts[k]}")
        below = family_of[code]
        if below is not None:
            stack_codes.extend(below)
            stack_numbers.extend(map(here.__add__, _tail(len(below))))
    lines.append("\n")
    return "".join(lines).encode("utf-8"), roots, numbers.count(None), linked, len(loose), schemes


# The compiled layout when the install could build it (it needs a C compiler), else the
# reference. `COMPILED` says which.
_layout: Callable[
    [list[Statement], list[str], list[Inference], list[Conflict], str, object, Callable[[], list[int]], int],
    Layout | None,
]
try:
    from service.domain.formats._speedups import kialo_layout as _layout

    COMPILED = True
except ImportError:  # pragma: no cover - depends on the build
    _layout = _layout_py
    COMPILED = False


@gc_paused
def export(doc: MapDocument) -> Exported:
    statements = doc.statements
    # Columns by comprehension: on CPython 3.11 a comprehension's specialised attribute
    # read is about three times cheaper than `map(attrgetter(...))` on msgspec Structs.
    texts = [s.text for s in statements]
    if not flat_texts(texts, ""):
        texts = [" ".join(t.split()) for t in texts]

    def claims() -> list[int]:
        return [k for k, s in enumerate(statements) if s.kind == StatementKind.CLAIM]

    laid_out = _layout(
        statements,
        texts,
        doc.inferences,
        doc.conflicts,
        _one_line(doc.title),
        ConflictKind.UNDERCUT,
        claims,
        MAX_NUMBER_CHARS,
    )
    if laid_out is None:
        raise FormatError(
            "Kialo numbers every claim by its whole path from the thesis, and this map's claims nest so deep "
            f"that the numbers alone would exceed {MAX_NUMBER_CHARS:,} characters; export it as argdown or aif"
        )
    data, roots, unreached, linked, undercuts, schemes = laid_out
    warnings: list[str] = []
    if len(roots) != 1:
        # Kialo has exactly one thesis: several main claims hang under the map title.
        warnings.append(f"Kialo has one thesis: {len(roots)} main claims placed as pros under the map title")
    if unreached:
        left = (
            "1 statement not reachable from it was"
            if unreached == 1
            else f"{unreached} statements not reachable from it were"
        )
        warnings.append(f"Kialo is a tree under one thesis: {left} dropped")
    if linked:
        warnings.append(f"Kialo has no linked premises: {linked} linked inferences split into separate pros")
    loss(warnings, "Kialo", undercuts, "undercuts")
    loss(warnings, "Kialo", len(doc.equivalences), "equivalences")
    loss(warnings, "Kialo", len(doc.authors), "authors")
    loss(warnings, "Kialo", len(doc.sources), "sources")
    loss(warnings, "Kialo", schemes, "inference schemes")
    return Exported(data, MEDIA_TYPE, EXTENSION, warnings)


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
