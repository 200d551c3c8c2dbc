"""Comparison of two maps: alignment, relation agreement and scores derived by hand."""

import random

import msgspec
import pytest

from service.domain.compare import UnknownElement, cohen_kappa, compare_maps
from service.domain.graph import Conflict, ConflictKind, Equivalence, Inference, MapDocument, Statement


def s(id_: str, text: str) -> Statement:
    return Statement(id=id_, text=text)


def reference() -> MapDocument:
    return MapDocument(
        slug="ref",
        title="Reference",
        statements=[
            s("r1", "The government should raise the minimum wage"),
            s("r2", "Higher wages increase consumer spending"),
            s("r3", "Small businesses cannot afford higher wages"),
            s("r4", "Automation will replace low wage jobs"),
        ],
        inferences=[Inference(id="ir1", premises=["r2"], conclusion="r1")],
        conflicts=[
            Conflict(id="kr1", attacker="r3", target="r1"),
            Conflict(id="kr2", attacker="r4", target="ir1", kind=ConflictKind.UNDERCUT),
            Conflict(id="kr3", attacker="r2", target="r3"),
        ],
    )


def candidate() -> MapDocument:
    return MapDocument(
        slug="cand",
        title="Candidate",
        statements=[
            s("c1", "The minimum wage should be raised by the government"),
            s("c2", "Consumer spending rises when pay goes up"),
            s("c3", "Small firms can't pay more"),
            s("c4", "Automation will replace low wage jobs"),
            s("c5", "Unions back the raise"),
        ],
        inferences=[
            Inference(id="ic1", premises=["c2"], conclusion="c1"),
            Inference(id="ic2", premises=["c3"], conclusion="c1"),
        ],
        conflicts=[
            Conflict(id="kc1", attacker="c5", target="c1"),
            Conflict(id="kc2", attacker="c4", target="c2"),
            Conflict(id="kc3", attacker="c1", target="c3"),
        ],
        equivalences=[Equivalence(id="e1", first="c3", second="r3", second_map="ref")],
    )


def test_identical_maps_agree_perfectly() -> None:
    ref = reference()
    copy = msgspec.structs.replace(ref, slug="copy")
    result = compare_maps(ref, copy)
    assert [(m.reference, m.candidate, m.how, m.score) for m in result.matches] == [
        (f"r{k}", f"r{k}", "suggested", 1.0) for k in range(1, 5)
    ]
    assert result.unmatched_reference == [] and result.unmatched_candidate == []
    assert result.scores.statements.f1 == 1.0
    assert result.scores.relations.f1 == 1.0
    assert result.scores.relation_agreement.kappa == pytest.approx(1.0)
    # 4 matched statements -> 12 ordered pairs; 4 related (r2>r1, r3>r1, r4>r1 by the undercut, r2>r3)
    assert result.scores.relation_agreement.units == 12
    assert result.scores.relation_agreement.confusion["none"]["none"] == 8
    assert result.relation_counts["same"] == 4


def test_explicit_suggested_rejected_and_every_relation_category() -> None:
    result = compare_maps(reference(), candidate(), confirmed=[("r2", "c2")], rejected=[("r4", "c4")])
    assert [(m.reference, m.candidate, m.how) for m in result.matches] == [
        ("r1", "c1", "suggested"),
        ("r2", "c2", "confirmed"),
        ("r3", "c3", "equivalence"),
    ]
    assert result.matches[0].score >= result.threshold
    assert result.unmatched_reference == ["r4"]
    assert result.unmatched_candidate == ["c4", "c5"]

    by_status = {(r.status, tuple(r.reference), tuple(r.candidate)) for r in result.relations}
    assert by_status == {
        ("same", ("r2", "r1"), ("c2", "c1")),
        ("opposite", ("r3", "r1"), ("c3", "c1")),  # attack in the reference, support in the candidate
        ("missing", ("r2", "r3"), ("c2", "c3")),
        ("extra", ("r1", "r3"), ("c1", "c3")),
    }
    assert result.relation_counts == {
        "same": 1,
        "opposite": 1,
        "missing": 1,
        "extra": 1,
        "unaligned_reference": 1,  # r4 -> r1 (the undercut), r4 unmatched
        "unaligned_candidate": 2,  # c5 -> c1 and c4 -> c2
    }

    st_scores = result.scores.statements
    assert (st_scores.true_positives, st_scores.reference_total, st_scores.candidate_total) == (3, 4, 5)
    assert st_scores.precision == pytest.approx(3 / 5)
    assert st_scores.recall == pytest.approx(3 / 4)
    assert st_scores.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    rel = result.scores.relations
    assert (rel.true_positives, rel.reference_total, rel.candidate_total) == (1, 4, 5)
    assert rel.f1 == pytest.approx(2 * 0.2 * 0.25 / 0.45)

    # 3 matched statements -> 6 ordered pairs:
    # S/S 1, A/S 1, A/none 1, none/A 1, none/none 2 -> po = 3/6,
    # rows S1 A2 N3, columns S2 A1 N3 -> pe = (2 + 2 + 9)/36, kappa = (18-13)/(36-13) = 5/23
    agreement = result.scores.relation_agreement
    assert agreement.units == 6
    assert agreement.confusion["none"]["none"] == 2
    assert agreement.observed == pytest.approx(0.5)
    assert agreement.expected == pytest.approx(13 / 36)
    assert agreement.kappa == pytest.approx(5 / 23)


def test_rejected_identical_text_stays_unmatched_but_confirmation_wins() -> None:
    without = compare_maps(reference(), candidate())
    assert ("r4", "c4", "suggested") in [(m.reference, m.candidate, m.how) for m in without.matches]
    forced = compare_maps(reference(), candidate(), confirmed=[("r4", "c5")])
    assert ("r4", "c5", "confirmed") in [(m.reference, m.candidate, m.how) for m in forced.matches]
    assert "c4" in forced.unmatched_candidate


def test_conflicting_explicit_pair_is_skipped_with_a_warning() -> None:
    result = compare_maps(reference(), candidate(), confirmed=[("r1", "c3")])
    assert ("r1", "c3", "confirmed") in [(m.reference, m.candidate, m.how) for m in result.matches]
    assert len(result.warnings) == 1 and "(r3, c3)" in result.warnings[0]


def test_errors_name_the_unknown_statement() -> None:
    with pytest.raises(UnknownElement) as err:
        compare_maps(reference(), candidate(), confirmed=[("r9", "c1")])
    assert (err.value.kind, err.value.id) == ("statement", "r9")
    with pytest.raises(UnknownElement) as err:
        compare_maps(reference(), candidate(), confirmed=[("r1", "c9")])
    assert err.value.id == "c9"
    with pytest.raises(ValueError, match="both confirmed and rejected"):
        compare_maps(reference(), candidate(), confirmed=[("r1", "c1")], rejected=[("r1", "c1")])
    with pytest.raises(ValueError, match="threshold"):
        compare_maps(reference(), candidate(), threshold=0.0)
    # rejected pairs may be stale: unknown ids there are ignored
    compare_maps(reference(), candidate(), rejected=[("gone", "c1")])


def test_disjoint_maps_score_zero_and_kappa_is_undefined() -> None:
    other = MapDocument(
        title="Zoo",
        statements=[s("z1", "Penguins nest on Antarctic ice"), s("z2", "Volcanoes erupt molten lava")],
        inferences=[Inference(id="zi", premises=["z2"], conclusion="z1")],
    )
    result = compare_maps(reference(), other)
    assert result.matches == []
    assert result.scores.statements.precision == 0.0
    assert result.scores.statements.recall == 0.0
    assert result.scores.statements.f1 == 0.0
    assert result.scores.relations.f1 == 0.0
    assert result.scores.relation_agreement.units == 0
    assert result.scores.relation_agreement.kappa is None
    assert result.relation_counts["unaligned_reference"] == 4
    assert result.relation_counts["unaligned_candidate"] == 1


def test_empty_maps_have_undefined_ratios() -> None:
    result = compare_maps(MapDocument(title="a"), MapDocument(title="b"))
    assert result.matches == []
    assert result.scores.statements.precision is None
    assert result.scores.statements.f1 is None
    assert result.scores.relation_agreement.kappa is None


def test_greedy_assignment_prefers_the_exact_match_over_a_subset() -> None:
    ref = MapDocument(title="a", statements=[s("r1", "alpha beta gamma"), s("r2", "alpha beta gamma delta")])
    cand = MapDocument(title="b", statements=[s("c1", "alpha beta gamma delta")])
    result = compare_maps(ref, cand)
    assert [(m.reference, m.candidate) for m in result.matches] == [("r2", "c1")]
    assert result.matches[0].score == 1.0


def test_undercut_counts_as_attack_on_the_conclusion() -> None:
    ref = MapDocument(
        title="a",
        statements=[s("p", "pigs can fly"), s("q", "bacon is airborne"), s("u", "the pig inference is bogus")],
        inferences=[Inference(id="i", premises=["p"], conclusion="q")],
        conflicts=[Conflict(id="k", attacker="u", target="i", kind=ConflictKind.UNDERCUT)],
    )
    cand = MapDocument(
        title="b",
        statements=[s("p", "pigs can fly"), s("q", "bacon is airborne"), s("u", "the pig inference is bogus")],
        inferences=[Inference(id="i", premises=["p"], conclusion="q")],
        conflicts=[Conflict(id="k", attacker="u", target="q")],
    )
    result = compare_maps(ref, cand)
    assert {(r.status, tuple(r.reference)) for r in result.relations} == {("same", ("p", "q")), ("same", ("u", "q"))}
    assert [r.reference_via for r in result.relations if r.reference == ["u", "q"]] == [["k"]]


def test_cohen_kappa_on_a_textbook_table() -> None:
    # 50 units: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> po 0.7, pe 0.5 -> kappa 0.4
    observed, expected, kappa = cohen_kappa({"yes": {"yes": 20, "no": 5}, "no": {"yes": 10, "no": 15}})
    assert observed == pytest.approx(0.7)
    assert expected == pytest.approx(0.5)
    assert kappa == pytest.approx(0.4)


def test_large_maps_use_blocking_and_still_align_reworded_statements() -> None:
    rng = random.Random(7)
    words = [f"w{k}" for k in range(3000)]
    texts = [" ".join(rng.sample(words, 10)) for _ in range(600)]
    ref = MapDocument(title="a", statements=[s(f"r{k}", t) for k, t in enumerate(texts)])
    cand_statements = []
    for k, t in enumerate(texts):
        toks = t.split()
        toks[0] = "changed"  # one word reworded and the order rotated
        cand_statements.append(s(f"c{k}", " ".join(toks[3:] + toks[:3])))
    cand = MapDocument(title="b", statements=cand_statements)
    # 600 x 600 pairs is above the brute-force limit, so this exercises the blocked path
    result = compare_maps(ref, cand)
    assert [(m.reference, m.candidate) for m in result.matches] == [(f"r{k}", f"c{k}") for k in range(600)]


def test_reference_side_equivalence_names_the_candidate_by_id() -> None:
    ref = msgspec.structs.replace(
        reference(), equivalences=[Equivalence(id="e", first="r4", second="c5", second_map="m-42")]
    )
    cand = msgspec.structs.replace(candidate(), id="m-42", slug=None)
    result = compare_maps(ref, cand)
    assert ("r4", "c5", "equivalence") in [(m.reference, m.candidate, m.how) for m in result.matches]
    assert result.candidate_map == "m-42"


def test_result_schema_documents_fields() -> None:
    from service.domain.compare import json_schema

    defs = json_schema()["$defs"]
    assert {"MapComparison", "AuthorComparison", "Finding", "RelationAgreement"} <= set(defs)
    assert "description" in defs["Finding"]["properties"]["path"]
    assert "clashes" in defs["FindingKind"]["description"]
