"""The argument tree page: structure, references instead of loops, depth cuts, badges,
locators, and hostile text staying text."""

import sys
from pathlib import Path

# the sample maps and PNG reader are shared with the browser tests
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "browser"))
import re
from html.parser import HTMLParser

import pytest
import viewer_fixtures as vf

from service.domain.graph import (
    Author,
    Conflict,
    ConflictKind,
    Inference,
    MapDocument,
    Statement,
    StatementKind,
)
from service.web.viewer import ViewError, build_rows, render_view, static_dir


class Outline(HTMLParser):
    """Rebuilds the nesting of `li.node` items: (dom id, parent dom id, classes)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.items: dict[str, tuple[str | None, str]] = {}
        self.scripts: list[dict[str, str | None]] = []
        self.hrefs: list[str] = []
        self.handlers: list[str] = []
        self.open_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.handlers += [k for k in a if k.startswith("on")]
        if tag == "script":
            self.scripts.append(a)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag == "li":
            cls = a.get("class") or ""
            node_id = a.get("id") if "node" in cls.split() else None
            if node_id:
                parent = next((s for s in reversed(self.stack) if s), None)
                self.items[node_id] = (parent, cls)
            self.stack.append(node_id)

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self.stack.pop()


def outline(html: str) -> Outline:
    p = Outline()
    p.feed(html)
    p.close()
    assert p.stack == [], "unbalanced <li> nesting"
    return p


def test_tree_nests_reasons_objections_and_undercuts():
    doc = vf.debate_map()
    o = outline(render_view(doc))
    items = o.items
    # main claims at the top
    assert items["s-c1"][0] is None and "rel-root" in items["s-c1"][1]
    # a single-premise reason sits directly under its conclusion, labelled as support
    assert items["s-p1"] == ("s-c1", items["s-p1"][1]) and "rel-supports" in items["s-p1"][1]
    # linked premises share ONE group box under the conclusion
    assert items["i-i2"][0] == "s-c1" and "k-group" in items["i-i2"][1]
    assert items["s-p2"][0] == "i-i2" and items["s-p3"][0] == "i-i2"
    # the undercut attacks the inference, so it hangs under the group, not under a premise
    assert items["s-u1"][0] == "i-i2" and "rel-undercuts" in items["s-u1"][1]
    # objections under their targets: rebut on the claim, undermine on the premise
    assert items["s-o1"][0] == "s-c1" and "rel-objects" in items["s-o1"][1]
    assert items["s-o2"][0] == "s-p1" and "rel-objects" in items["s-o2"][1]
    assert items["s-o1r"][0] == "s-o1"


def test_each_statement_shown_in_full_once_and_refs_point_back():
    doc = vf.debate_map()
    html = render_view(doc)
    o = outline(html)
    full = [k for k in o.items if k.startswith("s-")]
    assert sorted(full) == sorted(f"s-{s.id}" for s in doc.statements)
    # p4 supports both c1 and c2: the second time it is a reference to the first
    refs = [k for k in o.items if k.startswith("r") and k.endswith("-p4")]
    assert len(refs) == 1
    assert 'href="#s-p4"' in html and "see above" in html


def test_cycles_terminate_with_references():
    a = Statement(id="a", text="A because B")
    b = Statement(id="b", text="B because A")
    c = Statement(id="c", text="C attacks A", kind=StatementKind.REBUTTAL)
    doc = MapDocument(
        title="circular",
        statements=[a, b, c],
        inferences=[
            Inference(id="i1", premises=["b"], conclusion="a"),
            Inference(id="i2", premises=["a"], conclusion="b"),
        ],
        conflicts=[Conflict(id="k", attacker="c", target="a"), Conflict(id="k2", attacker="a", target="c")],
    )
    rows = build_rows(doc)
    opened = [r for r in rows if not r.close]
    assert sum(1 for r in rows if r.close) == sum(1 for r in opened if not r.leaf)
    full = sorted(r.statement.id for r in opened if r.kind == "statement" and r.statement)
    assert full == ["a", "b", "c"]
    refs = [r for r in opened if r.kind == "ref"]
    assert refs and all(r.ref_id in {f"s-{x}" for x in "abc"} for r in refs)
    outline(render_view(doc))  # and the page nests properly


def test_long_chain_does_not_recurse():
    n = 3000
    doc = MapDocument(
        title="chain",
        statements=[Statement(id=f"s{k}", text=f"step {k}") for k in range(n)],
        inferences=[Inference(id=f"i{k}", premises=[f"s{k + 1}"], conclusion=f"s{k}") for k in range(n - 1)],
    )
    html = render_view(doc)
    assert html.count('class="node ') == n
    assert html.count("</ul></li>") == n - 1


def test_root_and_depth_cut_with_continue_link():
    doc = vf.debate_map()
    o = outline(render_view(doc, root="o1"))
    assert set(o.items) == {"s-o1", "s-o1s", "s-o1r"}
    html = render_view(doc, depth=1)
    o = outline(html)
    assert "s-p2" not in o.items and "i-i2" in o.items  # group at level 1, its premises cut
    assert set(o.items) == {"s-c1", "s-p1", "i-i2", "s-p4", "s-o1", "s-c2", "r1-p4", "s-c2b"}
    assert re.search(r'href="\?root=c1&amp;depth=1"', html) is None  # the claim itself is not cut
    assert 'href="?root=p1&amp;depth=1"' in html  # p1's objection is cut: continue from p1
    assert 'href="?root=c1&amp;depth=2"' in html  # the cut group continues one level deeper
    deeper = outline(render_view(doc, root="c1", depth=2))
    assert deeper.items["s-p2"][0] == "i-i2"
    with pytest.raises(ViewError):
        render_view(doc, root="nope")


def test_labels_badges_locators_overlay():
    doc = vf.debate_map()
    html = render_view(doc, overlay={"c1": "in", "o1": "out", "i2": "undecided", "p2": "<weird>"})
    for label in ("supports", "objects", "undercuts", "Linked reasons", "main claim"):
        assert label in html
    assert ">Kim (council)</span>" in html and ">Marta (union)</span>" in html
    assert 'class="kind">Evidence<' in html and 'class="kind">Rebuttal<' in html
    assert '<details class="loc">' in html and "Traffic trends" in html and "Average peak-hour speeds" in html
    assert "<dt>Page</dt><dd>14</dd>" in html
    assert 'class="eval eval-in"' in html and 'class="eval eval-out"' in html
    assert 'class="eval eval-undecided"' in html
    assert 'class="eval eval-other"' in html and "&lt;weird&gt;" in html
    assert 'data-author="marta"' in html and 'data-topics="t-charge"' in html


def test_no_inline_script_or_handlers_and_static_files_exist():
    o = outline(render_view(vf.debate_map(), static_url="/assets/"))
    assert o.scripts and all(s.get("src", "").startswith("/assets/viewer.js?v=") for s in o.scripts)
    assert o.handlers == []
    assert (static_dir() / "viewer.js").is_file() and (static_dir() / "viewer.css").is_file()


def test_hostile_text_is_escaped():
    doc = vf.hostile_map()
    html = render_view(doc, overlay={"h1": '"><script>x</script>'})
    o = outline(html)
    assert all(s.get("src") for s in o.scripts), "only our external script"
    assert o.handlers == [], "no on* attribute may come out of map text"
    assert not any(h.lower().startswith("javascript:") for h in o.hrefs)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "W" * 10_000 in html  # rendered, left to CSS to wrap
    assert "<img" not in html and "<svg" not in html


def test_invalid_xml_chars_are_scrubbed():
    doc = MapDocument(title="ctl", statements=[Statement(id="a", text="bell \x07 and lone \ud800 surrogate")])
    html = render_view(doc)
    html.encode("utf-8")  # would raise on a lone surrogate
    assert "\x07" not in html and "bell \ufffd and lone \ufffd surrogate" in html


def test_author_badge_needs_known_author():
    doc = MapDocument(
        title="t",
        authors=[Author(id="x", name="Xi")],
        statements=[Statement(id="a", text="one", author="x"), Statement(id="b", text="two", author="ghost")],
        conflicts=[Conflict(id="k", attacker="b", target="a", kind=ConflictKind.UNDERMINE)],
    )
    html = render_view(doc)
    assert html.count('class="author a0"') == 2  # byline + card
    assert "ghost" not in html.split("<main")[1].split('data-author="ghost"', 1)[1].split("</li>")[0]
