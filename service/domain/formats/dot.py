"""Graphviz DOT export.

Statements are boxes (claims bold), inferences small diamonds (so linked premises meet
in one point); support edges are green and solid, attacks red and dashed with a flat
`tee` head, undercuts red, dotted and bold into the inference, equivalences grey
double-headed.
"""

import re
import textwrap
from operator import attrgetter
from typing import Final

from service.domain.formats._util import count_truthy, gc_paused, loss
from service.domain.formats.base import Exported
from service.domain.graph import ConflictKind, MapDocument, StatementKind

MEDIA_TYPE: Final = "text/vnd.graphviz"
EXTENSION: Final = "dot"
WRAP: Final = 40


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
        f"shape=box, style={_BOLD if kind == StatementKind.CLAIM else _PLAIN}, "
        f"fillcolor={quote('#fde0dd' if kind == StatementKind.REBUTTAL else '#f7f7f7')}"
    )
    for kind in StatementKind
}
_SUPPORT_IN: Final = '[color="#1a9850", arrowhead=none, class="support"];'
_SUPPORT_OUT: Final = '[color="#1a9850", style=solid, class="support"];'
_UNDERCUT: Final = '[color="#d73027", style="dotted,bold", arrowhead=tee, class="undercut"];'


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    lines = [
        f"digraph {quote(doc.slug or 'argmap')} {{",
        f"  label={quote(doc.title)};",
        "  rankdir=BT;",
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    statements = doc.statements
    labels = _labels([s.text if not s.title else f"{s.title}\n{s.text}" for s in statements])
    style = _STATEMENT_STYLE
    tips: dict[str | None, str] = {}
    undercut = ConflictKind.UNDERCUT
    add = lines.append
    if _ids_need_no_escaping(doc):
        # valid element ids never need escaping, so they are quoted inline
        lines += [f'  "{s.id}" [{style[s.kind]}, label={label}];' for s, label in zip(statements, labels, strict=True)]
        for i in doc.inferences:
            iid = i.id
            tip = tips.get(i.scheme)
            if tip is None:
                tip = tips[i.scheme] = quote(i.scheme or "inference")
            premises = i.premises
            if len(premises) == 1:
                add(
                    f'  "{iid}" [shape=diamond, width=0.15, height=0.15, label="", tooltip={tip}];\n'
                    f'  "{premises[0]}" -> "{iid}" {_SUPPORT_IN}\n'
                    f'  "{iid}" -> "{i.conclusion}" {_SUPPORT_OUT}'
                )
                continue
            add(f'  "{iid}" [shape=diamond, width=0.15, height=0.15, label="", tooltip={tip}];')
            for p in premises:
                add(f'  "{p}" -> "{iid}" {_SUPPORT_IN}')
            add(f'  "{iid}" -> "{i.conclusion}" {_SUPPORT_OUT}')
        for c in doc.conflicts:
            if c.kind == undercut:
                add(f'  "{c.attacker}" -> "{c.target}" {_UNDERCUT}')
            else:
                add(f'  "{c.attacker}" -> "{c.target}" {_ATTACK[c.kind]}')
    else:
        lines += [
            f"  {quote(s.id)} [{style[s.kind]}, label={label}];" for s, label in zip(statements, labels, strict=True)
        ]
        for i in doc.inferences:
            iid = quote(i.id)
            tip = quote(i.scheme or "inference")
            add(f'  {iid} [shape=diamond, width=0.15, height=0.15, label="", tooltip={tip}];')
            for p in i.premises:
                add(f"  {quote(p)} -> {iid} {_SUPPORT_IN}")
            add(f"  {iid} -> {quote(i.conclusion)} {_SUPPORT_OUT}")
        for c in doc.conflicts:
            attrs = _UNDERCUT if c.kind == undercut else _ATTACK[c.kind]
            add(f"  {quote(c.attacker)} -> {quote(c.target)} {attrs}")
    del labels
    cross = 0
    for e in doc.equivalences:
        if e.second_map is not None:
            cross += 1
            continue
        lines.append(f'  {quote(e.first)} -> {quote(e.second)} [color="#888888", dir=both, class="equivalence"];')
    lines.append("}\n")
    loss(warnings, "DOT", cross, "equivalences with a statement of another map")
    loss(warnings, "DOT", count_truthy(doc.statements, "locator"), "source locators")
    loss(warnings, "DOT", count_truthy(doc.statements, "author"), "statement authors")
    return Exported("\n".join(lines).encode("utf-8"), MEDIA_TYPE, EXTENSION, warnings)


_ATTACK: Final = {
    kind: f'[color="#d73027", style=dashed, arrowhead=tee, class="attack", tooltip={quote(kind.value)}];'
    for kind in ConflictKind
}


def _ids_need_no_escaping(doc: MapDocument) -> bool:
    """True when no element id (nor reference) holds a character `quote` would change."""
    parts = [
        *map(_get_id, doc.statements),
        *map(_get_id, doc.inferences),
        *map(_get_conclusion, doc.inferences),
        *map(_get_attacker, doc.conflicts),
        *map(_get_target, doc.conflicts),
    ]
    parts += [p for i in doc.inferences for p in i.premises]
    return _UNSAFE.search("".join(parts)) is None


_get_id = attrgetter("id")
_get_conclusion = attrgetter("conclusion")
_get_attacker = attrgetter("attacker")
_get_target = attrgetter("target")
