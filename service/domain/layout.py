"""Layered (Sugiyama-style) graph layout and text wrapping for the static map pictures.

What this module owns: placing boxes of known size on layers so that every edge points
from an upper node to a lower one, edges cross as little as cheaply possible, and no two
boxes overlap. It knows nothing about arguments: callers pass generic nodes and edges
(`formats/svg.py` passes statements, with conclusions above their reasons).

Why our own instead of grandalf: grandalf's pure-Python crossing reduction is far too
slow at 2,000 statements for the 2-second budget of an SVG export, and we need only the
classic steps: cycle breaking by DFS, longest-path layering, dummy nodes on long edges,
barycentre ordering sweeps kept only while they cut crossings, and a coordinate pass that
pulls nodes towards their neighbours under non-overlap constraints (solved exactly per
layer with pool-adjacent-violators isotonic regression).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

# Advance widths of DejaVu Sans in em, coarsely bucketed: enough to wrap text so that it
# stays inside its box, which is all the picture needs (we err on the wide side).
_NARROW: Final = frozenset("ijlI.,:;'!|`")
_SEMI: Final = frozenset('ftr()[]{}"-/ ')
_WIDE: Final = frozenset("mwMWÆŒæœ@%")


def char_width(ch: str, font_size: float) -> float:
    if ch in _NARROW:
        return 0.32 * font_size
    if ch in _SEMI:
        return 0.42 * font_size
    if ch in _WIDE:
        return 1.02 * font_size
    if ch.isupper():
        return 0.76 * font_size
    if ch.isdigit():
        return 0.66 * font_size
    if ch.isascii():
        return 0.62 * font_size
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.05 * font_size
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    return 0.72 * font_size


def text_width(text: str, font_size: float) -> float:
    return sum(char_width(ch, font_size) for ch in text)


def fit_text(text: str, width: float, font_size: float) -> str:
    """`text` on one line, cut with an ellipsis when it is wider than `width` px."""
    if text_width(text, font_size) <= width:
        return text
    room = width - char_width("…", font_size)
    out: list[str] = []
    used = 0.0
    for ch in text:
        used += char_width(ch, font_size)
        if used > room:
            break
        out.append(ch)
    return "".join(out).rstrip() + "…"


def wrap_text(text: str, width: float, font_size: float, max_lines: int | None = None) -> list[str]:
    """Greedy word wrap into lines no wider than `width` px; words longer than a line are
    split. With `max_lines`, the last kept line ends in an ellipsis when text was cut."""
    lines: list[str] = []
    current = ""
    current_w = 0.0
    space = char_width(" ", font_size)
    limit = None if max_lines is None else max_lines + 1  # one extra tells us we cut
    for word in text.split():
        w = text_width(word, font_size)
        if current and current_w + space + w <= width:
            current += " " + word
            current_w += space + w
            continue
        if current:
            lines.append(current)
            current, current_w = "", 0.0
        if w <= width:
            current, current_w = word, w
        else:
            piece, piece_w = "", 0.0
            for ch in word:
                cw = char_width(ch, font_size)
                if piece and piece_w + cw > width:
                    lines.append(piece)
                    piece, piece_w = "", 0.0
                    if limit is not None and len(lines) >= limit:
                        break
                piece += ch
                piece_w += cw
            current, current_w = piece, piece_w
        if limit is not None and len(lines) >= limit:
            break
    if current and (limit is None or len(lines) < limit):
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        ell = char_width("…", font_size)
        while last and text_width(last, font_size) + ell > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines or [""]


@dataclass(frozen=True, slots=True)
class LayoutNode:
    id: str
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class LayoutEdge:
    """`upper` is drawn above `lower` (for argument maps: the conclusion above its reason)."""

    upper: str
    lower: str
    key: str = ""


@dataclass(slots=True)
class PlacedNode:
    id: str
    x: float  # left
    y: float  # top
    width: float
    height: float
    layer: int

    @property
    def cx(self) -> float:
        return self.x + self.width / 2


@dataclass(slots=True)
class Route:
    edge: LayoutEdge
    points: list[tuple[float, float]]  # from the `lower` node to the `upper` node: arrowheads go last
    reversed: bool = False  # the edge had to point upwards to break a cycle


@dataclass(slots=True)
class Layout:
    width: float
    height: float
    nodes: dict[str, PlacedNode] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    crossings: int = 0


def _count_crossings(upper_pos: dict[int, int], edges: list[tuple[int, int]], lower_pos: dict[int, int]) -> int:
    """Crossings between two adjacent layers: inversions of the lower endpoints once edges
    are sorted by their upper endpoint (Fenwick tree, O(E log V))."""
    if len(edges) < 2:
        return 0
    pairs = sorted((upper_pos[u], lower_pos[v]) for u, v in edges)
    size = max(p for _, p in pairs) + 2
    tree = [0] * (size + 1)
    crossings = 0
    for seen, (_, p) in enumerate(pairs):
        # count earlier edges whose lower endpoint is strictly right of p
        i = p + 1
        le = 0
        while i > 0:
            le += tree[i]
            i -= i & -i
        crossings += seen - le
        i = p + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return crossings


def _isotonic(targets: list[float]) -> list[float]:
    """Least-squares non-decreasing fit (pool adjacent violators)."""
    sums: list[float] = []
    counts: list[int] = []
    for t in targets:
        sums.append(t)
        counts.append(1)
        while len(sums) > 1 and sums[-2] / counts[-2] > sums[-1] / counts[-1]:
            s, c = sums.pop(), counts.pop()
            sums[-1] += s
            counts[-1] += c
    out: list[float] = []
    for s, c in zip(sums, counts, strict=True):
        out.extend([s / c] * c)
    return out


def layered_layout(
    nodes: Sequence[LayoutNode],
    edges: Sequence[LayoutEdge],
    *,
    h_gap: float = 28.0,
    v_gap: float = 64.0,
    margin: float = 24.0,
    sweeps: int = 6,
) -> Layout:
    """Place `nodes` on layers so that each edge runs from an upper to a lower node.

    Deterministic: the same input gives the same picture (node order breaks ties)."""
    ids = [n.id for n in nodes]
    index = {nid: k for k, nid in enumerate(ids)}
    if len(index) != len(ids):
        raise ValueError("node ids must be unique")
    n_real = len(ids)
    widths = [n.width for n in nodes]
    heights = [n.height for n in nodes]

    # ---- the DAG: drop self-loops and duplicates, reverse the back edges of a DFS ----
    out_adj: list[list[int]] = [[] for _ in range(n_real)]
    edge_list: list[tuple[int, int, LayoutEdge]] = []
    seen_pairs: set[tuple[int, int]] = set()
    for e in edges:
        if e.upper not in index or e.lower not in index:
            raise ValueError(f"edge {e.upper!r} -> {e.lower!r} names an unknown node")
        u, v = index[e.upper], index[e.lower]
        if u == v:
            continue
        edge_list.append((u, v, e))
        if (u, v) not in seen_pairs:
            seen_pairs.add((u, v))
            out_adj[u].append(v)
    indeg = [0] * n_real
    for u in range(n_real):
        for v in out_adj[u]:
            indeg[v] += 1
    state = [0] * n_real  # 0 new, 1 on the DFS stack, 2 done
    back: set[tuple[int, int]] = set()
    dfs_order: list[int] = []
    starts = [u for u in range(n_real) if indeg[u] == 0] + list(range(n_real))
    for s in starts:
        if state[s]:
            continue
        state[s] = 1
        dfs_order.append(s)
        stack: list[tuple[int, int]] = [(s, 0)]
        while stack:
            u, i = stack[-1]
            if i < len(out_adj[u]):
                stack[-1] = (u, i + 1)
                v = out_adj[u][i]
                if state[v] == 1:
                    back.add((u, v))
                elif state[v] == 0:
                    state[v] = 1
                    dfs_order.append(v)
                    stack.append((v, 0))
            else:
                state[u] = 2
                stack.pop()
    dag: list[list[int]] = [[] for _ in range(n_real)]
    for u in range(n_real):
        for v in out_adj[u]:
            if (u, v) in back:
                if (v, u) not in seen_pairs:
                    dag[v].append(u)
            else:
                dag[u].append(v)

    # ---- longest-path layering from the sources ----
    indeg = [0] * n_real
    for u in range(n_real):
        for v in dag[u]:
            indeg[v] += 1
    layer = [0] * n_real
    queue = [u for u in range(n_real) if indeg[u] == 0]
    head = 0
    while head < len(queue):
        u = queue[head]
        head += 1
        for v in dag[u]:
            layer[v] = max(layer[v], layer[u] + 1)
            indeg[v] -= 1
            if indeg[v] == 0:
                queue.append(v)

    # ---- split long edges with dummy nodes (one per layer crossed) ----
    node_layer = list(layer)
    node_width = list(widths)
    down: list[list[int]] = [[] for _ in range(n_real)]  # adjacency of the proper layered graph
    chains: dict[tuple[int, int], list[int]] = {}
    for u in range(n_real):
        for v in dag[u]:
            chain = [u]
            for level in range(layer[u] + 1, layer[v]):
                node_layer.append(level)
                node_width.append(0.0)
                down.append([])
                chain.append(len(node_layer) - 1)
            chain.append(v)
            for a, b in itertools.pairwise(chain):
                down[a].append(b)
            chains[(u, v)] = chain
    total = len(node_layer)
    up: list[list[int]] = [[] for _ in range(total)]
    for a in range(total):
        for b in down[a]:
            up[b].append(a)

    n_layers = (max(node_layer) + 1) if total else 0
    layers: list[list[int]] = [[] for _ in range(n_layers)]
    # initial order: DFS discovery, so each subtree starts out contiguous
    rank = {u: k for k, u in enumerate(dfs_order)}
    for u in sorted(range(n_real), key=lambda x: rank[x]):
        layers[node_layer[u]].append(u)
    for (_u, _v), chain in sorted(chains.items(), key=lambda kv: (rank[kv[0][0]], rank[kv[0][1]])):
        for d in chain[1:-1]:
            layers[node_layer[d]].append(d)

    def positions() -> list[int]:
        pos = [0] * total
        for lay in layers:
            for k, u in enumerate(lay):
                pos[u] = k
        return pos

    def crossings_total(pos: list[int]) -> int:
        out = 0
        for li in range(n_layers - 1):
            es = [(a, b) for a in layers[li] for b in down[a]]
            out += _count_crossings({a: pos[a] for a in layers[li]}, es, {b: pos[b] for b in layers[li + 1]})
        return out

    # ---- barycentre sweeps, keeping the best ordering seen ----
    pos = positions()
    best = crossings_total(pos)
    best_layers = [list(lay) for lay in layers]
    for sweep in range(sweeps):
        if best == 0:
            break
        downward = sweep % 2 == 0
        order = range(1, n_layers) if downward else range(n_layers - 2, -1, -1)
        for li in order:
            lay = layers[li]

            def bary(u: int, downward: bool = downward) -> float:
                ns = up[u] if downward else down[u]
                if not ns:
                    return float(pos[u])
                return sum(pos[x] for x in ns) / len(ns)

            keyed = sorted(lay, key=lambda u: (bary(u), pos[u]))
            layers[li] = keyed
            for k, u in enumerate(keyed):
                pos[u] = k
        c = crossings_total(pos)
        if c < best:
            best = c
            best_layers = [list(lay) for lay in layers]
    layers = best_layers

    # ---- x coordinates: pull towards neighbours, never overlap ----
    xs = [0.0] * total
    for lay in layers:
        x = 0.0
        for k, u in enumerate(lay):
            if k:
                x += (node_width[lay[k - 1]] + node_width[u]) / 2 + h_gap
            xs[u] = x
    for it in range(8):
        downward = it % 2 == 0
        order = range(1, n_layers) if downward else range(n_layers - 2, -1, -1)
        for li in order:
            lay = layers[li]
            desired: list[float] = []
            for u in lay:
                ns = up[u] if downward else down[u]
                desired.append(sum(xs[x] for x in ns) / len(ns) if ns else xs[u])
            offsets = [0.0]
            for k in range(1, len(lay)):
                gap = h_gap if node_width[lay[k]] and node_width[lay[k - 1]] else h_gap / 2
                offsets.append(offsets[-1] + (node_width[lay[k - 1]] + node_width[lay[k]]) / 2 + gap)
            fitted = _isotonic([d - o for d, o in zip(desired, offsets, strict=True)])
            for u, f, o in zip(lay, fitted, offsets, strict=True):
                xs[u] = f + o
    left = min((xs[u] - node_width[u] / 2 for u in range(total)), default=0.0)
    shift = margin - left
    xs = [x + shift for x in xs]

    # ---- y coordinates: layers stacked, boxes top-aligned in their layer ----
    layer_top = [0.0] * n_layers
    layer_h = [0.0] * n_layers
    y = margin
    for li in range(n_layers):
        layer_top[li] = y
        layer_h[li] = max((heights[u] for u in layers[li] if u < n_real), default=0.0)
        y += layer_h[li] + v_gap
    height = (y - v_gap + margin) if n_layers else 2 * margin
    width = max((xs[u] + node_width[u] / 2 for u in range(total)), default=0.0) + margin

    result = Layout(width=width, height=height, crossings=best)
    for u in range(n_real):
        result.nodes[ids[u]] = PlacedNode(
            id=ids[u],
            x=xs[u] - widths[u] / 2,
            y=layer_top[layer[u]],
            width=widths[u],
            height=heights[u],
            layer=layer[u],
        )
    for u, v, e in edge_list:
        flipped = (u, v) in back
        a, b = (v, u) if flipped else (u, v)
        route_chain = chains.get((a, b))
        if route_chain is None:
            continue
        pts: list[tuple[float, float]] = [(xs[b], layer_top[layer[b]])]
        for d in reversed(route_chain[1:-1]):
            li = node_layer[d]
            pts.append((xs[d], layer_top[li] + layer_h[li]))
            pts.append((xs[d], layer_top[li]))
        pts.append((xs[a], layer_top[layer[a]] + heights[a]))
        if flipped:
            pts.reverse()
        result.routes.append(Route(edge=e, points=pts, reversed=flipped))
    _spread_ports(result)
    return result


def _spread_ports(result: Layout) -> None:
    """Several lines meeting one box get distinct anchor points along its edge, ordered by
    where they come from, so arrowheads do not pile up on a single pixel."""
    ends: dict[tuple[str, bool], list[tuple[float, Route]]] = {}
    for r in result.routes:
        if len(r.points) < 2:
            continue
        lower, upper = (r.edge.upper, r.edge.lower) if r.reversed else (r.edge.lower, r.edge.upper)
        ends.setdefault((lower, True), []).append((r.points[1][0], r))
        ends.setdefault((upper, False), []).append((r.points[-2][0], r))
    for (node_id, at_start), group in ends.items():
        if len(group) < 2:
            continue
        node = result.nodes[node_id]
        group.sort(key=lambda g: g[0])
        span = node.width * 0.6
        step = span / (len(group) - 1)
        for k, (_, r) in enumerate(group):
            x = node.x + node.width * 0.2 + k * step
            i = 0 if at_start else -1
            r.points[i] = (x, r.points[i][1])
