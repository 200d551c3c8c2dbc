"""The fast paths of the codecs agree with the general code they shortcut.

Each shortcut (bulk scans over all texts, textwrap replaced by `rfind`, ids quoted by
hand, the paused collector) is checked against an independent reference: the standard
library's own behaviour or the same element exported without the shortcut.
"""

import gc
import textwrap

from graph_strategies import maps
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.formats import argdown, dot, graphml, kialo, mermaid, native
from service.domain.formats._util import ID_RE, OTHER_WHITESPACE, all_valid_ids, flat_texts, gc_paused
from service.domain.graph import ConflictKind, GraphIndex, MapDocument, Statement

_ALPHABET = st.sampled_from([*"abcXYZ019 -", "  ", "\t", "\n", "\u00a0", "\u2003", '"', "\\", "#", "<", "&", "\x01"])
_TEXTS = st.lists(_ALPHABET, min_size=0, max_size=120).map("".join)
_WORDY = st.lists(st.sampled_from(["a", "bb", "word", "longer", "x" * 45, "well-known", "ü"]), max_size=30).map(
    " ".join
)


def test_other_whitespace_is_every_whitespace_but_space_and_newline() -> None:
    expected = "".join(c for c in map(chr, range(0x110000)) if c.isspace() and c not in " \n")
    assert expected == OTHER_WHITESPACE


@settings(max_examples=300, deadline=None)
@given(st.one_of(_TEXTS, _WORDY))
def test_dot_labels_match_textwrap(text: str) -> None:
    reference = dot.quote("\n".join(textwrap.wrap(text, dot.WRAP) or [text]))
    assert dot._quoted_label(text) == reference
    assert dot._labels([text, "plain words only"]) == [reference, '"plain words only"']


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_TEXTS, _WORDY), max_size=5))
def test_flat_texts_is_sound(texts: list[str]) -> None:
    if flat_texts(texts, "#<"):
        for t in texts:
            assert " ".join(t.split()) == t
            assert "#" not in t and "<" not in t


def test_flat_texts_accepts_clean_texts() -> None:
    assert flat_texts(["One clean text.", "Another, with commas."], "#")
    assert not flat_texts(["One clean text.", "two  spaces"], "#")
    assert not flat_texts(["a\nb"], "#")
    assert not flat_texts(["tag #x"], "#")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab9_-:~. \n/", max_size=12), max_size=6))
def test_all_valid_ids_is_sound(raws: list[str]) -> None:
    if all_valid_ids(raws):
        assert all(ID_RE.match(r) for r in raws)


def test_all_valid_ids_accepts_valid_ids() -> None:
    assert all_valid_ids(["s1", "rust-1", "a.b:c~d_e", "x" * 128])
    assert not all_valid_ids(["s1", "x" * 129])
    assert not all_valid_ids(["s1", "has space"])


def test_gc_paused_restores_the_collector() -> None:
    seen: list[bool] = []

    @gc_paused
    def probe() -> None:
        seen.append(gc.isenabled())

    assert gc.isenabled()
    probe()
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        probe()
        assert not gc.isenabled()  # a caller's own pause is left alone
    finally:
        gc.enable()


def _lines_for(fmt_export: object, doc: MapDocument, needle: str) -> list[str]:
    data: bytes = fmt_export(doc).data  # type: ignore[operator]
    return [line for line in data.decode().splitlines() if needle in line]


def test_one_hostile_text_does_not_change_how_clean_ones_are_written() -> None:
    clean = Statement(id="clean", text="A perfectly ordinary statement that needs wrapping somewhere.")
    hostile = Statement(id="hostile", text='Quotes " and <tags> & #hash\t{x}  [y] / z-z')
    alone = MapDocument(title="t", statements=[clean])
    mixed = MapDocument(title="t", statements=[clean, hostile])
    for export in (argdown.export, dot.export, graphml.export, mermaid.export):
        lines = _lines_for(export, alone, "A perfectly")
        assert lines, export  # the comparison must look at the clean statement's line
        assert lines == _lines_for(export, mixed, "A perfectly")
    # and the hostile one is escaped as each format requires
    assert '\\"' in dot.export(mixed).data.decode()
    assert "&lt;tags&gt; &amp;" in graphml.export(mixed).data.decode()
    assert "#quot;" in mermaid.export(mixed).data.decode()
    assert "\\#hash" in argdown.export(mixed).data.decode()


@settings(max_examples=120, deadline=None)
@given(maps(max_statements=15))
def test_argdown_import_shortcuts_match_the_general_path(doc: MapDocument) -> None:
    """Our own export is exactly the shape the import shortcuts serve (five-line
    arguments, a source without data, tags, escapes or comments). A trailing space on
    every line and a final comment holding those characters change nothing in meaning
    but switch every shortcut off, so both readings must give the same map."""
    text = argdown.export(doc).data.decode()
    general = "\n".join(line + " " if line else line for line in text.split("\n")) + "\n\n// # { \\\n"
    fast = argdown.import_(text)
    slow = argdown.import_(general)
    assert native.encode(fast.document) == native.encode(slow.document)
    assert fast.warnings == slow.warnings


def _kialo_reference(doc: MapDocument) -> str:
    """Kialo numbering written the obvious recursive way, over GraphIndex."""
    index = GraphIndex(doc)
    number: dict[str, str] = {}

    def one_line(text: str) -> str:
        return " ".join(text.split())

    def children(sid: str) -> list[tuple[str, str]]:
        pros = [("Pro", p) for inf in index.supports_of.get(sid, []) for p in inf.premises]
        cons = [("Con", c.attacker) for c in index.attacks_on.get(sid, []) if c.kind != ConflictKind.UNDERCUT]
        return pros + cons

    lines = [f"Discussion Title: {one_line(doc.title)}", ""]

    def visit(num: str, side: str, sid: str) -> None:
        if sid in number:
            lines.append(f"{num}. {side}: -> See {number[sid]}.")
            return
        number[sid] = num
        lines.append(f"{num}. {side}: {one_line(index.statements[sid].text)}")
        for k, (kid_side, kid) in enumerate(children(sid), 1):
            visit(f"{num}.{k}", kid_side, kid)

    roots = index.roots()
    if len(roots) == 1:
        lines.append(f"1. {one_line(roots[0].text)}")
        number[roots[0].id] = "1"
        for k, (side, kid) in enumerate(children(roots[0].id), 1):
            visit(f"1.{k}", side, kid)
    else:
        lines.append(f"1. {one_line(doc.title)}")
        for k, root in enumerate(roots, 1):
            visit(f"1.{k}", "Pro", root.id)
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(maps(max_statements=15))
def test_kialo_export_numbers_the_tree_like_a_plain_recursive_walk(doc: MapDocument) -> None:
    assert kialo.export(doc).data.decode() == _kialo_reference(doc)
