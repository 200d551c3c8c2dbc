"""SVG export: well-formed, escaped, every statement drawn, relations told apart by line
style, arrowhead and label."""

import sys
from pathlib import Path

# the sample maps and PNG reader are shared with the browser tests
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "browser"))
import re

import defusedxml.ElementTree as DET
import viewer_fixtures as vf

from service.domain.formats import svg

NS = "{http://www.w3.org/2000/svg}"


def _parse(data: bytes):
    return DET.fromstring(data)


def _texts(root) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def test_svg_is_wellformed_and_draws_every_statement():
    doc = vf.debate_map()
    out = svg.export(doc)
    assert out.media_type == "image/svg+xml" and out.extension == "svg"
    root = _parse(out.data)
    assert root.tag == f"{NS}svg" and "DejaVu Sans" in root.get("font-family")
    ids = {g.get("data-id") for g in root.iter(f"{NS}g") if g.get("data-id")}
    assert {s.id for s in doc.statements} <= ids
    assert "i2" in ids  # the linked argument's junction
    # every statement's full text survives, at least in its tooltip
    titles = {"".join(t.itertext()) for t in root.iter(f"{NS}title")}
    for s in doc.statements:
        assert any(s.text in t for t in titles)
    assert any("equivalence" in w for w in out.warnings)


def test_relations_differ_by_style_marker_and_label():
    root = _parse(svg.export(vf.debate_map()).data)
    styles: dict[str, set[tuple[str | None, str | None]]] = {}
    for path in root.iter(f"{NS}path"):
        if path.get("marker-end"):
            styles.setdefault(path.get("marker-end"), set()).add((path.get("stroke-dasharray"), path.get("stroke")))
    assert set(styles) == {"url(#m-sup)", "url(#m-obj)", "url(#m-und)"}
    dashes = {next(iter(v))[0] for v in styles.values()}
    assert len(dashes) == 3  # solid, dashed, dotted
    texts = _texts(root)
    assert texts.count("supports") >= 5 and texts.count("objects") >= 3 and texts.count("undercuts") >= 2


def test_hostile_text_stays_text():
    doc = vf.hostile_map()
    data = svg.export(doc).data
    root = _parse(data)
    tags = {el.tag for el in root.iter()}
    assert tags <= {
        f"{NS}{t}" for t in ("svg", "title", "defs", "marker", "path", "circle", "rect", "text", "tspan", "g")
    }
    for el in root.iter():
        assert not any(k.lower().startswith("on") for k in el.attrib), el.attrib
    texts = "\n".join(_texts(root)) + "\n".join("".join(t.itertext()) for t in root.iter(f"{NS}title"))
    assert "<script>window.__pwned=1</script>" in texts
    assert '"><img src=x onerror="window.__pwned=1">' in texts
    assert "<svg onload=window.__pwned=1>" in texts
    assert b"<script" not in data and b"<img" not in data


def test_control_characters_do_not_break_the_xml():
    from service.domain.graph import MapDocument, Statement

    doc = MapDocument(title="t\x01", statements=[Statement(id="a", text="bell\x07 lone\ud800 ok")])
    root = _parse(svg.export(doc).data)
    assert any("bell\ufffd" in t for t in _texts(root))


def test_large_map_is_fast_enough_to_lay_out():
    import time

    from service.domain.graph import Inference, MapDocument, Statement

    n = 400
    doc = MapDocument(
        title="big",
        statements=[Statement(id=f"s{k}", text=f"statement number {k} " * 3) for k in range(n)],
        inferences=[Inference(id=f"i{k}", premises=[f"s{k}"], conclusion=f"s{(k - 1) // 3}") for k in range(1, n)],
    )
    t0 = time.perf_counter()
    data = svg.export(doc).data
    assert time.perf_counter() - t0 < 2.0
    assert len(re.findall(rb'data-id="s\d+"', data)) == n
