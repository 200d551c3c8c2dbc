"""Content checks for the shipped Belarus 2020 argument maps (argument_maps/belarus-2020).

Pure: no database. The source-dependent checks read the policy paper from
`../shared/source/` next to the project root and skip when it is not there.
"""

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from service.domain.formats import native
from service.domain.graph import Element, MapDocument, StanceValue, Statement
from service.domain.validation import validate

ROOT = Path(__file__).resolve().parents[2]
MAP_DIR = ROOT / "argument_maps" / "belarus-2020"
SOURCE_TEXT = ROOT.parent / "shared" / "source" / "crisis-in-belarus-2020.txt"
SOURCE_ID = "ies-2020-belarus"

# slug -> author id of each contribution map
CONTRIBUTIONS = {
    "belarus-2020-summary": "reichardt-stepniewski",
    "belarus-2020-marples": "marples",
    "belarus-2020-laputska": "laputska",
    "belarus-2020-rust": "rust",
    "belarus-2020-soroka": "soroka",
    "belarus-2020-kleczkowska": "kleczkowska",
}
DEBATE = "belarus-2020-debate"
ALL_SLUGS = [*CONTRIBUTIONS, DEBATE]
SHARED = ("authors", "sources", "topics")  # collections that every map repeats by design
OWN = ("statements", "inferences", "conflicts", "equivalences")
MAX_SHARED_RUN = 8


def _path(slug: str) -> Path:
    return MAP_DIR / f"{slug}.argmap.json"


@cache
def load(slug: str) -> MapDocument:
    return native.decode(_path(slug).read_bytes())


def own_elements(doc: MapDocument) -> Iterator[tuple[str, Element]]:
    for collection in OWN:
        for el in getattr(doc, collection):
            yield collection, el


# ------------------------------------------------------------------ the source's structure


def _heading_text(line: str) -> str:
    return line.lstrip("#").strip().strip("*").strip()


def _ends_paragraph(line: str) -> bool:
    # A line cut off without sentence-final punctuation is a page-break split of one paragraph
    # (the paper was extracted from a PDF), so the next non-blank line continues it.
    return re.search(r"[.!?:\"”)]$", line) is not None


@cache
def source_lines() -> tuple[str, ...]:
    return tuple(SOURCE_TEXT.read_text(encoding="utf-8").splitlines())


@cache
def table_of_contents() -> dict[str, tuple[str, int]]:
    """TOC title -> (listed author, start page), parsed from the paper's own table of contents."""
    lines = source_lines()
    start = next(
        n for n, line in enumerate(lines) if line.startswith("#") and _heading_text(line) == "Table of contents"
    )
    out: dict[str, tuple[str, int]] = {}
    group: list[str] = []
    for line in lines[start + 1 :]:
        if not line.strip():
            if out:
                break
            continue
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        page = cells[-1] if len(cells) > 1 and cells[-1].isdigit() else None
        group.append(cells[0])
        if page is not None:
            if len(group) > 1:  # "Authors 37" is a bare title, not a contribution
                out[" ".join(group[1:])] = (group[0], int(page))
            group = []
    return out


@cache
def contribution_paragraphs() -> dict[str, list[str]]:
    """Section title -> its paragraphs, by the rule written in the README."""
    lines = source_lines()
    titles = set(table_of_contents())
    starts: list[tuple[int, str]] = []
    end = len(lines)
    for n, line in enumerate(lines):
        if not line.startswith("#"):
            continue
        text = _heading_text(line)
        if text in titles:
            starts.append((n, text))
        elif text == "Authors" and starts:
            end = n
    out: dict[str, list[str]] = {}
    bounds = [n for n, _ in starts[1:]] + [end]
    for (first, title), stop in zip(starts, bounds, strict=True):
        paragraphs: list[str] = []
        open_paragraph = False
        for line in lines[first + 1 : stop]:
            stripped = line.strip()
            if line.startswith("#"):
                open_paragraph = False
                continue
            if not stripped:
                continue
            if open_paragraph:
                paragraphs[-1] += " " + stripped
            else:
                paragraphs.append(stripped)
            open_paragraph = not _ends_paragraph(stripped)
        out[title] = paragraphs
    return out


def words(text: str) -> list[str]:
    text = re.sub(r"-\s*\n\s*", "", text)  # re-join words hyphenated across a page break
    return re.sub(r"[^\w]+", " ", text.lower()).split()


needs_source = pytest.mark.skipif(
    not SOURCE_TEXT.exists(), reason=f"policy paper text not available at {SOURCE_TEXT}"
)

# ------------------------------------------------------------------ format and invariants


@pytest.mark.parametrize("slug", ALL_SLUGS)
def test_file_decodes_validates_and_round_trips(slug: str) -> None:
    doc = native.decode(_path(slug).read_bytes())
    assert doc.slug == slug
    assert validate(doc) == []
    assert native.decode(native.encode(doc)) == doc


@pytest.mark.parametrize("slug", ALL_SLUGS)
def test_statements_have_author_and_locator(slug: str) -> None:
    doc = load(slug)
    assert [s.id for s in doc.sources] == [SOURCE_ID]
    for s in doc.statements:
        assert s.author is not None, s.id
        assert s.id.startswith(s.author + "-"), f"{s.id} is not prefixed with its author id"
        loc = s.locator
        assert loc is not None, s.id
        assert loc.source == SOURCE_ID, s.id
        assert loc.page is not None and loc.paragraph is not None, s.id
        assert loc.section, s.id
        assert loc.quote is None, f"{s.id}: the paper's text must not be reproduced"
        assert s.title, f"{s.id} has no short title"


@pytest.mark.parametrize("slug", list(CONTRIBUTIONS))
def test_contribution_map_has_its_author_and_enough_content(slug: str) -> None:
    doc = load(slug)
    author = CONTRIBUTIONS[slug]
    assert [a.id for a in doc.authors] == [author]
    assert len(doc.statements) >= 10
    assert doc.inferences and doc.conflicts
    for _, el in own_elements(doc):
        assert el.id.startswith(author + "-"), el.id
    sections = {s.locator.section for s in doc.statements if s.locator}
    assert len(sections) == 1, f"{slug} mixes sections {sections}"
    # the author argues against at least one position, and that position is attacked
    opposed = {s.id for s in doc.statements if "opposed-position" in s.tags}
    assert opposed, f"{slug} maps no position the author argues against"
    attacked = {c.target for c in doc.conflicts}
    # undercutting the inference that concludes in a position also counts as attacking it
    attacked |= {i.conclusion for i in doc.inferences if i.id in attacked}
    assert opposed <= attacked, f"{slug}: unattacked opposed positions {opposed - attacked}"


def test_shared_elements_are_identical_in_every_map() -> None:
    debate = load(DEBATE)
    for slug in CONTRIBUTIONS:
        doc = load(slug)
        assert doc.topics == debate.topics, slug
        assert doc.sources == debate.sources, slug
        assert all(a in debate.authors for a in doc.authors), slug
    assert {a.id for a in debate.authors} == set(CONTRIBUTIONS.values())
    for t in debate.topics:
        assert t.description and "pro =" in t.description, f"topic {t.id} does not define its pro stance"
    summary = load("belarus-2020-summary").authors[0]
    assert summary.id == "reichardt-stepniewski"
    assert summary.name == "Adam Reichardt and Tomasz Stępniewski"


def test_ids_unique_across_maps_and_debate_reuses_contributions() -> None:
    owner: dict[str, str] = {}
    for slug in CONTRIBUTIONS:
        for _, el in own_elements(load(slug)):
            assert el.id not in owner, f"{el.id} is in both {owner[el.id]} and {slug}"
            owner[el.id] = slug
    debate = load(DEBATE)
    debate_elements = {el.id: (collection, el) for collection, el in own_elements(debate)}
    for slug in CONTRIBUTIONS:
        for collection, el in own_elements(load(slug)):
            assert el.id in debate_elements, f"{el.id} of {slug} is missing from the debate map"
            assert debate_elements[el.id] == (collection, el), f"{el.id} differs between {slug} and the debate map"
    extra = set(debate_elements) - set(owner)
    assert extra, "the debate map has no cross-author relations"
    assert all(i.startswith("x-") for i in extra), sorted(i for i in extra if not i.startswith("x-"))


def _statement_authors(doc: MapDocument, element_id: str) -> set[str]:
    """Authors of a statement, or of the statements an inference joins."""
    statements = {s.id: s for s in doc.statements}
    if element_id in statements:
        author = statements[element_id].author
        return {author} if author else set()
    inference = next(i for i in doc.inferences if i.id == element_id)
    out: set[str] = set()
    for sid in [*inference.premises, inference.conclusion]:
        out |= _statement_authors(doc, sid)
    return out


def _relations(doc: MapDocument) -> Iterator[tuple[str, set[str]]]:
    for i in doc.inferences:
        yield i.id, _statement_authors(doc, i.id)
    for c in doc.conflicts:
        yield c.id, _statement_authors(doc, c.attacker) | _statement_authors(doc, c.target)
    for e in doc.equivalences:
        yield e.id, _statement_authors(doc, e.first) | _statement_authors(doc, e.second)


def test_cross_relations_join_different_authors() -> None:
    for rid, authors in _relations(load(DEBATE)):
        if rid.startswith("x-"):
            assert len(authors) >= 2, f"{rid} does not cross authors: {authors}"
        else:
            assert len(authors) == 1, f"{rid} crosses authors but has no x- id"


def test_debate_connects_all_six_authors() -> None:
    doc = load(DEBATE)
    parent = {a.id: a.id for a in doc.authors}

    def find(a: str) -> str:
        while parent[a] != a:
            a = parent[a]
        return a

    for _, authors in _relations(doc):
        first, *rest = sorted(authors)
        for other in rest:
            parent[find(other)] = find(first)
    assert len(parent) == 6
    assert len({find(a) for a in parent}) == 1, "the debate map leaves some authors unconnected"


def _stance(s: Statement, topic: str) -> StanceValue | None:
    return next((st.stance for st in s.stances if st.topic == topic), None)


def test_acceptance_relations() -> None:
    doc = load(DEBATE)
    statements = {s.id: s for s in doc.statements}
    clash = next(c for c in doc.conflicts if c.id == "x-sanctions-timing")
    assert clash.attacker.startswith("rust-") and clash.target.startswith("marples-")
    assert _stance(statements[clash.attacker], "sanctions") == StanceValue.CON
    assert _stance(statements[clash.target], "sanctions") == StanceValue.PRO

    same = next(e for e in doc.equivalences if e.id == "x-economic-package")
    assert same.second_map is None
    assert same.first.startswith("reichardt-stepniewski-") and same.second.startswith("laputska-")
    for sid in (same.first, same.second):
        assert _stance(statements[sid], "economic-support") == StanceValue.PRO


def test_readme_lists_every_cross_relation() -> None:
    readme = (MAP_DIR / "README.md").read_text(encoding="utf-8")
    ids = [el.id for _, el in own_elements(load(DEBATE)) if el.id.startswith("x-")]
    for rid in ids:
        assert f"`{rid}`" in readme, f"README does not list {rid}"
    section = readme.split("Acceptance relations", 1)[1]
    listed = re.findall(r"`(x-[a-z0-9-]+)`", section)
    assert listed[:2] == ["x-sanctions-timing", "x-economic-package"]


# ------------------------------------------------------------------ against the paper


@needs_source
def test_locators_point_into_their_contribution() -> None:
    toc = table_of_contents()
    paragraphs = contribution_paragraphs()
    assert len(paragraphs) == 6, sorted(paragraphs)
    for slug in ALL_SLUGS:
        doc = load(slug)
        names = {a.id: a.name for a in doc.authors}
        for s in doc.statements:
            assert s.locator is not None and s.locator.section is not None
            section = s.locator.section
            assert section in toc, f"{s.id}: {section!r} is not a contribution in the table of contents"
            listed_author, page = toc[section]
            assert s.locator.page == page, f"{s.id}: page {s.locator.page}, table of contents says {page}"
            assert s.author is not None
            assert listed_author == names[s.author], f"{s.id}: {section!r} is by {listed_author}"
            count = len(paragraphs[section])
            assert s.locator.paragraph is not None
            assert 1 <= s.locator.paragraph <= count, f"{s.id}: paragraph {s.locator.paragraph} of {count}"


@needs_source
def test_paragraph_rule_matches_the_paper() -> None:
    # pins the rule itself: the split lines of Marples' first step form one paragraph
    marples = contribution_paragraphs()["Breaking the impasse in Belarus"]
    assert len(marples) == 7
    assert marples[2].startswith("First,") and "Yarmoshyna" in marples[2]


@needs_source
def test_statements_are_in_our_own_words() -> None:
    source = words(SOURCE_TEXT.read_text(encoding="utf-8"))
    runs = {tuple(source[i : i + MAX_SHARED_RUN]) for i in range(len(source) - MAX_SHARED_RUN + 1)}
    copied: list[str] = []
    for s in load(DEBATE).statements:
        for text in (s.text, s.title or ""):
            w = words(text)
            for i in range(len(w) - MAX_SHARED_RUN + 1):
                if tuple(w[i : i + MAX_SHARED_RUN]) in runs:
                    copied.append(f"{s.id}: {' '.join(w[i : i + MAX_SHARED_RUN])}")
    assert copied == []


def test_readme_counts_match_the_files() -> None:
    readme = (MAP_DIR / "README.md").read_text(encoding="utf-8")
    rows = 0
    for line in readme.splitlines():
        m = re.match(r"\| `(belarus-2020-[a-z-]+)\.argmap\.json` \|", line)
        if m is None:
            continue
        rows += 1
        doc = load(m.group(1))
        cells = [c.strip() for c in line.strip("|").split("|")]
        counts = [int(re.match(r"\d+", c).group()) for c in cells[3:7]]  # type: ignore[union-attr]
        actual = [len(doc.statements), len(doc.inferences), len(doc.conflicts), len(doc.equivalences)]
        assert counts == actual, f"README counts for {m.group(1)}: {counts}, files have {actual}"
    assert rows == len(ALL_SLUGS)
