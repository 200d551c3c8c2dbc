"""AIF import: the column-wise fast paths agree with the general node-by-node paths.

The importer takes shortcuts when every node id is valid, no relation node has a second
edge in or out, no MA node is present and every edge end names a node. Each test below
imports a random map once as is (shortcuts taken) and once with a bystander that changes
nothing about the argument but forces one general path, and expects the same document.
"""

import json
import random
from collections.abc import Sequence
from typing import Any

import pytest

from service.domain.formats import aif, native
from service.domain.graph import ConflictKind

Node = dict[str, Any]
Edge = dict[str, Any]


def _random_aif(seed: int) -> dict[str, Any]:
    """Single-edge relations over valid ids, including the shapes that end in a warning
    (missing ends, an inference concluding its own premise, a self-attack)."""
    rnd = random.Random(seed)
    n_i = rnd.randint(2, 30)
    nodes: list[Node] = [
        {"nodeID": f"i{k}", "type": "I", "text": rnd.choice([f"Claim {k}", f"  Padded {k} ", f"Same {k % 3}"])}
        for k in range(n_i)
    ]
    edges: list[Edge] = []
    ras: list[str] = []

    def i_node() -> str:
        return f"i{rnd.randrange(n_i)}"

    for k in range(rnd.randint(0, 25)):
        rid = f"ra{k}"
        node: Node = {"nodeID": rid, "type": "RA", "text": rnd.choice(["Default Inference", "Expert opinion", "RA"])}
        if rnd.random() < 0.2:
            node["scheme"] = rnd.choice(["Argument from Sign", "", "  spaced   name "])
        nodes.append(node)
        ras.append(rid)
        premise = i_node()
        conclusion = premise if rnd.random() < 0.05 else i_node()
        if rnd.random() > 0.05:
            edges.append({"fromID": premise, "toID": rid})
        if rnd.random() > 0.05:
            edges.append({"fromID": rid, "toID": conclusion})
    for k in range(rnd.randint(0, 15)):
        cid = f"ca{k}"
        nodes.append({"nodeID": cid, "type": "CA", "text": "Default Conflict"})
        attacker = i_node()
        undercut = bool(ras) and rnd.random() < 0.3
        target = rnd.choice(ras) if undercut else (attacker if rnd.random() < 0.05 else i_node())
        if rnd.random() > 0.05:
            edges.append({"fromID": attacker, "toID": cid})
        if rnd.random() > 0.05:
            edges.append({"fromID": cid, "toID": target})
    rnd.shuffle(nodes)
    rnd.shuffle(edges)
    return {"nodes": nodes, "edges": edges}


def _import(doc: dict[str, Any]) -> tuple[bytes, list[str]]:
    result = aif.import_(json.dumps(doc).encode())
    return native.encode(result.document), result.warnings


def _with(doc: dict[str, Any], nodes: Sequence[Node] = (), edges: Sequence[Edge] = ()) -> dict[str, Any]:
    return {"nodes": [*doc["nodes"], *nodes], "edges": [*doc["edges"], *edges]}


SEEDS = range(60)


def test_the_random_maps_reach_every_outcome() -> None:
    # the comparisons below only mean something if the maps produce all of these
    kinds: set[ConflictKind] = set()
    warnings: list[str] = []
    inferences = 0
    for seed in SEEDS:
        result = aif.import_(json.dumps(_random_aif(seed)).encode())
        kinds.update(c.kind for c in result.document.conflicts)
        inferences += len(result.document.inferences)
        warnings += result.warnings
    assert kinds == set(ConflictKind)
    assert inferences > 100
    assert any("concludes its own premise" in w for w in warnings)
    assert any("needs a premise and a conclusion" in w for w in warnings)
    assert any("needs an attacking I node" in w for w in warnings)


@pytest.mark.parametrize("seed", SEEDS)
def test_invalid_bystander_id_gives_the_same_map(seed: int) -> None:
    # one invalid node id anywhere turns off every shortcut that trusts node ids
    doc = _random_aif(seed)
    fast, fast_warnings = _import(doc)
    for odd_id in ("not valid!", "two\nlines"):
        slow, slow_warnings = _import(_with(doc, nodes=[{"nodeID": odd_id, "type": "TA"}]))
        assert slow == fast
        assert [w for w in slow_warnings if not w.startswith("skipped nodes")] == [
            w for w in fast_warnings if not w.startswith("skipped nodes")
        ]
        assert slow_warnings[-1].endswith("1 TA")


@pytest.mark.parametrize("seed", SEEDS)
def test_unconnected_ma_node_gives_the_same_map(seed: int) -> None:
    # an MA node sends the CA nodes through the general loop (MA and CA ids are taken in node order)
    doc = _random_aif(seed)
    fast, fast_warnings = _import(doc)
    slow, slow_warnings = _import(_with(doc, nodes=[{"nodeID": "zz-ma", "type": "MA", "text": "Default Rephrase"}]))
    assert slow == fast
    assert slow_warnings == [*fast_warnings, "MA node zz-ma: needs two distinct I nodes, skipped"]


@pytest.mark.parametrize("seed", SEEDS)
def test_dangling_edge_gives_the_same_map(seed: int) -> None:
    # an edge end naming no node makes the edge lookup fall back to the careful road
    doc = _random_aif(seed)
    fast, fast_warnings = _import(doc)
    slow, slow_warnings = _import(_with(doc, edges=[{"fromID": "nowhere", "toID": doc["nodes"][0]["nodeID"]}]))
    assert slow == fast
    assert slow_warnings == ["1 edges point at missing nodes and were skipped", *fast_warnings]


@pytest.mark.parametrize("seed", SEEDS)
def test_linked_bystander_inference_leaves_the_rest_unchanged(seed: int) -> None:
    # an RA node with two premises sends every RA node through the general loop
    doc = _random_aif(seed)
    fast = aif.import_(json.dumps(doc).encode())
    extra = [
        {"nodeID": "zz-p1", "type": "I", "text": "Extra premise one"},
        {"nodeID": "zz-p2", "type": "I", "text": "Extra premise two"},
        {"nodeID": "zz-c", "type": "I", "text": "Extra conclusion"},
        {"nodeID": "zz-ra", "type": "RA", "text": "Default Inference"},
    ]
    links = [
        {"fromID": "zz-p1", "toID": "zz-ra"},
        {"fromID": "zz-p2", "toID": "zz-ra"},
        {"fromID": "zz-ra", "toID": "zz-c"},
    ]
    slow = aif.import_(json.dumps(_with(doc, nodes=extra, edges=links)).encode())
    assert slow.warnings == fast.warnings
    (linked,) = [i for i in slow.document.inferences if i.id == "zz-ra"]
    assert (linked.premises, linked.conclusion) == (["zz-p1", "zz-p2"], "zz-c")
    assert [i for i in slow.document.inferences if i.id != "zz-ra"] == fast.document.inferences
    assert slow.document.conflicts == fast.document.conflicts
    assert [s for s in slow.document.statements if not s.id.startswith("zz-")] == fast.document.statements


# ---- the paired layout (I nodes, then one relation node after another with its two edges)


def _paired_aif(seed: int) -> dict[str, Any]:
    """A file in the layout AIF exporters write, with the faults the general path
    reports mixed in now and then (blank and over-long texts, self-loops, a conflict
    aimed at a conflict, an edge from a relation node, a repeated id)."""
    rnd = random.Random(seed)
    faulty = rnd.random() < 0.5
    n_i = rnd.randint(2, 20)
    nodes: list[Node] = [{"nodeID": f"i{k}", "type": "I", "text": f" Claim {k} "} for k in range(n_i)]
    edges: list[Edge] = []
    rel: list[str] = []
    for k in range(rnd.randint(1, 25)):
        ra = rnd.random() < 0.7 or not rel
        rid = f"{'ra' if ra else 'ca'}{k}"
        x = f"i{rnd.randrange(n_i)}"
        y = rnd.choice([f"i{j}" for j in range(n_i) if f"i{j}" != x])
        if not ra and rnd.random() < 0.3:
            # an undercut; aimed at another conflict only in a faulty file
            y = rnd.choice(rel if faulty else [r for r in rel if r.startswith("ra")])
        if faulty and rnd.random() < 0.08:
            y = x
        if faulty and rnd.random() < 0.05:
            x = rnd.choice(rel) if rel else x
        nodes.append({"nodeID": rid, "type": "RA" if ra else "CA", "text": "Default Inference" if ra else "Default Conflict"})
        rel.append(rid)
        edges += [{"fromID": x, "toID": rid}, {"fromID": rid, "toID": y}]
    if faulty:
        victim = nodes[rnd.randrange(n_i)]
        victim["text"] = rnd.choice(["   ", "x" * 20_001, "fine text", victim["text"]])
        if rnd.random() < 0.1:
            nodes.append({"nodeID": "i0", "type": "I", "text": "A second i0"})
    return {"nodes": nodes, "edges": edges}


def _outcome(doc: dict[str, Any]) -> tuple[bytes, list[str]] | str:
    try:
        return _import(doc)
    except aif.FormatError as e:
        return str(e)


@pytest.mark.parametrize("seed", range(200))
def test_paired_layout_gives_what_the_general_path_gives(seed: int) -> None:
    doc = _paired_aif(seed)
    shuffled = {"nodes": doc["nodes"], "edges": random.Random(seed).sample(doc["edges"], len(doc["edges"]))}
    if shuffled["edges"] == doc["edges"]:
        shuffled["edges"] = doc["edges"][::-1]
    assert _outcome(doc) == _outcome(shuffled)


def test_paired_layout_takes_the_shortcut_when_nothing_is_wrong() -> None:
    # without this, the comparison above could pass with the shortcut never taken
    clean = [seed for seed in range(200) if random.Random(seed).random() >= 0.5]
    assert len(clean) > 50
    for seed in clean:
        data = json.dumps(_paired_aif(seed)).encode()
        assert aif._paired_import(aif._decoder.decode(data)) is not None, seed
