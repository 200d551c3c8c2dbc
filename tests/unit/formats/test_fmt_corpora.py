"""Every real corpus file imports, with counts computed independently from the source file."""

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from service.domain import formats
from service.domain.formats.base import FormatError
from service.domain.graph import ConflictKind
from service.domain.validation import validate

# tests/unit/formats/<file> -> parents[3] is the project root; shared/ sits next to it
CORPORA = Path(__file__).resolve().parents[3].parent / "shared" / "corpora"


def _files(folder: str, pattern: str) -> list[Path]:
    return sorted((CORPORA / folder).glob(pattern)) if (CORPORA / folder).is_dir() else []


def _cases(found: list[Any], width: int = 1) -> list[Any]:
    """The corpus files to run on, or one case that skips and says why when there are
    none (a bare empty parameter set would only say "got empty parameter set")."""
    if found:
        return found
    reason = f"shared corpora not present at {CORPORA} (or this folder of them is empty)"
    return [pytest.param(*([None] * width), marks=pytest.mark.skip(reason=reason), id="corpus-absent")]


def _need(path: Path | None = None) -> None:
    if not CORPORA.is_dir():
        pytest.skip(f"shared corpora not present at {CORPORA}")


@pytest.mark.parametrize("path", _cases(_files("aif", "*.json") + _files("ova", "ova3_*.json")), ids=lambda p: p.name)
def test_aif_and_ova_files(path: Path) -> None:
    _need()
    raw = json.loads(path.read_bytes())
    types = {str(n["nodeID"]): n["type"] for n in raw["nodes"]}
    doc = formats.import_(path.read_bytes(), "aif").document
    assert validate(doc) == []
    counts = Counter(types.values())
    assert len(doc.statements) == counts["I"]
    assert len(doc.inferences) == counts["RA"]
    assert len(doc.conflicts) == counts["CA"]
    assert len(doc.equivalences) == counts["MA"]
    ca_on_ra = {
        str(e["fromID"])
        for e in raw["edges"]
        if types.get(str(e["fromID"])) == "CA" and types.get(str(e["toID"])) == "RA"
    }
    assert sum(c.kind == ConflictKind.UNDERCUT for c in doc.conflicts) == len(ca_on_ra)
    out = {}
    for e in raw["edges"]:
        out.setdefault(str(e["fromID"]), set()).add(str(e["toID"]))
    anchoring = {
        lid
        for lid, t in types.items()
        if t == "L"
        and any(types.get(y) == "YA" and any(types.get(i) == "I" for i in out.get(y, ())) for y in out.get(lid, ()))
    }
    speakers = {str(loc["personID"]) for loc in raw.get("locutions", []) if str(loc["nodeID"]) in anchoring}
    assert len(doc.authors) == len(speakers)


@pytest.mark.parametrize("path", _cases(_files("ova", "aifdb_formedges_*.json")), ids=lambda p: p.name)
def test_scheme_descriptions_are_not_maps(path: Path) -> None:
    _need()
    with pytest.raises(FormatError, match="nodes"):
        formats.import_(path.read_bytes(), "aif")


@pytest.mark.parametrize("path", _cases(_files("microtexts", "*/*.xml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_microtexts(path: Path) -> None:
    _need()
    root = ET.fromstring(path.read_bytes())
    edges = {e.get("id"): (e.get("src"), e.get("trg"), e.get("type")) for e in root.iter("edge")}

    def base(eid: str) -> str:
        while edges[eid][2] == "add":
            eid = edges[eid][1]
        return eid

    n_sup = sum(1 for e in edges.values() if e[2] in ("sup", "exa"))
    n_att = sum(1 for e in edges.values() if e[2] in ("reb", "und"))
    n_add_att = sum(1 for e in edges.values() if e[2] == "add" and edges[base(e[1])][2] in ("reb", "und"))
    n_add_sup = sum(1 for e in edges.values() if e[2] == "add" and edges[base(e[1])][2] in ("sup", "exa"))
    doc = formats.import_(path.read_bytes(), "microtexts").document
    assert validate(doc) == []
    assert len(doc.statements) == len(root.findall("adu"))
    assert len(doc.inferences) == n_sup
    assert sum(len(i.premises) for i in doc.inferences) == n_sup + n_add_sup
    assert len(doc.conflicts) == n_att + n_add_att
    txt = path.with_suffix(".txt")
    if txt.exists():
        joined = " ".join(s.text for s in doc.statements)
        assert sorted(joined.split()) == sorted(txt.read_text(encoding="utf-8").split())


@pytest.mark.parametrize("path", _cases(_files("kialo", "*.txt")), ids=lambda p: p.name)
def test_kialo(path: Path) -> None:
    _need()
    lines = path.read_text(encoding="utf-8").splitlines()
    numbered = [ln for ln in lines if re.match(r"^(\d+\.)+ ", ln)]
    refs = [ln for ln in numbered if "-> See" in ln]
    doc = formats.import_(path.read_bytes(), "kialo").document
    assert validate(doc) == []
    assert len(doc.statements) == len(numbered) - len(refs)
    assert len(doc.inferences) == sum(" Pro: " in ln for ln in numbered)
    assert len(doc.conflicts) == sum(" Con: " in ln for ln in numbered)


@pytest.mark.parametrize("path", _cases(_files("sadface", "*.json")), ids=lambda p: p.name)
def test_sadface(path: Path) -> None:
    _need()
    raw = json.loads(path.read_bytes())
    kinds = Counter(n["type"] if n["type"] != "scheme" else n.get("name") for n in raw["nodes"])
    doc = formats.import_(path.read_bytes(), "sadface").document
    assert validate(doc) == []
    assert len(doc.statements) == kinds["atom"]
    assert len(doc.inferences) + len(doc.conflicts) == sum(v for k, v in kinds.items() if k != "atom")
    assert len(doc.conflicts) == kinds["conflict"]


def _argdown_pairs() -> list[tuple[Path, Path]]:
    out = []
    for j in _files("argdown", "json/*.json"):
        out.append((CORPORA / "argdown" / (j.stem + ".argdown"), j))
    for j in _files("argdown", "mini/*.json"):
        out.append((j.with_suffix(".argdown"), j))
    return out


@pytest.mark.parametrize(("src", "exported"), _cases(_argdown_pairs(), 2), ids=lambda p: p.name)
def test_argdown_matches_official_cli_export(src: Path, exported: Path) -> None:
    _need()
    j = json.loads(exported.read_bytes())
    args = j["arguments"]
    sketched = {t for t, a in args.items() if not a.get("pcs")}
    steps = sum(
        sum(m.get("role") in ("main-conclusion", "intermediary-conclusion") for m in a["pcs"]) for a in args.values()
    )
    rel = Counter(r["relationType"] for r in j["relations"])
    # an undercut needs an inference: a PCS, or a sketched argument with an outgoing support
    has_inference = {t for t, a in args.items() if a.get("pcs")} | {
        r["from"] for r in j["relations"] if r["relationType"] in ("support", "entails") and r["fromType"] == "argument"
    }
    undercuts = sum(1 for r in j["relations"] if r["relationType"] == "undercut" and r["to"] in has_inference)
    doc = formats.import_(src.read_bytes(), "argdown").document
    assert validate(doc) == []
    assert len(doc.statements) == len(j["statements"]) + len(sketched)
    assert {s.title or s.id for s in doc.statements if not s.id.startswith("Untitled-")} == {
        t for t in [*j["statements"], *sketched] if not t.startswith("Untitled ")
    }
    assert len(doc.inferences) == steps + rel["support"] + rel["entails"]
    assert len(doc.conflicts) == rel["attack"] + rel["contrary"] + 2 * rel["contradictory"] + rel["undercut"]
    assert sum(c.kind == ConflictKind.UNDERCUT for c in doc.conflicts) == undercuts


@pytest.mark.parametrize(
    "path", _cases(_files("argdown", "*.argdown") + _files("argdown", "mini/*.argdown")), ids=lambda p: p.name
)
def test_every_argdown_file_imports(path: Path) -> None:
    _need()
    doc = formats.import_(path.read_bytes()).document  # sniffed
    assert validate(doc) == []
