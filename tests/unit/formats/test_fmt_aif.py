"""AIF codec: our fixtures, round trips, and arguebuf as an independent reader."""

import json
from pathlib import Path

import pytest

from service.domain.formats import aif
from service.domain.formats.base import FormatError
from service.domain.graph import Author, Conflict, ConflictKind, Inference, MapDocument, Statement
from service.domain.validation import validate

DATA = Path(__file__).resolve().parents[2] / "data" / "formats"


def test_aifdb_fixture_maps_every_node_kind() -> None:
    raw = (DATA / "small_aifdb.json").read_bytes()
    result = aif.import_(raw)
    doc = result.document
    assert validate(doc) == []
    assert {s.id for s in doc.statements} == {"101", "102", "103", "104", "105", "106"}
    (inf,) = doc.inferences
    assert (inf.id, sorted(inf.premises), inf.conclusion, inf.scheme) == ("201", ["102", "103"], "101", None)
    kinds = {c.id: (c.attacker, c.target, c.kind) for c in doc.conflicts}
    assert kinds == {"202": ("104", "101", ConflictKind.REBUT), "203": ("105", "201", ConflictKind.UNDERCUT)}
    (eq,) = doc.equivalences
    assert (eq.first, eq.second) == ("106", "101")
    by_id = {s.id: s for s in doc.statements}
    names = {a.id: a.name for a in doc.authors}
    assert names[by_id["102"].author or ""] == "Ana"
    assert names[by_id["104"].author or ""] == "Ben"
    assert by_id["101"].author is None
    skipped = [w for w in result.warnings if "skipped nodes" in w]
    assert skipped and "2 L" in skipped[0] and "1 PA" in skipped[0] and "1 TA" in skipped[0] and "2 YA" in skipped[0]


def test_ova_fixture_integer_ids_and_participants() -> None:
    doc = aif.import_((DATA / "small_ova.json").read_bytes()).document
    assert validate(doc) == []
    assert [s.id for s in doc.statements] == ["1", "2", "3"]
    (inf,) = doc.inferences
    assert inf.scheme == "Argument from Need"
    (c,) = doc.conflicts
    # the attacked statement is a premise, so this is an undermine
    assert (c.attacker, c.target, c.kind) == ("3", "2", ConflictKind.UNDERMINE)
    (author,) = doc.authors
    assert author.name == "Kim Lee"
    assert next(s for s in doc.statements if s.id == "2").author == author.id


def _sample() -> MapDocument:
    return MapDocument(
        title="t",
        authors=[Author(id="ana", name="Ana Ruiz")],
        statements=[
            Statement(id="c", text="Claim", author="ana"),
            Statement(id="p1", text="Premise one"),
            Statement(id="p2", text="Premise two"),
            Statement(id="x", text="Objection"),
        ],
        inferences=[Inference(id="i", premises=["p1", "p2"], conclusion="c", scheme="Expert Opinion")],
        conflicts=[
            Conflict(id="k1", attacker="x", target="c"),
            Conflict(id="k2", attacker="x", target="i", kind=ConflictKind.UNDERCUT),
        ],
    )


def test_export_shape_and_round_trip() -> None:
    doc = _sample()
    out = aif.export(doc)
    raw = json.loads(out.data)
    types = {n["nodeID"]: n["type"] for n in raw["nodes"]}
    assert types["i"] == "RA" and types["k1"] == "CA" and types["c"] == "I"
    edges = {(e["fromID"], e["toID"]) for e in raw["edges"]}
    assert {("p1", "i"), ("p2", "i"), ("i", "c"), ("x", "k2"), ("k2", "i")} <= edges
    assert raw["participants"] == [{"participantID": "ana", "firstname": "Ana Ruiz", "surname": ""}]
    back = aif.import_(out.data).document
    assert validate(back) == []
    assert back.statements == doc.statements
    assert back.inferences == doc.inferences
    assert back.authors == doc.authors
    assert [(c.id, c.attacker, c.target, c.kind) for c in back.conflicts] == [
        (c.id, c.attacker, c.target, c.kind) for c in doc.conflicts
    ]


def test_invalid_ids_are_sanitised_with_a_warning() -> None:
    raw = json.dumps(
        {
            "nodes": [
                {"nodeID": "a b/c", "text": "One", "type": "I"},
                {"nodeID": "d", "text": "Two", "type": "I"},
                {"nodeID": "r", "text": "RA", "type": "RA"},
            ],
            "edges": [{"fromID": "a b/c", "toID": "r"}, {"fromID": "r", "toID": "d"}],
        }
    ).encode()
    result = aif.import_(raw)
    assert validate(result.document) == []
    assert result.document.statements[0].id == "a-b-c"
    assert result.document.inferences[0].premises == ["a-b-c"]
    assert any("'a b/c'" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("raw", "location"),
    [
        (b'{"edges": []}', None),
        (
            b'{"nodes": [{"nodeID": "1", "type": "I", "text": "x"}, {"nodeID": "1", "type": "I", "text": "y"}]}',
            "/nodes/1/nodeID",
        ),
        (b'{"nodes": [{"nodeID": "1", "type": 5}]}', "/nodes/0/type"),
        (b"not json", None),
    ],
)
def test_bad_input_raises_located_format_error(raw: bytes, location: str | None) -> None:
    with pytest.raises(FormatError) as err:
        aif.import_(raw)
    assert err.value.location == location


def test_arguebuf_reads_our_aif(tmp_path: Path) -> None:
    arguebuf = pytest.importorskip("arguebuf")
    doc = _sample()
    path = tmp_path / "map.json"
    path.write_bytes(aif.export(doc).data)
    graph = arguebuf.load.file(path)
    atoms = sorted(a.plain_text for a in graph.atom_nodes.values())
    assert atoms == sorted(s.text for s in doc.statements)
    supports = [s for s in graph.scheme_nodes.values() if isinstance(s.scheme, arguebuf.Support)]
    attacks = [s for s in graph.scheme_nodes.values() if isinstance(s.scheme, arguebuf.Attack)]
    assert (len(supports), len(attacks)) == (1, 2)
    (support,) = supports
    premise_texts = sorted(
        e.source.plain_text for e in graph.incoming_edges(support) if isinstance(e.source, arguebuf.AtomNode)
    )
    assert premise_texts == ["Premise one", "Premise two"]
