"""Kialo, microtexts and SADFace codecs on fixtures written for argmap."""

import json
from pathlib import Path

import pytest

from service.domain.formats import kialo, microtexts, sadface
from service.domain.formats.base import FormatError
from service.domain.graph import ConflictKind
from service.domain.validation import validate

DATA = Path(__file__).resolve().parents[2] / "data" / "formats"


def test_kialo_fixture_with_forward_reference_and_wrapped_line() -> None:
    doc = kialo.import_((DATA / "small.kialo.txt").read_bytes()).document
    assert validate(doc) == []
    assert doc.title == "Should cities plant more trees?"
    assert [s.id for s in doc.statements] == ["1", "1.1", "1.1.1", "1.2", "1.2.1"]
    assert doc.statements[-1].text == "Choosing the right species keeps roots shallow and away from pipes."
    supports = sorted((i.premises[0], i.conclusion) for i in doc.inferences)
    # 1.1.1.1 reuses 1.2.1 (defined later in the file), 1.3 reuses 1.1
    assert supports == [("1.1", "1"), ("1.1", "1"), ("1.2.1", "1.1.1")]
    attacks = sorted((c.attacker, c.target) for c in doc.conflicts)
    assert attacks == [("1.1.1", "1.1"), ("1.2", "1"), ("1.2.1", "1.2")]


def test_kialo_export_reports_losses_and_reads_back() -> None:
    doc = sadface.import_((DATA / "small_sadface05.json").read_bytes()).document
    out = kialo.export(doc)
    assert any("linked" in w for w in out.warnings)
    assert any("undercuts" in w for w in out.warnings)
    back = kialo.import_(out.data).document
    assert sorted(s.text for s in back.statements) == sorted(
        s.text
        for s in doc.statements
        if s.id != "p3"  # the undercutter has no place in Kialo
    )
    assert len(back.inferences) == 2 and not back.conflicts


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Discussion Title: x\n\n1. a\n\nrandom\n", "line 5, column 1"),
        ("Discussion Title: x\n\n1. a\n1.1. b\n", "line 4, column 6"),
        ("Discussion Title: x\n\n1. a\n1.1. Pro: -> See 1.9.\n", "line 4, column 1"),
        ("Discussion Title: x\n\n1. a\n1.1. Pro: b\n1.1. Con: c\n", "line 5, column 1"),
    ],
)
def test_kialo_errors_name_the_line(text: str, location: str) -> None:
    with pytest.raises(FormatError) as err:
        kialo.import_(text.encode())
    assert err.value.location == location


def test_microtext_fixture_add_und_and_example() -> None:
    result = microtexts.import_((DATA / "small_microtext.xml").read_bytes())
    doc = result.document
    assert validate(doc) == []
    infs = {i.id: i for i in doc.inferences}
    assert infs["c1"].premises == ["a2", "a3"]  # `add` joined a3 to the support c1
    assert infs["c5"].scheme == "example"
    kinds = {c.id: (c.attacker, c.target, c.kind) for c in doc.conflicts}
    assert kinds["c3"] == ("a4", "a1", ConflictKind.REBUT)
    assert kinds["c6"] == ("a4", "c5", ConflictKind.UNDERCUT)
    # an undercut of an attack is approximated, with a warning naming the edge
    assert kinds["c4"] == ("a5", "a4", ConflictKind.UNDERMINE)
    assert any(w.startswith("edge c4:") for w in result.warnings)
    central = next(s for s in doc.statements if s.id == "a1")
    assert central.text == "Night trains should get public money,"
    assert central.stances[0].stance == "pro"


@pytest.mark.parametrize(
    ("xml", "location"),
    [
        (b'<arggraph id="g"><adu id="a1" type="pro"/></arggraph>', "a1"),
        (
            b'<arggraph id="g"><edu id="e1">x</edu><adu id="a1"/><edge id="s" src="e1" trg="a1" type="seg"/>'
            b'<edge id="c1" src="a1" trg="a9" type="sup"/></arggraph>',
            "c1",
        ),
        (
            b'<arggraph id="g"><edu id="e1">x</edu><adu id="a1"/><edge id="s" src="e1" trg="a1" type="seg"/>'
            b'<edge id="c2" src="a1" trg="a1" type="und"/></arggraph>',
            "c2",
        ),
        (b'<arggraph id="g"><edu id="e1"><b><c><d>deep</d></c></b></edu></arggraph>', "d"),
    ],
)
def test_microtext_errors_name_the_element(xml: bytes, location: str) -> None:
    with pytest.raises(FormatError) as err:
        microtexts.import_(xml)
    assert err.value.location == location


def test_microtext_refuses_entity_expansion() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxx">]><arggraph id="g">&x;</arggraph>'
    with pytest.raises(FormatError, match="unsafe"):
        microtexts.import_(bomb)


def test_sadface_02_and_05_fixtures() -> None:
    old = sadface.import_((DATA / "small_sadface02.json").read_bytes()).document
    assert validate(old) == []
    assert old.title == "Bike lanes" and old.description == "Written for argmap's tests."
    (inf,) = old.inferences
    assert (inf.premises, inf.conclusion, inf.scheme) == (["p1"], "c1", None)
    (c,) = old.conflicts
    assert (c.attacker, c.target, c.kind) == ("p2", "p1", ConflictKind.UNDERMINE)
    loc = next(s for s in old.statements if s.id == "p1").locator
    assert loc is not None and (loc.source, loc.start, loc.end, loc.quote) == ("r1", 10, 31, "injuries fell by half")
    assert old.sources[0].title == "Ghent report"
    new = sadface.import_((DATA / "small_sadface05.json").read_bytes()).document
    (inf,) = new.inferences
    assert inf.premises == ["p1", "p2"] and inf.scheme == "Argument from Consequences"
    assert new.conflicts[0].kind == ConflictKind.UNDERCUT


def test_sadface_export_is_version_05_and_round_trips() -> None:
    doc = sadface.import_((DATA / "small_sadface02.json").read_bytes()).document
    out = sadface.export(doc)
    raw = json.loads(out.data)
    assert raw["metadata"]["core"]["version"] == "0.5"
    assert {n["type"] for n in raw["nodes"]} == {"atom", "inference", "conflict"}
    assert sadface.import_(out.data).document == doc


def test_sadface_bad_node_points_at_it() -> None:
    with pytest.raises(FormatError) as err:
        sadface.import_(b'{"nodes": [{"id": "a", "type": "atom"}]}')
    assert err.value.location == "/nodes/0/text"
