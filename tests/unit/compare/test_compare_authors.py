"""Author comparison within one map, on small maps whose findings are derived by hand."""

import pytest

from service.domain.compare import FindingKind, StanceHolding, UnknownElement, compare_authors
from service.domain.graph import (
    Author,
    Conflict,
    ConflictKind,
    Equivalence,
    Inference,
    MapDocument,
    Stance,
    StanceValue,
    Statement,
    Topic,
)

PRO, CON, NEUTRAL = StanceValue.PRO, StanceValue.CON, StanceValue.NEUTRAL
AUTHORS = [Author(id="alice", name="Alice"), Author(id="bob", name="Bob"), Author(id="carol", name="Carol")]
TOPICS = [Topic(id="T", title="Sanctions"), Topic(id="U", title="Aid")]


def st(id_: str, author: str | None, *stances: tuple[str, StanceValue]) -> Statement:
    return Statement(
        id=id_,
        text=f"text of {id_}",
        author=author,
        stances=[Stance(topic=t, stance=v) for t, v in stances],
    )


def mapdoc(statements: list[Statement], **kw: object) -> MapDocument:
    return MapDocument(title="m", authors=AUTHORS, topics=TOPICS, statements=statements, **kw)  # type: ignore[arg-type]


def kinds_paths(findings: list) -> list[tuple[str, list[str]]]:  # type: ignore[type-arg]
    return [(str(f.kind), f.path) for f in findings]


def test_stances_agree_and_clash_pairwise_in_request_order() -> None:
    doc = mapdoc([st("a1", "alice", ("T", PRO)), st("b1", "bob", ("T", CON)), st("c1", "carol", ("T", PRO))])
    result = compare_authors(doc, ["alice", "bob", "carol"], "T")
    (sec,) = result.topics
    assert result.overall is None
    assert kinds_paths(sec.agreements) == [("same-stance", ["a1", "T", "c1"])]
    assert kinds_paths(sec.clashes) == [("opposite-stance", ["a1", "T", "b1"]), ("opposite-stance", ["b1", "T", "c1"])]
    assert sec.clashes[1].authors == ["bob", "carol"]
    # A shared stance is not an argument: nobody's statement is addressed by the others.
    assert [p.unaddressed for p in sec.positions] == [["a1"], ["b1"], ["c1"]]
    assert sec.positions[1].stances == [StanceHolding(topic="T", stance=CON, statements=["b1"])]


def test_neutral_against_pro_is_neither_agreement_nor_clash() -> None:
    doc = mapdoc([st("a1", "alice", ("T", NEUTRAL)), st("b1", "bob", ("T", PRO))])
    (sec,) = compare_authors(doc, ["alice", "bob"], "T").topics
    assert sec.agreements == [] and sec.clashes == []


def test_attacks_undercuts_and_support_of_the_attacked() -> None:
    doc = mapdoc(
        [
            st("a1", "alice", ("T", PRO)),
            st("a2", "alice"),
            st("b1", "bob"),
            st("b3", "bob"),
            st("x", None, ("T", CON)),
            st("a3", "alice"),
            st("b4", "bob"),
            st("a6", "alice", ("T", PRO)),
            st("c1", "carol"),
        ],
        inferences=[
            Inference(id="i1", premises=["a2"], conclusion="a1"),
            Inference(id="i3", premises=["b4"], conclusion="x"),
        ],
        conflicts=[
            Conflict(id="k1", attacker="b1", target="a2", kind=ConflictKind.UNDERMINE),
            Conflict(id="k2", attacker="b3", target="i1", kind=ConflictKind.UNDERCUT),
            Conflict(id="k3", attacker="a3", target="x"),
            Conflict(id="k4", attacker="c1", target="a1"),  # carol is not compared
        ],
    )
    (sec,) = compare_authors(doc, ["alice", "bob"], "T").topics
    assert sec.agreements == []
    assert kinds_paths(sec.clashes) == [
        ("attacks", ["b1", "k1", "a2"]),
        ("attacks", ["b3", "k2", "i1", "a2"]),
        ("supports-attacked", ["b4", "i3", "x", "k3", "a3"]),
    ]
    # statements are ordered by author as requested, whatever the direction of the path
    assert [f.statements for f in sec.clashes] == [["a2", "b1"], ["a2", "b3"], ["a3", "b4"]]
    alice, bob = sec.positions
    assert alice.statements == ["a1", "a2", "a3", "a6"]
    assert alice.unaddressed == ["a1", "a6"]
    assert alice.stances == [StanceHolding(topic="T", stance=PRO, statements=["a1", "a6"])]
    assert bob.statements == ["b1", "b3", "b4"] and bob.unaddressed == []
    assert "undercuts inference i1" in sec.clashes[1].explanation


def test_agreements_linked_premises_common_conclusion_and_common_target() -> None:
    doc = mapdoc(
        [
            st("a1", "alice", ("T", PRO)),
            st("b1", "bob", ("T", PRO)),
            st("a2", "alice"),
            st("b2", "bob"),
            st("a3", "alice"),
            st("b3", "bob"),
            st("y", None, ("T", NEUTRAL)),
            st("a4", "alice"),
            st("b4", "bob"),
        ],
        inferences=[
            Inference(id="i1", premises=["a2", "b2"], conclusion="a1"),
            Inference(id="i2", premises=["b3"], conclusion="y"),
            Inference(id="i3", premises=["a3"], conclusion="y"),
        ],
        conflicts=[Conflict(id="k1", attacker="a4", target="y"), Conflict(id="k2", attacker="b4", target="y")],
    )
    (sec,) = compare_authors(doc, ["alice", "bob"], "T").topics
    assert kinds_paths(sec.agreements) == [
        ("supports", ["b2", "i1", "a1"]),
        ("linked-premises", ["a2", "i1", "b2"]),
        ("common-conclusion", ["b3", "i2", "y", "i3", "a3"]),
        ("common-target", ["a4", "k1", "y", "k2", "b4"]),
        ("same-stance", ["a1", "T", "b1"]),
    ]
    assert sec.agreements[2].statements == ["a3", "b3"]
    # a4 attacks y which b3 supports; b4 attacks y which a3 supports
    assert kinds_paths(sec.clashes) == [
        ("supports-attacked", ["a3", "i3", "y", "k2", "b4"]),
        ("supports-attacked", ["b3", "i2", "y", "k1", "a4"]),
    ]
    alice, bob = sec.positions
    assert alice.unaddressed == []
    assert bob.unaddressed == ["b1"]


def test_cycles_of_support_and_attack_terminate_and_are_reported() -> None:
    doc = mapdoc(
        [st("a1", "alice", ("T", PRO)), st("b1", "bob"), st("a2", "alice"), st("b2", "bob")],
        inferences=[
            Inference(id="i1", premises=["a1"], conclusion="b1"),
            Inference(id="i2", premises=["b1"], conclusion="a1"),
            Inference(id="i3", premises=["a2"], conclusion="a1"),
        ],
        conflicts=[Conflict(id="k1", attacker="b2", target="a2"), Conflict(id="k2", attacker="a2", target="b2")],
    )
    (sec,) = compare_authors(doc, ["alice", "bob"], "T").topics
    assert kinds_paths(sec.agreements) == [
        ("supports", ["a1", "i1", "b1"]),
        ("supports", ["b1", "i2", "a1"]),
        ("common-conclusion", ["b1", "i2", "a1", "i3", "a2"]),
    ]
    assert kinds_paths(sec.clashes) == [("attacks", ["a2", "k2", "b2"]), ("attacks", ["b2", "k1", "a2"])]
    assert [p.statements for p in sec.positions] == [["a1", "a2"], ["b1", "b2"]]


def test_topic_scope_leaves_out_arguments_about_another_topic() -> None:
    doc = mapdoc(
        [st("a1", "alice", ("T", PRO)), st("b1", "bob"), st("a2", "alice", ("U", PRO)), st("b2", "bob")],
        conflicts=[Conflict(id="k1", attacker="b1", target="a1"), Conflict(id="k2", attacker="b2", target="a2")],
    )
    result = compare_authors(doc, ["alice", "bob"])
    assert [s.topic for s in result.topics] == ["T", "U"]
    t_sec, u_sec = result.topics
    assert kinds_paths(t_sec.clashes) == [("attacks", ["b1", "k1", "a1"])]
    assert kinds_paths(u_sec.clashes) == [("attacks", ["b2", "k2", "a2"])]
    assert result.overall is not None
    assert kinds_paths(result.overall.clashes) == [("attacks", ["b1", "k1", "a1"]), ("attacks", ["b2", "k2", "a2"])]
    assert [h.topic for h in result.overall.positions[0].stances] == ["T", "U"]


def test_equivalence_without_topics_shows_in_overall_only() -> None:
    doc = MapDocument(
        title="m",
        authors=AUTHORS,
        statements=[st("a5", "alice"), st("b5", "bob"), st("c5", "carol")],
        equivalences=[Equivalence(id="e1", first="b5", second="a5"), Equivalence(id="e2", first="a5", second="c5")],
    )
    result = compare_authors(doc, ["alice", "bob"])
    assert result.topics == []
    assert result.overall is not None
    assert kinds_paths(result.overall.agreements) == [("equivalent", ["b5", "e1", "a5"])]
    assert result.overall.agreements[0].statements == ["a5", "b5"]
    assert result.overall.agreements[0].kind is FindingKind.EQUIVALENT


def test_unknown_author_and_topic_are_named() -> None:
    doc = mapdoc([st("a1", "alice", ("T", PRO))])
    with pytest.raises(UnknownElement) as err:
        compare_authors(doc, ["alice", "dave"])
    assert (err.value.kind, err.value.id) == ("author", "dave")
    assert str(err.value) == "unknown author 'dave'"
    with pytest.raises(UnknownElement) as err:
        compare_authors(doc, ["alice", "bob"], "nope")
    assert (err.value.kind, err.value.id) == ("topic", "nope")
    with pytest.raises(ValueError, match="two distinct"):
        compare_authors(doc, ["alice", "alice"])


def test_empty_map_gives_empty_sections() -> None:
    doc = MapDocument(title="empty", authors=AUTHORS, topics=TOPICS)
    result = compare_authors(doc, ["alice", "bob"])
    assert result.topics == []
    assert result.overall is not None
    assert result.overall.agreements == [] and result.overall.clashes == []
    assert [p.statements for p in result.overall.positions] == [[], []]
