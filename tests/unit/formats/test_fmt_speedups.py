"""The compiled hot paths (`_speedups.c`) give exactly what their Python references
give, for maps and for raw inputs no map would produce: `kialo_layout` against
`kialo._layout_py`, `ref_codes` against `_util._ref_codes_py`.

The install builds the C module when a compiler is present. Without one these tests
skip with the reason (and fail under CI=true, where the build must succeed)."""

import gc
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from graph_strategies import maps
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.formats import _util, aif, kialo
from service.domain.formats.base import FormatError
from service.domain.graph import Conflict, ConflictKind, Inference, MapDocument, Statement

try:
    from service.domain.formats import _speedups
except ImportError:  # no C compiler at install time
    _speedups = None  # type: ignore[assignment]

needs_compiled = pytest.mark.skipif(
    _speedups is None, reason="service/domain/formats/_speedups.c was not built (no C compiler at install time)"
)

# ids that share hashes' low bits and lengths, non-ASCII and astral texts, and reused ids
_IDS = st.sampled_from(["s0", "s1", "s2", "s3", "s10", "é", "\U0001f600", "x" * 40, "", "S0"])
_TEXTS = st.text(alphabet=st.sampled_from([*"ab .", "é", "\u2003", "\U0001f600", "-"]), max_size=8)


def _claims(positions: list[int]) -> Callable[[], list[int]]:
    def fallback() -> list[int]:
        return list(positions)

    return fallback


@needs_compiled
def test_the_export_uses_the_compiled_layout_when_it_was_built() -> None:
    assert kialo.COMPILED
    assert kialo._layout is _speedups.kialo_layout


def _raw_map(data: st.DataObject) -> tuple[list[Statement], list[Inference], list[Conflict]]:
    """Statements, inferences and conflicts that no validated map would hold: repeated
    ids, self-loops, cycles, ends that are any id at all, kinds as plain strings."""
    ids = data.draw(st.lists(_IDS, min_size=0, max_size=9))
    statements = [Statement(id=i, text="t") for i in ids]
    known = st.sampled_from(ids) if ids else st.nothing()
    inferences = [
        Inference(id=f"i{k}", premises=data.draw(st.lists(known, min_size=0, max_size=3)), conclusion=data.draw(known))
        for k in range(data.draw(st.integers(min_value=0, max_value=8)) if ids else 0)
    ]
    kinds = st.sampled_from([*ConflictKind, "undercut", "rebut"])
    conflicts = [
        Conflict(id=f"c{k}", attacker=data.draw(known), target=data.draw(known), kind=data.draw(kinds))
        for k in range(data.draw(st.integers(min_value=0, max_value=6)) if ids else 0)
    ]
    return statements, inferences, conflicts


@needs_compiled
@settings(max_examples=500, deadline=None)
@given(st.data())
def test_compiled_layout_matches_the_reference_on_raw_inputs(data: st.DataObject) -> None:
    statements, inferences, conflicts = _raw_map(data)
    texts = data.draw(st.lists(_TEXTS, min_size=len(statements), max_size=len(statements)))
    title = data.draw(_TEXTS)
    positions = st.integers(min_value=0, max_value=max(len(statements) - 1, 0))
    fallback = data.draw(st.lists(positions, max_size=3)) if statements else []
    args = (statements, texts, inferences, conflicts, title, ConflictKind.UNDERCUT)
    limit = data.draw(st.sampled_from([0, 1, 5, 12, 40, 10**9]))
    got = _speedups.kialo_layout(*args, _claims(fallback), limit)
    assert got == kialo._layout_py(*args, _claims(fallback), limit)


@needs_compiled
@settings(max_examples=300, deadline=None)
@given(maps(max_statements=15))
def test_kialo_export_is_the_same_with_either_layout(doc: MapDocument) -> None:
    compiled = kialo.export(doc)
    saved = kialo._layout
    kialo._layout = kialo._layout_py
    try:
        reference = kialo.export(doc)
    finally:
        kialo._layout = saved
    assert compiled.data == reference.data
    assert compiled.warnings == reference.warnings


@needs_compiled
def test_big_generated_map_gives_the_same_bytes() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    try:
        from formats import generate
    finally:
        sys.path.pop(0)
    doc = generate(20_000)
    args = ([*doc.statements], [s.text for s in doc.statements], [*doc.inferences], [*doc.conflicts], "T", "undercut")
    assert _speedups.kialo_layout(*args, _claims([]), 10**9) == kialo._layout_py(*args, _claims([]), 10**9)


def _three() -> tuple[list[Statement], list[str]]:
    return [Statement(id=i, text=i.upper()) for i in "abc"], ["A", "B", "C"]


@needs_compiled
def test_unknown_id_raises_key_error_naming_it_in_both() -> None:
    statements, texts = _three()
    for layout in (kialo._layout_py, _speedups.kialo_layout):
        ghost_premise = [Inference(id="i", premises=["ghost"], conclusion="a")]
        with pytest.raises(KeyError, match="ghost"):
            layout(statements, texts, ghost_premise, [], "T", "undercut", _claims([]), 10**9)
        ghost_attacker = [Conflict(id="c", attacker="ghost", target="i", kind=ConflictKind.UNDERCUT)]
        with pytest.raises(KeyError, match="ghost"):
            layout(statements, texts, [], ghost_attacker, "T", "undercut", _claims([]), 10**9)


class _NotAStruct:
    """Fields as properties: the compiled code must take the normal attribute lookup."""

    def __init__(self, **fields: object) -> None:
        self._fields = fields

    def __getattr__(self, name: str) -> object:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None


@needs_compiled
def test_objects_other_than_structs_are_read_through_getattr() -> None:
    statements = [_NotAStruct(id="a"), _NotAStruct(id="b")]
    inferences = [_NotAStruct(premises=("b",), conclusion="a", scheme="")]
    args = (statements, ["A", "B"], inferences, [], "T", "undercut", _claims([]), 10**9)
    assert _speedups.kialo_layout(*args) == kialo._layout_py(*args)  # type: ignore[arg-type]
    with pytest.raises(AttributeError, match="conclusion"):
        _speedups.kialo_layout(statements, ["A", "B"], [_NotAStruct(premises=[])], [], "T", "u", _claims([]), 10**9)  # type: ignore[list-item]


@needs_compiled
def test_bad_arguments_raise_instead_of_crashing() -> None:
    statements, texts = _three()
    chain = [Inference(id="i", premises=["b"], conclusion="a"), Inference(id="j", premises=["a"], conclusion="b")]
    with pytest.raises(TypeError, match="must be str"):
        _speedups.kialo_layout([Statement(id=5, text="x")], ["x"], [], [], "T", "u", _claims([]), 10**9)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one text per statement"):
        _speedups.kialo_layout(statements, texts[:2], [], [], "T", "u", _claims([]), 10**9)
    with pytest.raises(IndexError):
        _speedups.kialo_layout(statements[:2], texts[:2], chain, [], "T", "u", _claims([7]), 10**9)
    with pytest.raises(TypeError):
        _speedups.kialo_layout(statements[:2], texts[:2], chain, [], "T", "u", lambda: None, 10**9)  # type: ignore[arg-type,return-value]
    with pytest.raises(UnicodeEncodeError):
        _speedups.kialo_layout(statements, ["A", "\ud800", "C"], [], [], "T", "u", _claims([]), 10**9)
    with pytest.raises(TypeError, match="must be str"):
        _speedups.kialo_layout(statements, ["A", 5, "C"], [], [], "T", "u", _claims([]), 10**9)  # type: ignore[list-item]

    def boom() -> list[int]:
        raise RuntimeError("fallback failed")

    with pytest.raises(RuntimeError, match="fallback failed"):
        _speedups.kialo_layout(statements[:2], texts[:2], chain, [], "T", "u", boom, 10**9)


@needs_compiled
def test_no_reference_is_leaked() -> None:
    statements = [Statement(id=f"s{k}", text=f"text {k} é") for k in range(50)]
    texts = [s.text for s in statements]
    inferences = [Inference(id=f"i{k}", premises=[f"s{k + 1}"], conclusion=f"s{k}") for k in range(30)]
    conflicts = [Conflict(id=f"c{k}", attacker=f"s{k + 1}", target=f"s{k}") for k in range(30, 49)]
    watched = [*statements, *texts, *inferences, *conflicts, *(s.id for s in statements)]
    before = [sys.getrefcount(x) for x in watched]
    for _ in range(200):
        _speedups.kialo_layout(statements, texts, inferences, conflicts, "T", ConflictKind.UNDERCUT, _claims([]), 10**9)
    gc.collect()
    assert [sys.getrefcount(x) for x in watched] == before


@needs_compiled
def test_the_codecs_use_the_compiled_functions_when_they_were_built() -> None:
    assert _util.ref_codes is _speedups.ref_codes
    assert aif.ref_codes is _speedups.ref_codes


# refs: ids, near misses, other types (a number never names a str key)
_REFS = st.one_of(_IDS, st.sampled_from(["s", "s00", "é ", 0, 1.5, None, b"s0"]))


@needs_compiled
@settings(max_examples=400, deadline=None)
@given(st.lists(_IDS, max_size=12), st.lists(_REFS, max_size=20), st.data())
def test_ref_codes_matches_the_reference(keys: list[str], refs: list[object], data: st.DataObject) -> None:
    codes = bytes(data.draw(st.lists(st.integers(0, 255), min_size=len(keys), max_size=len(keys))))
    missing = data.draw(st.integers(0, 255))
    assert _speedups.ref_codes(keys, codes, refs, missing) == _util._ref_codes_py(keys, codes, refs, missing)


@needs_compiled
def test_ref_codes_on_a_big_table_with_fresh_strings() -> None:
    """Equal ids that are different objects, as a decoder makes them."""
    keys = [f"n{k}" for k in range(50_000)]
    codes = bytes(k % 7 for k in range(50_000))
    refs: list[object] = ["".join(["n", str(k)]) for k in range(0, 100_000, 3)]
    got = _speedups.ref_codes(keys, codes, refs, 255)
    assert got == _util._ref_codes_py(keys, codes, refs, 255)
    assert got is not None and got.count(255) == sum(1 for k in range(0, 100_000, 3) if k >= 50_000)


@needs_compiled
def test_ref_codes_refuses_bad_arguments() -> None:
    for ref_codes in (_speedups.ref_codes, _util._ref_codes_py):
        with pytest.raises(TypeError):
            ref_codes(["a", 1], b"\x01\x02", [], 0)  # type: ignore[list-item]
    with pytest.raises(ValueError):
        _speedups.ref_codes(["a"], b"", [], 0)
    with pytest.raises(ValueError):
        _speedups.ref_codes(["a"], b"\x01", [], 256)


def test_kialo_export_refuses_a_map_whose_numbers_would_be_too_long() -> None:
    """Both layouts stop as soon as the numbers pass the cap, and the export says why."""
    depth = 400  # numbers of 2..800 characters: about 160,000 in all
    statements = [Statement(id=f"s{k}", text=f"claim {k}") for k in range(depth)]
    inferences = [Inference(id=f"i{k}", premises=[f"s{k + 1}"], conclusion=f"s{k}") for k in range(depth - 1)]
    args = (statements, [s.text for s in statements], inferences, [], "T", "undercut", _claims([]))
    layouts = [kialo._layout_py] + ([_speedups.kialo_layout] if _speedups is not None else [])
    for layout in layouts:
        assert layout(*args, 100_000) is None
        assert layout(*args, 200_000) is not None
    doc = MapDocument(title="deep", statements=statements, inferences=inferences)
    saved = kialo.MAX_NUMBER_CHARS
    kialo.MAX_NUMBER_CHARS = 100_000  # type: ignore[misc]
    try:
        with pytest.raises(FormatError, match="nest so deep"):
            kialo.export(doc)
    finally:
        kialo.MAX_NUMBER_CHARS = saved  # type: ignore[misc]
