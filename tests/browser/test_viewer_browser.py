"""The student viewer in a real (headless) Chromium: enhancement, collapse, filters,
search, WAI-ARIA keyboard navigation, phone layout, screenshots, accessibility audit,
and hostile map text that must never run.

Needs /usr/bin/chromium (Debian package `chromium`); never `playwright install`. Pages are
served over a local HTTP server in the production layout (`/static/...`). axe-core comes
from npm: `npm install --prefix .cache/axe axe-core@4` (or set ARGMAP_AXE_JS).
No conftest.py here on purpose: other suites import names from tests/conftest.py as the
module `conftest`, which a second conftest.py would shadow."""

import base64
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from viewer_fixtures import BELARUS, Site, Watched, debate_map, hostile_map

from service.domain.formats import native, svg
from service.web.viewer import render_debate, render_view, static_dir

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
AXE_DEFAULT = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = ROOT / "tests" / "output"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("viewer-site")
    shutil.copytree(static_dir(), root / "static")
    files = {
        "view.html": render_view(debate_map(), overlay={"c1": "in", "o1": "out", "i2": "undecided"}),
        "debate.html": render_debate(debate_map(), None),
        "hostile.html": render_view(hostile_map()),
        "hostile-debate.html": render_debate(hostile_map(), None),
        "hostile.svg": svg.export(hostile_map()).data.decode("utf-8"),
    }
    if BELARUS.is_file():
        doc = native.decode(BELARUS.read_bytes())
        files["belarus.html"] = render_view(doc)
        files["belarus-debate.html"] = render_debate(doc, None)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(base=f"http://127.0.0.1:{server.server_address[1]}", pages=files)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# Module scope, not session: Playwright's sync API keeps an event loop running in this
# thread while it is open, and later tests that call asyncio.run() (the CLI) would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    """A fresh page that records script errors and dialogs (an alert() would mean XSS)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    w = Watched(page)
    page.on("pageerror", lambda e: w.errors.append(str(e)))
    page.on("console", lambda m: w.errors.append(m.text) if m.type == "error" else None)

    def on_dialog(d: Any) -> None:
        w.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield w
    finally:
        context.close()


@pytest.fixture(scope="session")
def axe_js() -> str:
    path = Path(os.environ.get("ARGMAP_AXE_JS", str(AXE_DEFAULT)))
    if not path.is_file():
        pytest.skip(f"axe-core not found at {path}: run `npm install --prefix .cache/axe axe-core@4`")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


pytestmark = pytest.mark.browser


VISIBLE_ITEMS = (
    "() => [...document.querySelectorAll('[role=treeitem]')].filter(e => e.checkVisibility()).map(e => e.id)"
)


def visible_items(page: Any) -> list[str]:
    items: list[str] = page.evaluate(VISIBLE_ITEMS)
    return items


def focused_id(page: Any) -> str:
    fid: str = page.evaluate("() => document.activeElement && document.activeElement.id")
    return fid


def open_view(w: Watched, site: Site, name: str = "view.html", width: int = 1280) -> Any:
    page = w.page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site.url(name))
    page.wait_for_selector("[role=tree]")
    return page


def image_variance(page: Any, png: bytes) -> float:
    """Luminance variance of a PNG, decoded by the browser's own canvas."""
    data_url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    variance: float = page.evaluate(
        """async (src) => {
          const img = new Image(); img.src = src; await img.decode();
          const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
          const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
          const d = ctx.getImageData(0, 0, c.width, c.height).data;
          let n = 0, sum = 0, sq = 0;
          for (let i = 0; i < d.length; i += 16) {
            const y = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
            n++; sum += y; sq += y * y;
          }
          const mean = sum / n; return sq / n - mean * mean;
        }""",
        data_url,
    )
    return variance


def test_tree_is_enhanced_into_an_aria_tree(watched: Watched, site: Site) -> None:
    page = open_view(watched, site)
    assert page.locator("[role=tree]").count() == 1
    n_items = page.locator("li.node").count()
    assert page.locator("[role=treeitem]").count() == n_items > 10
    assert page.locator("[role=group]").count() == page.locator("[aria-expanded]").count() > 0
    assert page.locator("[role=treeitem][tabindex='0']").count() == 1  # roving tabindex
    assert page.locator("[data-toolbar]").is_visible()
    # Chromium names each treeitem by its own card (relation, kind, author, text), not by the
    # replies nested under it: the tree itself is the screen reader's outline.
    snapshot = page.locator("#s-o1").aria_snapshot()
    first = snapshot.splitlines()[0]
    assert first.startswith('- treeitem "') and first.endswith("[expanded]:")
    for part in ("objects", "Rebuttal", "Marta (union)", "A flat charge hits low-income commuters hardest."):
        assert part in first
    assert "Revenue can fund" not in first and "Revenue can fund" in snapshot
    assert watched.errors == []


def test_collapse_expand_and_bulk(watched: Watched, site: Site) -> None:
    page = open_view(watched, site)
    root = page.locator("#s-c1")
    assert page.locator("#s-p1").is_visible()
    page.locator("#s-c1 > .card > .twisty").click()
    assert root.get_attribute("aria-expanded") == "false"
    assert not page.locator("#s-p1").is_visible()
    assert "replies hidden" in page.evaluate(
        "() => getComputedStyle(document.querySelector('#s-c1 > .card'), '::after').content"
    )
    page.locator("#s-c1 > .card > .twisty").click()
    assert root.get_attribute("aria-expanded") == "true" and page.locator("#s-p1").is_visible()

    page.get_by_role("button", name="Collapse all").click()
    tops = page.evaluate("() => [...document.querySelector('[role=tree]').children].map(e => e.id)")
    assert visible_items(page) == tops
    page.get_by_role("button", name="Expand all").click()
    assert len(visible_items(page)) == page.locator("li.node").count()

    page.select_option("#f-depth", "2")
    shown = visible_items(page)
    levels = page.evaluate("(ids) => ids.map(i => +document.getElementById(i).dataset.level)", shown)
    assert max(levels) == 1 and "s-p1" in shown and "s-o2" not in shown

    # a "see above" link opens the branch holding the first occurrence and focuses it
    page.get_by_role("button", name="Collapse all").click()
    page.locator("#s-c2 > .card > .twisty").click()
    page.locator("#s-c2 .ref-link").click()
    assert focused_id(page) == "s-p4" and page.locator("#s-p4").is_visible()


def test_author_and_topic_filters(watched: Watched, site: Site) -> None:
    page = open_view(watched, site)
    page.select_option("#f-author", "marta")
    shown = set(visible_items(page))
    marta = {"s-o1", "s-o1s", "s-u1", "s-c2b"}
    assert marta <= shown
    context = shown - marta
    assert context == {"s-c1", "i-i2"}  # the path down to Marta's statements, kept for context
    assert all("context" in (page.locator(f"#{c}").get_attribute("class") or "") for c in context)
    assert "4 statements by Marta (union)" in page.locator("[data-status]").inner_text()

    page.select_option("#f-author", "")
    page.select_option("#f-topic", "t-air")
    shown = set(visible_items(page))
    assert {"s-c2", "s-c2b", "s-p4", "r1-p4"} <= shown
    assert "s-o1" not in shown and "s-p1" not in shown
    page.select_option("#f-topic", "")
    assert len(visible_items(page)) == page.locator("li.node").count()


def test_search_highlights_and_expands(watched: Watched, site: Site) -> None:
    page = open_view(watched, site)
    page.get_by_role("button", name="Collapse all").click()
    assert not page.locator("#s-u1").is_visible()
    page.fill("#q", "METRO")
    page.wait_for_function("() => document.querySelectorAll('mark').length > 0")
    marks = page.locator("mark").all_inner_texts()
    assert marks == ["metro"]
    assert page.locator("#s-u1").is_visible()
    assert page.locator("#s-u1 mark").count() == 1
    assert "1 match" in page.locator("[data-status]").inner_text()
    page.press("#q", "Enter")
    assert "current-match" in (page.locator("#s-u1").get_attribute("class") or "")
    page.fill("#q", "")
    page.wait_for_function("() => document.querySelectorAll('mark').length === 0")
    assert page.locator("#s-u1 .stext").inner_text().startswith("The other cities")


def test_keyboard_navigation_follows_the_tree_pattern(watched: Watched, site: Site) -> None:
    page = open_view(watched, site)
    page.get_by_role("button", name="Collapse all").click()
    page.locator("#s-c1").focus()
    page.keyboard.press("ArrowDown")
    assert focused_id(page) == "s-c2"  # c1 is collapsed: its children are skipped
    page.keyboard.press("ArrowUp")
    assert focused_id(page) == "s-c1"
    page.keyboard.press("ArrowRight")  # collapsed -> expand, focus stays
    assert focused_id(page) == "s-c1" and page.locator("#s-c1").get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowRight")  # expanded -> first child
    assert focused_id(page) == "s-p1"
    assert page.locator("#s-p1").get_attribute("tabindex") == "0"
    assert page.locator("#s-c1").get_attribute("tabindex") == "-1"
    page.keyboard.press("ArrowDown")
    assert focused_id(page) == "i-i2"  # p1 is collapsed (collapse all), so its objection is skipped
    page.keyboard.press("Enter")
    assert page.locator("#i-i2").get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert focused_id(page) == "s-p2"
    page.keyboard.press("ArrowLeft")  # leaf -> parent
    assert focused_id(page) == "i-i2"
    page.keyboard.press("ArrowLeft")  # expanded -> collapse
    assert page.locator("#i-i2").get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowLeft")
    assert focused_id(page) == "s-c1"
    page.keyboard.press("End")
    assert focused_id(page) == "s-c2b"
    page.keyboard.press("Home")
    assert focused_id(page) == "s-c1"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("*")  # expand every sibling of p1
    assert page.locator("#s-p1").get_attribute("aria-expanded") == "true"
    assert page.locator("#s-o1").get_attribute("aria-expanded") == "true"


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_and_no_horizontal_overflow(watched: Watched, site: Site, output_dir: Path, width: int) -> None:
    for name in ("view.html", "debate.html"):
        page = open_view(watched, site, name, width) if name == "view.html" else watched.page
        if name != "view.html":
            page.goto(site.url(name))
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        png = page.screenshot(full_page=True)
        (output_dir / f"viewer-{name.split('.')[0]}-{width}.png").write_bytes(png)
        assert image_variance(page, png) > 200, "screenshot looks blank"
    assert watched.errors == []


def test_print_shows_the_whole_tree(watched: Watched, site: Site) -> None:
    page = open_view(watched, site)
    page.get_by_role("button", name="Collapse all").click()
    page.emulate_media(media="print")
    assert page.locator("#s-o1r").is_visible() and page.locator("#s-p2").is_visible()
    assert not page.locator("[data-toolbar]").is_visible()


@pytest.mark.parametrize("name", ["view.html", "debate.html", "hostile.html"])
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_serious_violations(watched: Watched, site: Site, axe_js: str, name: str, width: int) -> None:
    page = open_view(watched, site, name, width) if name != "debate.html" else watched.page
    if name == "debate.html":
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(site.url(name))
    page.add_script_tag(content=axe_js)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []


def test_hostile_map_runs_no_script_and_holds_its_layout(watched: Watched, site: Site) -> None:
    page = open_view(watched, site, "hostile.html")
    page.wait_for_load_state("load")
    page.fill("#q", "script")  # exercise the highlighter on hostile text too
    page.wait_for_function("() => document.querySelectorAll('mark').length > 0")
    page.select_option("#f-author", "evil")
    page.locator("details.loc summary").first.click()
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert watched.dialogs == []
    assert page.locator("img").count() == 0 and page.locator("main svg").count() == 0
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    box = page.locator("#t-s-h5 .stext").bounding_box()
    assert box is not None and box["width"] <= 1280 and box["height"] > 100  # the 10,000-char word wraps
    assert page.locator("#t-s-h1 .stext").inner_text().startswith("<script>window.__pwned=1</script>")
    page.goto(site.url("hostile-debate.html"))
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert watched.errors == [] and watched.dialogs == []


def test_hostile_svg_runs_no_script_in_chromium(watched: Watched, site: Site) -> None:
    page = watched.page
    page.goto(site.url("hostile.svg"))
    page.wait_for_load_state("load")
    assert page.evaluate("() => document.documentElement.localName") == "svg"
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate("() => document.getElementsByTagName('script').length") == 0
    texts = page.evaluate("() => [...document.querySelectorAll('text, tspan')].map(t => t.textContent).join(' ')")
    assert "<script>window.__pwned=1</script>" in texts
    assert watched.dialogs == []


@pytest.mark.parametrize("width", [1280, 375])
def test_belarus_map_reads_on_phone_and_laptop(
    watched: Watched, site: Site, output_dir: Path, axe_js: str, width: int
) -> None:
    page = open_view(watched, site, "belarus.html", width)
    assert page.locator("[role=treeitem]").count() > 5
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    png = page.screenshot(full_page=True)
    (output_dir / f"viewer-belarus-{width}.png").write_bytes(png)
    assert image_variance(page, png) > 200
    page.add_script_tag(content=axe_js)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []
    page.goto(site.url("belarus-debate.html"))
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    (output_dir / f"viewer-belarus-debate-{width}.png").write_bytes(page.screenshot(full_page=True))
    assert watched.errors == []


def test_share_link_through_the_real_service(live_server: Any, browser: Any, output_dir: Path, axe_js: str) -> None:
    """End to end: the demo server (shipped maps loaded), a teacher's share link, a
    student's phone and laptop, the production Content-Security-Policy in force."""
    import httpx

    auth = {"Authorization": f"Bearer {live_server.token}"}
    r = httpx.post(f"{live_server.url}/maps/belarus-2020-debate/shares", json={"name": "class 9b"}, headers=auth)
    assert r.status_code == 201, r.text
    link = r.json()["url"]
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        # CSP violations surface as console errors: the viewer must need nothing inline.
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        try:
            response = page.goto(link)
            assert response is not None and response.status == 200
            assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
            page.wait_for_selector("[role=tree]")
            items = page.locator("[role=treeitem]")
            assert items.count() > 100
            first = items.first
            first.focus()
            expanded = first.get_attribute("aria-expanded")
            page.keyboard.press("ArrowLeft" if expanded == "true" else "ArrowRight")
            assert first.get_attribute("aria-expanded") != expanded
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0
            png = page.screenshot(full_page=True)
            (output_dir / f"live-share-{live_server.backend}-{width}.png").write_bytes(png)
            assert image_variance(page, png) > 200
            page.evaluate(axe_js)  # evaluated over DevTools, so the page's CSP still holds for its own code
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []
            debate = page.goto(link + "/debate")
            assert debate is not None and debate.status == 200
            assert page.locator("text=Rust").count() > 0
            assert errors == [], errors
        finally:
            context.close()
