"""Graphviz DOT export.

Statements are boxes (claims bold), inferences small diamonds (so linked premises meet
in one point); support edges are green and solid, attacks red and dashed with a flat
`tee` head, undercuts red, dotted and bold into the inference, equivalences grey
double-headed.

Statements, inferences with their support edges, and conflicts each sit in an anonymous
subgraph whose `node`/`edge` defaults carry the attributes they share, so that a row
holds only what differs and a 100,000-statement map stays a few MB.
"""

import io
import re
import textwrap
from collections.abc import Callable, Iterable
from typing import Final

from service.domain.formats._util import Forbidden, chunks, free_of, gc_paused, inference_refs, loss, split_equivalences
from service.domain.formats.base import Exported
from service.domain.graph import Conflict, ConflictKind, Inference, MapDocument, Statement, StatementKind

MEDIA_TYPE: Final = "text/vnd.graphviz"
EXTENSION: Final = "dot"
WRAP: Final = 40  # also written out in `_statement_rows`


_UNSAFE: Final = re.compile(r'["\\\x00-\x1f]')
# Texts textwrap would treat specially: hyphens (it breaks after them), any whitespace
# but a single plain space, and characters `quote` escapes or drops.
_NOT_PLAIN_OR_NEWLINE: Final = re.compile(
    r'[-"\\\x00-\x09\x0b-\x1f\x7f-\x9f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]'
)
_NOT_PLAIN: Final = re.compile(r'[-"\\\x00-\x1f\x7f-\x9f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]')


def quote(s: str) -> str:
    """A DOT double-quoted string; newlines become centred line breaks."""
    if _UNSAFE.search(s) is None:
        return f'"{s}"'
    s = "".join(ch for ch in s if ch >= " " or ch == "\n")
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _label(text: str) -> str:
    return "\n".join(textwrap.wrap(text, WRAP) or [text])


def _quoted_label(text: str) -> str:
    """`quote(_label(text))`, with the greedy wrap done by `rfind` for plain texts."""
    if not text or text[0] == " " or text[-1] == " " or "  " in text or _NOT_PLAIN.search(text) is not None:
        return quote(_label(text))
    return _wrap_plain(text)


def _wrap_plain(text: str) -> str:
    """`quote(_label(text))` for a plain text: words separated by single spaces, no hyphen,
    nothing `quote` changes. textwrap's greedy fill then puts on each line the longest run
    of whole words that fits, which ends at the last space at or before the width."""
    if len(text) <= WRAP:
        return f'"{text}"'
    lines: list[str] = []
    rest = text
    while len(rest) > WRAP:
        cut = rest.rfind(" ", 0, WRAP + 1)
        if cut <= 0:
            return quote(_label(text))  # a word longer than the width
        lines.append(rest[:cut])
        rest = rest[cut + 1 :]
    lines.append(rest)
    return '"' + "\\n".join(lines) + '"'


def _labels(sources: list[str]) -> list[str]:
    """Quoted, wrapped labels; one scan of all texts decides whether every one of them is
    plain (the usual case), so that each is then only cut at spaces."""
    joined = "\n".join(sources)
    plain = (
        joined.count("\n") == len(sources) - 1
        and "" not in sources
        and not joined.startswith(" ")
        and not joined.endswith(" ")
        and "  " not in joined
        and " \n" not in joined
        and "\n " not in joined
        and _NOT_PLAIN_OR_NEWLINE.search(joined) is None
    )
    del joined
    return list(map(_wrap_plain if plain else _quoted_label, sources))


_BOLD: Final = '"rounded,filled,bold"'
_PLAIN: Final = '"rounded,filled"'
_STATEMENT_STYLE: Final = {
    kind: (
        f"style={_BOLD if kind == StatementKind.CLAIM else _PLAIN}, "
        f"fillcolor={quote('#fde0dd' if kind == StatementKind.REBUTTAL else '#f7f7f7')}"
    )
    for kind in StatementKind
}
# per kind of the block's default: what a statement of each kind adds to its row
_STATEMENT_OVERRIDES: Final = {
    default: {
        kind: "" if style == _STATEMENT_STYLE[default] else f"{style}, " for kind, style in _STATEMENT_STYLE.items()
    }
    for default in StatementKind
}
_INFERENCE_DEFAULTS: Final = (
    '    node [shape=diamond, width=0.15, height=0.15, label="", tooltip="inference"];\n'
    '    edge [color="#1a9850", class="support"];\n'
)
_CONFLICT_DEFAULTS: Final = '    edge [color="#d73027", arrowhead=tee];\n'
_CONFLICT_ATTRS: Final = {
    kind: '[style="dotted,bold", class="undercut"];'
    if kind == ConflictKind.UNDERCUT
    else f'[style=dashed, class="attack", tooltip={quote(kind.value)}];'
    for kind in ConflictKind
}
# what `quote` would change; valid element ids hold none of it, so they go out as they are
_UNSAFE_ID: Final = Forbidden("".join(map(chr, range(32))) + '"\\', r'["\\\x00-\x1f]')
# what keeps a text from being plain in `_wrap_plain`'s sense; whitespace other than a
# single space is found by `_plain`
_NOT_PLAIN_CHARS: Final = Forbidden(
    "".join(map(chr, range(32))) + '\x7f-"\\',
    r'[-"\\\x00-\x1f\x7f-\x9f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]',
)
_DOUBLE_SPACE: Final = re.compile("  ")
# Rows are checked by what is left of them once all but quotes, backslashes and control
# characters are dropped: an edge row (two ids, their attributes) leaves eight quotes.
_NOT_SHAPE: Final = bytes(b for b in range(256) if not (b < 0x20 or b in b'"\\'))
_EDGE_ROW: Final = b'""""""""\n'


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    # The document is written a few thousand rows at a time (see `_util.chunks`): one
    # f-string per element, with the common case inline and anything rarer (a title,
    # linked premises, a scheme, a label that is not plain or needs three lines) in a
    # helper, and ids written as they are in a chunk whose ids and references need no
    # escaping (valid element ids never do).
    out = io.BytesIO()
    write = out.write
    write(
        (
            f"digraph {quote(doc.slug or 'argmap')} {{\n"
            f"  label={quote(doc.title)};\n"
            "  rankdir=BT;\n"
            '  node [fontname="Helvetica", fontsize=10];\n'
            '  edge [fontname="Helvetica", fontsize=9];\n'
        ).encode()
    )
    statements = doc.statements
    located = authored = 0
    # A locator names a source of the map and an author an author of the map (validation
    # sees to both), so a map without sources or authors needs no scan for the warnings.
    sourced, attributed = bool(doc.sources), bool(doc.authors)
    if statements:
        default = statements[0].kind
        write(f"  {{\n    node [shape=box, {_STATEMENT_STYLE[default]}];\n".encode())
        for part in chunks(len(statements)):
            chunk = statements[part]
            write(_statement_rows(chunk, default).encode("utf-8"))
            if sourced:
                located += len(chunk) - [x.locator for x in chunk].count(None)
            if attributed:
                authored += sum(map(bool, [x.author for x in chunk]))
        write(b"  }\n")
    inferences = doc.inferences
    if inferences:
        write(b"  {\n" + _INFERENCE_DEFAULTS.encode())
        for part in chunks(len(inferences)):
            write(_inference_rows(inferences[part]))
        write(b"  }\n")
    conflicts = doc.conflicts
    if conflicts:
        write(b"  {\n" + _CONFLICT_DEFAULTS.encode())
        for part in chunks(len(conflicts)):
            write(_conflict_rows(conflicts[part]))
        write(b"  }\n")
    local, cross = split_equivalences(doc)
    for e in local:
        write(f'  {quote(e.first)} -> {quote(e.second)} [color="#888888", dir=both, class="equivalence"];\n'.encode())
    write(b"}\n")
    loss(warnings, "DOT", cross, "equivalences with a statement of another map")
    loss(warnings, "DOT", located, "source locators")
    loss(warnings, "DOT", authored, "statement authors")
    return Exported(out.getvalue(), MEDIA_TYPE, EXTENSION, warnings)


def _statement_rows(chunk: list[Statement], default: StatementKind) -> str:
    overrides = _STATEMENT_OVERRIDES[default]
    if (
        not free_of([x.id for x in chunk], _UNSAFE_ID)
        or any([x.title for x in chunk])
        or not _plain([x.text for x in chunk])
    ):
        return "".join([_statement_row(s, overrides) for s in chunk])
    # A plain text of two lines (longer than WRAP = 40, and no longer than the last space
    # within the first 41 characters plus 41) is cut at that space; the width is written
    # out, as a literal is read faster than a name in a loop this hot.
    if [x.kind for x in chunk].count(default) == len(chunk):
        return "".join(
            [
                f'    "{s.id}" [label="{t[:cut]}\\n{t[cut + 1 :]}"];\n'
                if 40 < len(t := s.text) <= (cut := t.rfind(" ", 0, 41)) + 41 and cut > 0
                else f'    "{s.id}" [label="{t}"];\n'
                if len(t) <= 40
                else f'    "{s.id}" [label={_wrap_plain(t)}];\n'
                for s in chunk
            ]
        )
    return "".join(
        [
            f'    "{s.id}" [{overrides[s.kind]}label="{t[:cut]}\\n{t[cut + 1 :]}"];\n'
            if 40 < len(t := s.text) <= (cut := t.rfind(" ", 0, 41)) + 41 and cut > 0
            else f'    "{s.id}" [{overrides[s.kind]}label="{t}"];\n'
            if len(t) <= 40
            else f'    "{s.id}" [{overrides[s.kind]}label={_wrap_plain(t)}];\n'
            for s in chunk
        ]
    )


def _statement_row(s: Statement, overrides: dict[StatementKind, str]) -> str:
    label = _quoted_label(s.text if not s.title else f"{s.title}\n{s.text}")
    return f"    {quote(s.id)} [{overrides[s.kind]}label={label}];\n"


def _plain(texts: Iterable[str]) -> bool:
    """True when every text is plain in `_wrap_plain`'s sense. Joined by single spaces, an
    empty text or one that starts or ends with a space shows up as a double space or a
    space at either end."""
    joined = " ".join(texts)
    if joined.startswith(" ") or joined.endswith(" ") or _DOUBLE_SPACE.search(joined) is not None:
        return False
    return free_of((joined,), _NOT_PLAIN_CHARS)


def _inference_rows(chunk: list[Inference]) -> bytes:
    rows = "".join(
        [
            f'    "{ps[0]}" -> "{i.id}" [arrowhead=none]; "{i.id}" -> "{i.conclusion}";\n'
            if len(ps := i.premises) == 1 and not i.scheme
            else _inference_row(i, _plain_quote)
            for i in chunk
        ]
    ).encode("utf-8")
    # rows of the common shape are checked as a whole; linked premises or a scheme
    # change the shape, and then the ids are looked at on their own
    if _shaped(rows, _EDGE_ROW, len(chunk)) or free_of(
        inference_refs(chunk),
        _UNSAFE_ID,
    ):
        return rows
    return "".join([_inference_row(i, quote) for i in chunk]).encode("utf-8")


def _shaped(rows: bytes, row: bytes, count: int) -> bool:
    """True when `count` rows written with ids as they are hold, of the characters that
    matter to DOT, exactly those of their template: no id needed escaping."""
    return rows.translate(None, _NOT_SHAPE) == row * count


def _inference_row(i: Inference, q: Callable[[str], str]) -> str:
    """The premise edges, the conclusion edge and any scheme of one inference, with ids
    quoted by `q`."""
    iid = q(i.id)
    edges = "".join([f"{q(p)} -> {iid} [arrowhead=none]; " for p in i.premises])
    scheme = f" {iid} [tooltip={quote(i.scheme)}];" if i.scheme else ""
    return f"    {edges}{iid} -> {q(i.conclusion)};{scheme}\n"


def _plain_quote(s: str) -> str:
    return f'"{s}"'


def _conflict_rows(chunk: list[Conflict]) -> bytes:
    attrs = _CONFLICT_ATTRS
    rows = "".join([f'    "{c.attacker}" -> "{c.target}" {attrs[c.kind]}\n' for c in chunk]).encode("utf-8")
    if _shaped(rows, _EDGE_ROW, len(chunk)):  # every entry of _CONFLICT_ATTRS holds four '"'
        return rows
    return "".join([f"    {quote(c.attacker)} -> {quote(c.target)} {attrs[c.kind]}\n" for c in chunk]).encode("utf-8")
