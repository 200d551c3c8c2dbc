"""Acceptance: author comparison on the Belarus 2020 debate map (if it has been built)."""

from pathlib import Path

import pytest

from service.domain.compare import FindingKind, compare_authors
from service.domain.formats import native
from service.domain.graph import MapDocument

DEBATE = Path(__file__).resolve().parents[3] / "argument_maps" / "belarus-2020" / "belarus-2020-debate.argmap.json"


@pytest.fixture(scope="module")
def debate() -> MapDocument:
    return native.decode(DEBATE.read_bytes())


def test_rust_and_marples_clash_on_sanctions_caution_against_urgency(debate: MapDocument) -> None:
    result = compare_authors(debate, ["rust", "marples"], "sanctions")
    (section,) = result.topics
    text = {s.id: s.text.lower() for s in debate.statements}
    conflicts = {c.id: c for c in debate.conflicts}
    direct = [f for f in section.clashes if f.kind == FindingKind.ATTACKS and len(f.path) == 3]
    assert direct, "expected a conflict between a statement of Rust and one of Marples"
    for f in direct:  # each path is a real conflict between the two statements named
        attacker, conflict, target = f.path
        assert (conflicts[conflict].attacker, conflicts[conflict].target) == (attacker, target)
        assert set(f.statements) == {attacker, target}
    # Rust warns against a hasty reaction; Marples wants sanctions in force now.
    assert any(
        ("hast" in text[f.statements[0]] or "rush" in text[f.statements[0]]) and "now" in text[f.statements[1]]
        for f in direct
    )


def test_reichardt_stepniewski_and_laputska_agree_on_economic_support(debate: MapDocument) -> None:
    result = compare_authors(debate, ["reichardt-stepniewski", "laputska"], "economic-support")
    (section,) = result.topics
    assert section.agreements, "expected an agreement on economic support"
    authors = {s.id: s.author for s in debate.statements}
    for f in section.agreements:
        assert [authors[f.statements[0]], authors[f.statements[1]]] == ["reichardt-stepniewski", "laputska"]
    text = {s.id: s.text.lower() for s in debate.statements}
    # Both call for a Marshall Plan for Belarus, and the map marks the two statements equivalent.
    assert any(
        f.kind == FindingKind.EQUIVALENT and all("marshall plan" in text[s] for s in f.statements)
        for f in section.agreements
    )
