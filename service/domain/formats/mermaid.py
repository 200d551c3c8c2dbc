"""Mermaid flowchart export, for pasting a map into Markdown (GitHub, GitLab, wikis).

Mermaid node ids are restricted: an element whose id is made of ASCII letters, digits
and underscores only becomes node `n_<id>` (stable across exports, no lookup needed);
when any id holds another character, elements are numbered `n0, n1, ...` instead.
Labels are escaped with Mermaid's `#quot;` entities. Sources, locators and authors are
not drawn. Each inference node comes right before its own edges.
"""

import io
from collections.abc import Callable
from typing import Final

from service.domain.formats._util import (
    Forbidden,
    chunks,
    flat_texts,
    free_of,
    gc_paused,
    inference_refs,
    loss,
    split_equivalences,
)
from service.domain.formats.base import Exported
from service.domain.graph import Conflict, ConflictKind, Inference, MapDocument, Statement

MEDIA_TYPE: Final = "text/vnd.mermaid"
EXTENSION: Final = "mmd"
MAX_LABEL: Final = 200
_ESCAPES: Final = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "`": "#96;"}
_NAME_CHARS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
_NOT_NAME: Final = Forbidden("".join(c for c in map(chr, range(128)) if c not in _NAME_CHARS), "[^A-Za-z0-9_]")
# Rows naming nodes after ids are checked by what is left of them once every letter,
# digit and underscore is dropped: exactly what their template leaves, when every id
# they name is a plain name (any other character of an id would be left over too).
_NAME_BYTES: Final = _NAME_CHARS.encode()


def label(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_LABEL:
        text = text[: MAX_LABEL - 1] + "…"
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


class _Numbered(Exception):
    """An id is no plain name after all: the map is written with numbered nodes."""


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    try:
        data, cross, located = _write(doc, None)
    except _Numbered:
        statements, inferences = doc.statements, doc.inferences
        # a later element with the same id wins, as it always did
        number = dict(zip([x.id for x in statements], range(len(statements)), strict=True))
        number.update(
            zip([x.id for x in inferences], range(len(statements), len(statements) + len(inferences)), strict=True)
        )
        data, cross, located = _write(doc, {key: f"n{value}" for key, value in number.items()})
    loss(warnings, "Mermaid", len(doc.sources), "sources")
    loss(warnings, "Mermaid", located, "source locators")
    loss(warnings, "Mermaid", len(doc.authors), "authors")
    loss(warnings, "Mermaid", cross, "equivalences with a statement of another map")
    return Exported(data, MEDIA_TYPE, EXTENSION, warnings)


def _write(doc: MapDocument, names: dict[str, str] | None) -> tuple[bytes, int, int]:
    """The document, how many equivalences point into another map and how many
    statements have a locator, with nodes named after ids (`names` None) or by `names`;
    raises `_Numbered` when an id turns out not to be a plain name."""
    statements = doc.statements
    inferences = doc.inferences
    # Written a few thousand rows at a time (see `_util.chunks`), one f-string per
    # element, with the common case inline.
    out = io.BytesIO()
    write = out.write
    write(f"flowchart BT\n  %% {label(doc.title)}\n".encode())
    located = 0
    # a locator names a source of the map (validation sees to it): no sources, no scan
    sourced = bool(doc.sources)
    for part in chunks(len(statements)):
        some = statements[part]
        write(_statement_rows(some, part.start, names).encode("utf-8"))
        if sourced:
            located += len(some) - [x.locator for x in some].count(None)
    classed: list[str] = []  # the inference nodes, for the closing `class` line
    for part in chunks(len(inferences)):
        chunk = inferences[part]
        write(_inference_rows(chunk, len(statements) + part.start, names))
        if names is None:  # every inference id was checked with its row
            classed.append("n_" + ",n_".join([x.id for x in chunk]))
    for part in chunks(len(doc.conflicts)):
        write(_conflict_rows(doc.conflicts[part], names))
    name = _name_of(names)
    local, cross = split_equivalences(doc)
    for e in local:
        write(f"  {name(e.first)} <-->|same as| {name(e.second)}\n".encode())
    write(b"  classDef inference fill:#eee,stroke:#999\n")
    if inferences:
        if names is not None:
            classed = ["n" + ",n".join(map(str, range(len(statements), len(statements) + len(inferences))))]
        write(f"  class {','.join(classed)} inference\n".encode())
    return out.getvalue(), cross, located


def _name_of(names: dict[str, str] | None) -> Callable[[str], str]:
    if names is not None:
        return names.__getitem__

    def plain(element_id: str) -> str:
        if not free_of((element_id,), _NOT_NAME):
            raise _Numbered
        return f"n_{element_id}"

    return plain


def _statement_rows(chunk: list[Statement], start: int, names: dict[str, str] | None) -> str:
    texts = [x.text for x in chunk]
    # a text that is already one clean line without characters to escape is its label
    if not flat_texts(texts, '"<>#`') or max(map(len, texts)) > MAX_LABEL:
        texts = list(map(label, texts))
    if names is not None:
        return "".join([f'  n{k}["{t}"]\n' for k, t in enumerate(texts, start)])
    if not free_of([x.id for x in chunk], _NOT_NAME):
        raise _Numbered
    return "".join([f'  n_{s.id}["{t}"]\n' for s, t in zip(chunk, texts, strict=True)])


def _inference_rows(chunk: list[Inference], start: int, names: dict[str, str] | None) -> bytes:
    if names is not None:
        return "".join([_inference_row(i, names.__getitem__, f"n{k}") for k, i in enumerate(chunk, start)]).encode()
    rows = "".join(
        [
            f"  n_{i.id}(( ))\n  n_{ps[0]} --- n_{i.id}\n  n_{i.id} -->|supports| n_{i.conclusion}\n"
            if len(ps := i.premises) == 1 and not i.scheme
            else _inference_row(i, _plain_name, f"n_{i.id}")
            for i in chunk
        ]
    ).encode("utf-8")
    # rows of the common shape are checked as a whole; linked premises or a scheme
    # change the shape, and then the ids are looked at on their own
    if rows.translate(None, _NAME_BYTES) == _INFERENCE_SHAPE * len(chunk) or free_of(
        inference_refs(chunk),
        _NOT_NAME,
    ):
        return rows
    raise _Numbered


def _inference_row(i: Inference, name: Callable[[str], str], node: str) -> str:
    shape = f'{{"{label(i.scheme)}"}}' if i.scheme else "(( ))"
    premises = "".join([f"  {name(p)} --- {node}\n" for p in i.premises])
    return f"  {node}{shape}\n{premises}  {node} -->|supports| {name(i.conclusion)}\n"


def _plain_name(element_id: str) -> str:
    return f"n_{element_id}"


def _conflict_rows(chunk: list[Conflict], names: dict[str, str] | None) -> bytes:
    undercut = ConflictKind.UNDERCUT
    if names is not None:
        return "".join(
            [
                f"  {names[c.attacker]} --x|attacks| {names[c.target]}\n"
                if c.kind != undercut
                else f"  {names[c.attacker]} -.->|undercuts| {names[c.target]}\n"
                for c in chunk
            ]
        ).encode()
    rows = "".join(
        [
            f"  n_{c.attacker} --x|attacks| n_{c.target}\n"
            if c.kind != undercut
            else f"  n_{c.attacker} -.->|undercuts| n_{c.target}\n"
            for c in chunk
        ]
    ).encode("utf-8")
    undercuts = [x.kind for x in chunk].count(undercut)
    if len(rows.translate(None, _NAME_BYTES)) != (len(chunk) - undercuts) * _ATTACK_SHAPE + undercuts * _UNDERCUT_SHAPE:
        raise _Numbered
    return rows


_INFERENCE_SHAPE: Final = (
    _inference_row(Inference(id="i", premises=["p"], conclusion="c"), _plain_name, "n_i")
    .encode()
    .translate(None, _NAME_BYTES)
)
_ATTACK_SHAPE: Final = len(b"  n_a --x|attacks| n_t\n".translate(None, _NAME_BYTES))
_UNDERCUT_SHAPE: Final = len(b"  n_a -.->|undercuts| n_t\n".translate(None, _NAME_BYTES))
