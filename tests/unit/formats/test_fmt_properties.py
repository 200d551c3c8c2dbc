"""Property tests: random valid maps survive native -> X -> native up to X's documented losses."""

import contextlib

import pytest
from graph_strategies import maps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain import formats
from service.domain.formats import native
from service.domain.formats.base import FormatError
from service.domain.graph import ConflictKind, MapDocument
from service.domain.validation import validate

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _relations(doc: MapDocument, by_text: bool = False) -> tuple[list[object], list[object]]:
    key = {s.id: (s.text if by_text else s.id) for s in doc.statements}
    infs = sorted((tuple(sorted(key[p] for p in i.premises)), key[i.conclusion]) for i in doc.inferences)
    inf_key = {i.id: (tuple(sorted(key[p] for p in i.premises)), key[i.conclusion]) for i in doc.inferences}
    confs = sorted(
        (key[c.attacker], str(inf_key[c.target]) if c.kind == ConflictKind.UNDERCUT else key[c.target])
        for c in doc.conflicts
    )
    return infs, confs


@SETTINGS
@given(maps())
def test_native_is_byte_stable(doc: MapDocument) -> None:
    assert validate(doc) == []
    once = native.encode(doc)
    assert native.encode(native.decode(once)) == once


@SETTINGS
@given(maps())
def test_aif_round_trip(doc: MapDocument) -> None:
    back = formats.import_(formats.export(doc, "aif").data, "aif").document
    assert validate(back) == []
    assert [(s.id, s.text) for s in back.statements] == [(s.id, s.text) for s in doc.statements]
    assert [(i.id, i.premises, i.conclusion, i.scheme) for i in back.inferences] == [
        (i.id, i.premises, i.conclusion, i.scheme) for i in doc.inferences
    ]
    assert _relations(back) == _relations(doc)
    assert [(e.first, e.second) for e in back.equivalences] == [(e.first, e.second) for e in doc.equivalences]
    names = {a.id: a.name for a in doc.authors}
    back_names = {a.id: a.name for a in back.authors}
    assert [back_names.get(s.author or "") for s in back.statements] == [
        names.get(s.author or "") for s in doc.statements
    ]


@SETTINGS
@given(maps())
def test_argdown_round_trip(doc: MapDocument) -> None:
    back = formats.import_(formats.export(doc, "argdown").data, "argdown").document
    assert validate(back) == []
    assert [(s.id, s.text, s.kind) for s in back.statements] == [(s.id, s.text, s.kind) for s in doc.statements]
    # Argdown cannot state the same relation twice: duplicates collapse into one
    assert [sorted(set(r)) for r in _relations(back)] == [sorted(set(r)) for r in _relations(doc)]
    assert {i.id: i.scheme for i in back.inferences} == {i.id: i.scheme for i in doc.inferences}


@SETTINGS
@given(maps())
def test_sadface_round_trip(doc: MapDocument) -> None:
    back = formats.import_(formats.export(doc, "sadface").data, "sadface").document
    assert validate(back) == []
    assert [(s.id, s.text) for s in back.statements] == [(s.id, s.text) for s in doc.statements]
    assert _relations(back) == _relations(doc)


@SETTINGS
@given(maps())
def test_kialo_round_trip_keeps_texts_of_reachable_claims(doc: MapDocument) -> None:
    out = formats.export(doc, "kialo")
    back = formats.import_(out.data, "kialo").document
    assert validate(back) == []
    texts = {s.text for s in doc.statements} | {doc.title}
    assert {s.text for s in back.statements} <= {" ".join(t.split()) for t in texts}
    synthetic = 1 if any("main claims" in w for w in out.warnings) else 0
    if len(back.statements) - synthetic < len(doc.statements):
        assert any("dropped" in w for w in out.warnings)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["aif", "argdown", "kialo", "microtexts", "sadface", "argmap"]))
def test_garbage_raises_only_format_error(data: bytes, fmt: str) -> None:
    try:
        doc = formats.import_(data, fmt).document
    except FormatError:
        return
    assert validate(doc) == []


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="[]<>()+-_>< :#{}\n\t.12-abc/*!", max_size=200))
def test_argdown_fuzz_raises_only_format_error(text: str) -> None:
    try:
        doc = formats.import_(text.encode(), "argdown").document
    except FormatError as e:
        assert e.location is None or e.location.startswith("line ")
        return
    assert validate(doc) == []


@pytest.mark.parametrize("fmt", ["aif", "sadface"])
@settings(max_examples=30, deadline=None)
@given(doc=maps())
def test_json_formats_fuzzed_by_mutation(fmt: str, doc: MapDocument) -> None:
    data = bytearray(formats.export(doc, fmt).data)
    for k in range(0, len(data), 37):
        data[k] = ord("#")
    with contextlib.suppress(FormatError):
        formats.import_(bytes(data), fmt)
