"""The layered layout: layers respect edges, boxes never overlap, cycles terminate,
text wraps inside its box."""

import itertools
import random

import pytest

from service.domain.layout import LayoutEdge, LayoutNode, fit_text, layered_layout, text_width, wrap_text


def _overlap(a, b) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def _random_graph(n: int, m: int, seed: int):
    rnd = random.Random(seed)
    nodes = [LayoutNode(f"n{k}", rnd.choice([80.0, 160.0, 240.0]), rnd.choice([30.0, 60.0, 110.0])) for k in range(n)]
    edges = [LayoutEdge(f"n{rnd.randrange(n)}", f"n{rnd.randrange(n)}") for _ in range(m)]
    return nodes, edges


@pytest.mark.parametrize("seed", range(5))
def test_no_overlaps_and_edges_point_down(seed):
    nodes, edges = _random_graph(60, 90, seed)
    lay = layered_layout(nodes, edges)
    placed = list(lay.nodes.values())
    assert len(placed) == 60
    for a, b in itertools.combinations(placed, 2):
        assert not _overlap(a, b), (a, b)
    for p in placed:
        assert p.x >= 0 and p.y >= 0 and p.x + p.width <= lay.width and p.y + p.height <= lay.height
    for r in lay.routes:
        up, low = lay.nodes[r.edge.upper], lay.nodes[r.edge.lower]
        if r.reversed:
            assert up.layer > low.layer  # a cycle-breaking edge points the other way
        else:
            assert up.layer < low.layer
        assert r.points[0][1] != r.points[-1][1]


def test_tree_has_no_crossings_and_children_under_parents():
    nodes = [LayoutNode(x, 100, 40) for x in ["r", "a", "b", "a1", "a2", "b1", "b2"]]
    edges = [LayoutEdge(u, v) for u, v in [("r", "b"), ("r", "a"), ("a", "a2"), ("b", "b1"), ("a", "a1"), ("b", "b2")]]
    lay = layered_layout(nodes, edges)
    assert lay.crossings == 0
    layers = {k: v.layer for k, v in lay.nodes.items()}
    assert layers == {"r": 0, "a": 1, "b": 1, "a1": 2, "a2": 2, "b1": 2, "b2": 2}
    a, b = lay.nodes["a"], lay.nodes["b"]
    left, right = (a, b) if a.x < b.x else (b, a)
    kids = {"a": ("a1", "a2"), "b": ("b1", "b2")}
    # grandchildren stay under their own parent: no interleaving
    assert max(lay.nodes[k].x for k in kids[left.id]) < min(lay.nodes[k].x for k in kids[right.id])


def test_long_edge_routes_around_layers_and_is_deterministic():
    nodes = [LayoutNode(x, 100, 40) for x in "abcd"]
    edges = [LayoutEdge("a", "b"), LayoutEdge("b", "c"), LayoutEdge("c", "d"), LayoutEdge("a", "d")]
    lay = layered_layout(nodes, edges)
    long = next(r for r in lay.routes if (r.edge.upper, r.edge.lower) == ("a", "d"))
    assert len(long.points) == 2 + 2 * 2  # through two dummy layers
    again = layered_layout(nodes, edges)
    assert [r.points for r in again.routes] == [r.points for r in lay.routes]


def test_cycles_and_self_loops_terminate():
    nodes = [LayoutNode(x, 50, 20) for x in "abc"]
    edges = [LayoutEdge("a", "b"), LayoutEdge("b", "c"), LayoutEdge("c", "a"), LayoutEdge("a", "a")]
    lay = layered_layout(nodes, edges)
    assert len({p.layer for p in lay.nodes.values()}) == 3
    assert sum(r.reversed for r in lay.routes) == 1
    with pytest.raises(ValueError):
        layered_layout(nodes, [LayoutEdge("a", "zz")])


def test_wrap_text_fits_and_cuts():
    text = "The quick brown fox jumps over the lazy dog " * 6
    lines = wrap_text(text, 150, 12)
    assert " ".join(lines) == text.strip()
    assert all(text_width(line, 12) <= 150 for line in lines)
    cut = wrap_text(text, 150, 12, max_lines=3)
    assert len(cut) == 3 and cut[-1].endswith("…")
    word = wrap_text("W" * 10_000, 200, 12, max_lines=4)
    assert len(word) == 4 and all(text_width(line, 12) <= 200 for line in word)
    assert fit_text("short", 100, 12) == "short"
    long = fit_text("x" * 200, 100, 12)
    assert long.endswith("…") and text_width(long, 12) <= 100
