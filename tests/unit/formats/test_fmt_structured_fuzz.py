"""Structure-aware random input for the other importers (Kialo text, AIF/SADFace JSON,
Microtexts XML): a valid map or a FormatError, never another exception."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain import formats
from service.domain.formats.base import FormatError
from service.domain.validation import validate

SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(data: bytes, fmt: str) -> None:
    try:
        doc = formats.import_(data, fmt).document
    except FormatError as e:
        assert e.message
        return
    assert validate(doc) == []


number = st.lists(st.integers(1, 3), min_size=1, max_size=4).map(lambda xs: ".".join(map(str, xs)) + ".")
kialo_line = st.one_of(
    st.builds(lambda n, side, t: f"{n} {side}: {t}", number, st.sampled_from(["Pro", "Con", "Bogus"]), st.sampled_from(["a claim", "", "x"])),
    st.builds(lambda n, side, m: f"{n} {side}: -> See {m}", number, st.sampled_from(["Pro", "Con"]), number),
    st.sampled_from(["1. The thesis", "", "Discussion Title: T", "garbage line"]),
)


@SETTINGS
@given(st.lists(kialo_line, max_size=12))
def test_kialo_shaped_input(lines: list[str]) -> None:
    check(("Discussion Title: Test\n\n" + "\n".join(lines)).encode(), "kialo")


node_id = st.one_of(st.integers(1, 6), st.sampled_from(["1", "2", "3", "x y", ""]))
aif_node = st.fixed_dictionaries(
    {"nodeID": node_id, "type": st.sampled_from(["I", "RA", "CA", "MA", "PA", "L", "YA", "TA", "??"])},
    optional={"text": st.sampled_from(["a", "", "RA", "CA"]), "scheme": st.sampled_from(["Default Inference", "x"])},
)
aif_edge = st.fixed_dictionaries({"edgeID": node_id, "fromID": node_id, "toID": node_id})
aif_loc = st.fixed_dictionaries({"nodeID": node_id, "personID": st.integers(0, 3)})


@SETTINGS
@given(st.lists(aif_node, max_size=8), st.lists(aif_edge, max_size=10), st.lists(aif_loc, max_size=3))
def test_aif_shaped_input(nodes: list[dict[str, object]], edges: list[dict[str, object]], locs: list[dict[str, object]]) -> None:
    check(json.dumps({"nodes": nodes, "edges": edges, "locutions": locs}).encode(), "aif")


sad_node = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "c", "d"]), "type": st.sampled_from(["atom", "scheme", "inference", "conflict", "x"])},
    optional={"text": st.sampled_from(["t", ""]), "name": st.sampled_from(["support", "attack", "x"])},
)
sad_edge = st.fixed_dictionaries(
    {"id": st.sampled_from(["e1", "e2", "e3"]), "source_id": st.sampled_from(["a", "b", "c", "d", "z"]), "target_id": st.sampled_from(["a", "b", "c", "d", "z"])}
)


@SETTINGS
@given(st.lists(sad_node, max_size=6), st.lists(sad_edge, max_size=6), st.sampled_from(["0.2", "0.5", "9"]))
def test_sadface_shaped_input(nodes: list[dict[str, object]], edges: list[dict[str, object]], version: str) -> None:
    doc = {"metadata": {"core": {"version": version}}, "nodes": nodes, "edges": edges, "resources": []}
    check(json.dumps(doc).encode(), "sadface")


ids = st.sampled_from(["e1", "e2", "a1", "a2", "c1", "c2", "c3", "zz"])
mt_edge = st.builds(
    lambda i, s, t, k: f'<edge id="{i}" src="{s}" trg="{t}" type="{k}"/>',
    st.sampled_from(["c1", "c2", "c3", "c4"]), ids, ids, st.sampled_from(["seg", "sup", "exa", "reb", "und", "add", "x"]),
)


@SETTINGS
@given(st.lists(mt_edge, max_size=6), st.sampled_from(["pro", "opp", "x"]))
def test_microtexts_shaped_input(edges: list[str], adu_type: str) -> None:
    xml = (
        '<?xml version="1.0"?><arggraph id="t">'
        '<edu id="e1">One.</edu><edu id="e2">Two.</edu>'
        f'<adu id="a1" type="pro"/><adu id="a2" type="{adu_type}"/>'
        + "".join(edges)
        + "</arggraph>"
    )
    check(xml.encode(), "microtexts")
