"""The side-by-side debate view: a column per author with stances, clashes, agreements."""

import sys
from pathlib import Path

# the sample maps and PNG reader are shared with the browser tests
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "browser"))
import re

import pytest
import viewer_fixtures as vf

from service.web.viewer import ViewError, render_debate


def _section(html: str, title: str) -> str:
    start = html.index(f">{title}</h2>")
    end = html.find('<section class="topic"', start)
    return html[start : end if end > 0 else len(html)]


def test_columns_per_author_with_stances():
    html = render_debate(vf.debate_map(), "t-charge")
    sec = _section(html, "Congestion charge")
    columns = re.findall(r'<section class="column".*?</section>', sec, flags=re.S)
    names = [re.search(r'class="author a\d"[^>]*>([^<]+)<', c).group(1) for c in columns]
    assert names == ["Kim (council)", "Marta (union)", "Dr Osei (GP)"]
    marta = columns[1]
    assert "A flat charge hits low-income commuters hardest." in marta
    assert marta.count("stance-con") == 2 and "stance-pro" not in marta
    # a statement without a stance on this topic is not a position on it
    assert "Cleaning and care shifts" not in sec


def test_clashes_are_cross_author_conflicts():
    html = render_debate(vf.debate_map(), "t-charge")
    clashes = html.split('<section class="clashes"', 1)[1].split("</section>", 1)[0]
    assert 'Clashes <span class="count">(4)</span>' in html
    assert "A flat charge hits low-income commuters hardest." in clashes
    assert "the step from its reasons to" in clashes  # the undercut names the reasoning it attacks
    assert "rel-undercuts" in clashes and "rel-objects" in clashes


def test_agreements_and_all_topics():
    html = render_debate(vf.debate_map(), None)
    assert ">Congestion charge</h2>" in html and ">Air quality</h2>" in html
    air = _section(html, "Air quality")
    agreements = air.split('<section class="agreements"', 1)[1]
    assert "Air quality in the centre must improve." in agreements
    assert "Pollution in the centre is a real public-health problem." in agreements
    with pytest.raises(ViewError):
        render_debate(vf.debate_map(), "no-such-topic")


def test_hostile_debate_is_escaped():
    html = render_debate(vf.hostile_map(), None)
    assert "<script>window" not in html and "<img" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
