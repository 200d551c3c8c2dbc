"""Benchmark of the student viewer and the picture exports on a generated 2,000-statement map.

Measures: HTML view render (target < 1 s), SVG export (target < 2 s), and in Chromium the
time a collapse/expand of a large branch takes inside the page (target < 100 ms, measured
with performance.now() around the click and the forced layout it causes). Ratios are
against msgspec-encoding the same document, measured in the same run.

    .venv/bin/python bench/viewer.py [--quick] [--statements N]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.domain.formats import svg
from service.domain.graph import (
    Author,
    Conflict,
    ConflictKind,
    Inference,
    MapDocument,
    Stance,
    StanceValue,
    Statement,
    StatementKind,
    Topic,
)
from service.web.viewer import render_view, static_dir

CHROMIUM = "/usr/bin/chromium"
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
WORDS = [
    *(
        [
            "protest",
            "election",
            "vote",
            "count",
            "observers",
            "fraud",
            "turnout",
            "opposition",
            "police",
            "strike",
            "workers",
            "media",
        ]
    ),
    *(
        [
            "state",
            "television",
            "independent",
            "evidence",
            "report",
            "witnesses",
            "candidate",
            "campaign",
            "rally",
            "arrests",
        ]
    ),
]


def generated_map(n: int, seed: int = 7) -> MapDocument:
    """A debate of `n` statements: a few main claims, reasons (some linked), objections and
    undercuts, several authors and topics, a few shared premises."""
    rnd = random.Random(seed)
    authors = [Author(id=f"a{k}", name=f"Author {k}") for k in range(6)]
    topics = [Topic(id=f"t{k}", title=f"Topic {k}") for k in range(4)]
    statements: list[Statement] = []
    inferences: list[Inference] = []
    conflicts: list[Conflict] = []

    def text() -> str:
        return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 30))).capitalize() + "."

    roots = max(3, n // 200)
    for k in range(n):
        kind = StatementKind.CLAIM if k < roots else rnd.choice(list(StatementKind))
        statements.append(
            Statement(
                id=f"s{k}",
                text=text(),
                kind=kind,
                author=f"a{rnd.randrange(6)}",
                stances=[Stance(topic=f"t{rnd.randrange(4)}", stance=rnd.choice(list(StanceValue)))],
            )
        )
    k = roots
    while k < n:
        parent = rnd.randrange(0, k)
        roll = rnd.random()
        if roll < 0.5 or k + 1 >= n:
            inferences.append(Inference(id=f"i{k}", premises=[f"s{k}"], conclusion=f"s{parent}"))
            k += 1
        elif roll < 0.65:
            inferences.append(Inference(id=f"i{k}", premises=[f"s{k}", f"s{k + 1}"], conclusion=f"s{parent}"))
            k += 2
        elif roll < 0.9 or not inferences:
            conflicts.append(Conflict(id=f"c{k}", attacker=f"s{k}", target=f"s{parent}", kind=ConflictKind.REBUT))
            k += 1
        else:
            target = rnd.choice(inferences)
            conflicts.append(Conflict(id=f"c{k}", attacker=f"s{k}", target=target.id, kind=ConflictKind.UNDERCUT))
            k += 1
    # shared premises: the same reason supports a second statement (drawn once, then "see above")
    for j in range(n // 100):
        a, b = rnd.randrange(roots, n), rnd.randrange(0, n)
        if a != b:
            inferences.append(Inference(id=f"x{j}", premises=[f"s{a}"], conclusion=f"s{b}"))
    return MapDocument(
        title="Generated debate",
        authors=authors,
        topics=topics,
        statements=statements,
        inferences=inferences,
        conflicts=conflicts,
    )


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def browser_toggle_ms(html: str, repeat: int) -> float | None:
    """Median ms of collapsing then expanding the largest branch, inside Chromium."""
    if not Path(CHROMIUM).exists():
        print("chromium: absent, skipping the in-browser measurement")
        return None
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(static_dir(), root / "static")
        (root / "view.html").write_text(html, encoding="utf-8")

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=tmp))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/view.html")
                page.wait_for_selector("[role=tree]")
                samples = page.evaluate(
                    """(repeat) => {
                      const items = [...document.querySelectorAll('li.node[aria-expanded]')];
                      const big = items.reduce((a, b) =>
                        a.querySelectorAll('li').length >= b.querySelectorAll('li').length ? a : b);
                      const twisty = big.querySelector(':scope > .card > .twisty');
                      const out = [];
                      for (let k = 0; k < repeat; k++) {
                        for (const want of ['false', 'true']) {
                          const t0 = performance.now();
                          twisty.click();
                          if (big.getAttribute('aria-expanded') !== want) throw new Error('no toggle');
                          document.body.getBoundingClientRect();  // force the style+layout it costs
                          void document.body.offsetHeight;
                          out.push(performance.now() - t0);
                        }
                      }
                      return {samples: out, size: big.querySelectorAll('li').length};
                    }""",
                    repeat,
                )
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    print(f"browser: largest branch has {samples['size']} items")
    return float(statistics.median(samples["samples"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (under a minute)")
    ap.add_argument("--statements", type=int, default=2000)
    args = ap.parse_args()
    repeat = 2 if args.quick else 5

    doc = generated_map(args.statements)
    print(f"map: {len(doc.statements)} statements, {len(doc.inferences)} inferences, {len(doc.conflicts)} conflicts")
    enc = msgspec.json.Encoder()
    baseline = best_of(lambda: enc.encode(doc), repeat * 4)
    html_s = best_of(lambda: render_view(doc), repeat)
    svg_s = best_of(lambda: svg.export(doc), repeat)
    html = render_view(doc)
    print(f"baseline msgspec encode: {baseline * 1000:.2f} ms")
    print(f"html view:  {html_s * 1000:.1f} ms  ({html_s / baseline:.0f}x baseline)  target < 1000 ms")
    print(f"html size:  {len(html) // 1024} KiB")
    print(f"svg export: {svg_s * 1000:.1f} ms  ({svg_s / baseline:.0f}x baseline)  target < 2000 ms")
    toggle = browser_toggle_ms(html, 3 if args.quick else 10)
    if toggle is not None:
        print(f"browser collapse/expand of the largest branch: {toggle:.1f} ms (median)  target < 100 ms")
    ok = html_s < 1.0 and svg_s < 2.0 and (toggle is None or toggle < 100.0)
    worst = max(html_s / 1.0, svg_s / 2.0, (toggle or 0.0) / 100.0)
    print(f"RESULT viewer: worst_fraction_of_budget={worst:.2f} target=1.00 {'ok' if ok else 'short'}")


if __name__ == "__main__":
    main()
