"""Argdown codec: our fixture, located errors, round trip, and the official CLI as reader."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import msgspec
import pytest

from service.domain.formats import argdown
from service.domain.formats.base import FormatError
from service.domain.graph import Author, Conflict, ConflictKind, Inference, MapDocument, Statement, StatementKind
from service.domain.validation import validate

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "formats"


def argdown_cli() -> list[str]:
    """The official CLI as a command line, or a skip explaining how to get it."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed, so the official @argdown/cli cannot run")
    env = os.environ.get("ARGMAP_ARGDOWN_CLI")
    path = Path(env) if env else ROOT / ".cache" / "argdown" / "node_modules" / ".bin" / "argdown"
    if not path.exists():
        pytest.skip(f"@argdown/cli not found at {path}; run: npm install --prefix .cache/argdown @argdown/cli@1.7.5")
    return [str(path)]


def test_fixture_statements_arguments_and_relations() -> None:
    result = argdown.import_((DATA / "small.argdown").read_bytes())
    doc = result.document
    assert validate(doc) == []
    assert doc.title == "Four-day week"
    st = {s.id: s for s in doc.statements}
    four = st["Four-days"]
    assert four.text == "Firms should move to a four-day week."
    assert four.tags == ["policy"]
    assert {a.id: a.name for a in doc.authors}[four.author or ""] == "Ana Ruiz"
    # multi-line text joins its lines
    assert any(s.text == "Output per hour rises when people are rested." for s in doc.statements)
    infs = {i.id: i for i in doc.inferences}
    health = infs["Health"]
    assert health.conclusion == "Four-days" and health.scheme is None and len(health.premises) == 2
    step1 = infs["Health.1"]
    assert step1.scheme == "Causal reasoning" and step1.conclusion in health.premises
    sketch = next(i for i in doc.inferences if i.premises == ["Productivity"])
    assert sketch.conclusion == "Four-days"
    pairs = {(c.attacker, c.target, c.kind) for c in doc.conflicts}
    assert ("Cover", "Four-days", ConflictKind.REBUT) in pairs
    assert ("Seasonal", sketch.id, ConflictKind.UNDERCUT) in pairs
    # >< is a contradiction: one attack each way
    assert ("Five-days", "Four-days", ConflictKind.REBUT) in pairs and (
        "Four-days",
        "Five-days",
        ConflictKind.REBUT,
    ) in pairs
    assert len(doc.conflicts) == 5


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("[Open: text\n", 1, 1),
        ("[A]: a\n\n  + [B: b\n", 3, 5),
        ("+ orphan relation\n", 1, 1),
        ("<A>\n\n(1) p\n----\n", 4, 1),
        ("text /* never closed\n\nmore\n", 1, 6),
        ("<A>\n\n(1) p\n--\nrule without end\n", 4, 1),
    ],
)
def test_errors_name_line_and_column(text: str, line: int, column: int) -> None:
    with pytest.raises(FormatError) as err:
        argdown.import_(text.encode())
    assert err.value.location == f"line {line}, column {column}"


def _sample() -> MapDocument:
    return MapDocument(
        title="Sample map",
        authors=[Author(id="a1", name="Ana Ruiz")],
        statements=[
            Statement(id="c", text="Cities need trees #really {not data}", title="Trees", author="a1", tags=["green"]),
            Statement(id="p1", text="Shade cools // streets [a] <b>.", kind=StatementKind.PREMISE, base_score=0.7),
            Statement(id="p2", text="Cool streets save lives."),
            Statement(id="x", text="Roots break pipes."),
        ],
        inferences=[Inference(id="i1", premises=["p1", "p2"], conclusion="c", scheme="Causal")],
        conflicts=[
            Conflict(id="k1", attacker="x", target="c"),
            Conflict(id="k2", attacker="x", target="i1", kind=ConflictKind.UNDERCUT),
        ],
    )


def test_export_round_trip_keeps_texts_structure_and_data() -> None:
    doc = _sample()
    back = argdown.import_(argdown.export(doc).data).document
    assert validate(back) == []
    assert back.title == doc.title
    # author ids do not travel (Argdown data holds the name), everything else does
    names = {a.id: a.name for a in back.authors}
    assert [s.author and names[s.author] for s in back.statements] == ["Ana Ruiz", None, None, None]
    assert [msgspec.structs.replace(s, author=None) for s in back.statements] == [
        msgspec.structs.replace(s, author=None) for s in doc.statements
    ]
    assert [(i.id, i.premises, i.conclusion, i.scheme) for i in back.inferences] == [
        (i.id, i.premises, i.conclusion, i.scheme) for i in doc.inferences
    ]
    assert {(c.attacker, c.target, c.kind == ConflictKind.UNDERCUT) for c in back.conflicts} == {
        (c.attacker, c.target, c.kind == ConflictKind.UNDERCUT) for c in doc.conflicts
    }


def test_official_cli_reads_our_export(tmp_path: Path) -> None:
    cli = argdown_cli()
    doc = _sample()
    src = tmp_path / "map.argdown"
    src.write_bytes(argdown.export(doc).data)
    out = tmp_path / "out"
    proc = subprocess.run([*cli, "json", str(src), str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads((out / "map.json").read_text())
    assert set(data["statements"]) == {s.id for s in doc.statements}
    assert data["statements"]["x"]["members"][0]["text"].strip() == "Roots break pipes."
    (arg,) = data["arguments"].values()
    roles = [m["role"] for m in arg["pcs"]]
    assert roles == ["premise", "premise", "main-conclusion"]
    kinds = sorted((r["relationType"], r["from"], r["to"]) for r in data["relations"])
    assert kinds == [("attack", "x", "c"), ("undercut", "x", "i1")]
