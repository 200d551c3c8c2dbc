"""GraphML, DOT and Mermaid exports read by independent tools; the registry and sniffing."""

import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from service.domain import formats
from service.domain.formats import aif, dot, graphml, mermaid
from service.domain.formats.base import FormatError
from service.domain.graph import MapDocument, Statement

DATA = Path(__file__).resolve().parents[2] / "data" / "formats"


def _doc() -> MapDocument:
    return aif.import_((DATA / "small_aifdb.json").read_bytes()).document


def test_networkx_reads_our_graphml(tmp_path: Path) -> None:
    doc = _doc()
    path = tmp_path / "m.graphml"
    path.write_bytes(graphml.export(doc).data)
    g = nx.read_graphml(path)
    kinds = nx.get_node_attributes(g, "kind")
    assert sorted(n for n, k in kinds.items() if k == "statement") == sorted(s.id for s in doc.statements)
    assert [n for n, k in kinds.items() if k == "inference"] == ["201"]
    assert g.nodes["101"]["text"] == "Town centres should ban cars"
    rel = nx.get_edge_attributes(g, "relation")
    assert rel[("102", "201")] == "premise" and rel[("201", "101")] == "conclusion"
    assert g.edges["105", "201"]["conflict_kind"] == "undercut"
    assert rel[("106", "101")] == "equivalence"


def test_graphml_strips_characters_xml_forbids(tmp_path: Path) -> None:
    doc = _doc()
    bad = MapDocument(title="x", statements=[Statement(id="s", text="a\x01b")])
    out = graphml.export(bad)
    assert any("control characters" in w for w in out.warnings)
    path = tmp_path / "m.graphml"
    path.write_bytes(out.data)
    assert nx.read_graphml(path).nodes["s"]["text"] == "ab"
    assert doc.statements


def test_graphviz_accepts_our_dot(tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed")
    out = dot.export(_doc())
    text = out.data.decode()
    assert 'class="undercut"' in text and 'class="attack"' in text and 'class="support"' in text
    proc = subprocess.run(["dot", "-Tsvg"], input=out.data, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert b"<svg" in proc.stdout and proc.stdout.count(b'class="node"') == 7


def test_dot_quotes_hostile_text() -> None:
    doc = MapDocument(title='a "b"', statements=[Statement(id="s", text='say "hi" \\ {x}')])
    text = dot.export(doc).data.decode()
    assert '"say \\"hi\\" \\\\ {x}"' in text


def test_mermaid_export_escapes_and_warns() -> None:
    doc = _doc()
    out = mermaid.export(doc)
    text = out.data.decode()
    assert text.startswith("flowchart")
    assert text.count("-->|supports|") == 1 and text.count("-.->|undercuts|") == 1 and text.count("--x|attacks|") == 1
    assert any("authors" in w for w in out.warnings)
    quoted = mermaid.export(MapDocument(title="t", statements=[Statement(id="s", text='a "b" <c>')]))
    assert '["a #quot;b#quot; #lt;c#gt;"]' in quoted.data.decode()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("small_aifdb.json", "aif"),
        ("small_ova.json", "aif"),
        ("small.argdown", "argdown"),
        ("small.kialo.txt", "kialo"),
        ("small_microtext.xml", "microtexts"),
        ("small_sadface02.json", "sadface"),
        ("small_sadface05.json", "sadface"),
    ],
)
def test_sniffing_picks_the_format(name: str, fmt: str) -> None:
    data = (DATA / name).read_bytes()
    assert formats.sniff(data) == fmt
    assert formats.import_(data).document == formats.import_(data, fmt).document


def test_registry_native_and_errors() -> None:
    doc = _doc()
    data = formats.export(doc, "argmap").data
    assert formats.sniff(data) == "argmap"
    assert formats.import_(data).document == doc
    for name, info in formats.FORMATS.items():
        if info.export is not None:
            assert formats.export(doc, name).data
    with pytest.raises(FormatError, match="known formats: argmap, aif"):
        formats.export(doc, "pdf")
    with pytest.raises(FormatError, match="known formats"):
        formats.import_(b"x", "pdf")
    with pytest.raises(FormatError, match="can be exported but not imported"):
        formats.import_(b"x", "dot")
    assert set(formats.FORMATS) == {
        "argmap",
        "aif",
        "argdown",
        "graphml",
        "dot",
        "mermaid",
        "kialo",
        "microtexts",
        "sadface",
    }
    assert {"svg", "png"} <= set(formats.names())
