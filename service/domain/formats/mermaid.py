"""Mermaid flowchart export, for pasting a map into Markdown (GitHub, GitLab, wikis).

Mermaid node ids are restricted, so elements are numbered `n0, n1, ...`; labels are
escaped with Mermaid's `#quot;` entities. Sources, locators and authors are not drawn.
"""

from operator import attrgetter
from typing import Final

from service.domain.formats._util import count_truthy, gc_paused, loss, plain_texts
from service.domain.formats.base import Exported
from service.domain.graph import ConflictKind, MapDocument

MEDIA_TYPE: Final = "text/vnd.mermaid"
EXTENSION: Final = "mmd"
MAX_LABEL: Final = 200
_ESCAPES: Final = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "`": "#96;"}


def label(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_LABEL:
        text = text[: MAX_LABEL - 1] + "…"
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


@gc_paused
def export(doc: MapDocument) -> Exported:
    warnings: list[str] = []
    nid: dict[str, str] = {}
    lines = ["flowchart BT", f"  %% {label(doc.title)}"]
    statements = doc.statements
    inferences = doc.inferences
    texts = [s.text for s in statements]
    # texts that are already one clean line without characters to escape are their label
    if not plain_texts(texts, '"<>#`') or max(map(len, texts), default=0) > MAX_LABEL:
        texts = list(map(label, texts))
    names = [f"n{k}" for k in range(len(statements) + len(inferences))]
    nid.update(zip(map(_get_id, statements), names, strict=False))
    nid.update(zip(map(_get_id, inferences), names[len(statements) :], strict=True))
    lines += [f'  {n}["{t}"]' for n, t in zip(names, texts, strict=False)]
    del texts
    for i, n in zip(inferences, names[len(statements) :], strict=True):
        lines.append(f'  {n}{{"{label(i.scheme or "")}"}}' if i.scheme else f"  {n}(( ))")
    for i, n in zip(inferences, names[len(statements) :], strict=True):
        premises = i.premises
        if len(premises) == 1:
            lines.append(f"  {nid[premises[0]]} --- {n}\n  {n} -->|supports| {nid[i.conclusion]}")
            continue
        for p in premises:
            lines.append(f"  {nid[p]} --- {n}")
        lines.append(f"  {n} -->|supports| {nid[i.conclusion]}")
    undercut = ConflictKind.UNDERCUT
    for c in doc.conflicts:
        if c.kind == undercut:
            lines.append(f"  {nid[c.attacker]} -.->|undercuts| {nid[c.target]}")
        else:
            lines.append(f"  {nid[c.attacker]} --x|attacks| {nid[c.target]}")
    cross = 0
    for e in doc.equivalences:
        if e.second_map is not None:
            cross += 1
            continue
        lines.append(f"  {nid[e.first]} <-->|same as| {nid[e.second]}")
    lines.append("  classDef inference fill:#eee,stroke:#999")
    if doc.inferences:
        lines.append("  class " + ",".join(names[len(statements) :]) + " inference")
    loss(warnings, "Mermaid", len(doc.sources), "sources")
    loss(warnings, "Mermaid", count_truthy(statements, "locator"), "source locators")
    loss(warnings, "Mermaid", len(doc.authors), "authors")
    loss(warnings, "Mermaid", cross, "equivalences with a statement of another map")
    return Exported(("\n".join(lines) + "\n").encode("utf-8"), MEDIA_TYPE, EXTENSION, warnings)


_get_id = attrgetter("id")
