"""Shared by the viewer's browser and unit tests: a small realistic multi-author debate, a
hostile map, and a minimal PNG reader (no Pillow in the venv) to look at pixels."""

import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.domain.graph import (
    Author,
    Conflict,
    ConflictKind,
    Equivalence,
    Inference,
    Locator,
    MapDocument,
    Source,
    Stance,
    StanceValue,
    Statement,
    StatementKind,
    Topic,
)

PRO, CON = StanceValue.PRO, StanceValue.CON
# written by another engineer; the browser tests use it when present
BELARUS = Path(__file__).resolve().parents[2] / "argument_maps" / "belarus-2020" / "belarus-2020-debate.argmap.json"


@dataclass
class Site:
    """The local HTTP server the browser tests load pages from."""

    base: str
    pages: dict[str, str] = field(default_factory=dict)

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"


@dataclass
class Watched:
    """A page plus what it did that it should not: script errors and dialogs."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def debate_map() -> MapDocument:
    """Three authors on congestion charging: supports, a linked argument, objections,
    an undercut, a shared premise (so a "see above" reference) and an agreement."""

    def st(id_: str, text: str, author: str, kind: StatementKind = StatementKind.PREMISE, **kw: object) -> Statement:
        return Statement(id=id_, text=text, author=author, kind=kind, **kw)  # type: ignore[arg-type]

    charge, air = "t-charge", "t-air"
    statements = [
        st(
            "c1",
            "The city should introduce a congestion charge for private cars in the centre.",
            "kim",
            StatementKind.CLAIM,
            title="Introduce a congestion charge",
            stances=[Stance(topic=charge, stance=PRO)],
        ),
        st(
            "p1",
            "Traffic in the centre has grown by a fifth since 2015 and buses are stuck in it.",
            "kim",
            StatementKind.EVIDENCE,
            stances=[Stance(topic=charge, stance=PRO)],
            locator=Locator(
                source="src-report",
                page=14,
                section="Traffic trends",
                paragraph=3,
                quote="Average peak-hour speeds fell from 19 to 14 km/h.",
            ),
        ),
        st(
            "p2",
            "Cities that charged for entry saw traffic fall by 15 to 30 percent.",
            "kim",
            StatementKind.EVIDENCE,
            stances=[Stance(topic=charge, stance=PRO)],
            locator=Locator(source="src-review", page=3),
        ),
        st("p3", "Our city resembles those cities in size and public transport.", "kim"),
        st(
            "p4",
            "Cleaner air in the centre would cut asthma admissions.",
            "osei",
            stances=[Stance(topic=air, stance=PRO), Stance(topic=charge, stance=PRO)],
        ),
        st(
            "o1",
            "A flat charge hits low-income commuters hardest.",
            "marta",
            StatementKind.REBUTTAL,
            stances=[Stance(topic=charge, stance=CON)],
        ),
        st("o1s", "Cleaning and care shifts start before the first bus runs.", "marta", StatementKind.EVIDENCE),
        st(
            "o1r",
            "Revenue can fund discounts for low-income residents and night buses.",
            "kim",
            StatementKind.REBUTTAL,
            stances=[Stance(topic=charge, stance=PRO)],
        ),
        st(
            "u1",
            "The other cities had metro systems that our city lacks, so the comparison fails.",
            "marta",
            StatementKind.REBUTTAL,
            stances=[Stance(topic=charge, stance=CON)],
        ),
        st(
            "o2",
            "Traffic data from 2015 predates the new ring road and is out of date.",
            "osei",
            StatementKind.REBUTTAL,
        ),
        st(
            "c2",
            "Air quality in the centre must improve.",
            "osei",
            StatementKind.CLAIM,
            stances=[Stance(topic=air, stance=PRO)],
        ),
        st(
            "c2b",
            "Pollution in the centre is a real public-health problem.",
            "marta",
            StatementKind.CLAIM,
            stances=[Stance(topic=air, stance=PRO)],
        ),
    ]
    inferences = [
        Inference(id="i1", premises=["p1"], conclusion="c1", author="kim"),
        Inference(id="i2", premises=["p2", "p3"], conclusion="c1", scheme="argument from analogy", author="kim"),
        Inference(id="i3", premises=["p4"], conclusion="c1", author="osei"),
        Inference(id="i4", premises=["p4"], conclusion="c2", author="osei"),
        Inference(id="i5", premises=["o1s"], conclusion="o1", author="marta"),
    ]
    conflicts = [
        Conflict(id="k1", attacker="o1", target="c1", kind=ConflictKind.REBUT, author="marta"),
        Conflict(id="k2", attacker="o1r", target="o1", kind=ConflictKind.REBUT, author="kim"),
        Conflict(id="k3", attacker="u1", target="i2", kind=ConflictKind.UNDERCUT, author="marta"),
        Conflict(id="k4", attacker="o2", target="p1", kind=ConflictKind.UNDERMINE, author="osei"),
    ]
    return MapDocument(
        title="Should our city charge cars to enter the centre?",
        description="A classroom debate between three residents, mapped statement by statement.",
        language="en",
        licence="CC BY 4.0",
        authors=[
            Author(id="kim", name="Kim (council)"),
            Author(id="marta", name="Marta (union)"),
            Author(id="osei", name="Dr Osei (GP)"),
        ],
        sources=[
            Source(id="src-report", title="City traffic report 2024", year=2024, url="https://example.org/report"),
            Source(id="src-review", title="Road pricing: a review", creators=["A. Author"], year=2021),
        ],
        topics=[Topic(id=charge, title="Congestion charge"), Topic(id=air, title="Air quality")],
        statements=statements,
        inferences=inferences,
        conflicts=conflicts,
        equivalences=[Equivalence(id="e1", first="c2", second="c2b")],
    )


TRAP = "window.__pwned=1"
HOSTILE_TEXTS = [
    f"<script>{TRAP}</script> plain words after a script tag",
    f'"><img src=x onerror="{TRAP}"> broken out of an attribute',
    f"javascript:{TRAP}// a link-looking statement",
    "\u202eRTL override \u200f mixed עברית text and emoji 🧑‍🏫🔥 in one line",
    "W" * 10_000,
    f"</textarea><svg onload={TRAP}><title>x</title></svg>&amp; &lt;b&gt;",
]


def hostile_map() -> MapDocument:
    statements = [
        Statement(
            id="h0",
            text="A claim whose replies are hostile",
            kind=StatementKind.CLAIM,
            author="evil",
            locator=Locator(source="s-evil", quote=f"<script>{TRAP}</script>"),
        ),
    ]
    inferences = []
    for k, text in enumerate(HOSTILE_TEXTS, start=1):
        statements.append(Statement(id=f"h{k}", text=text, author="evil", title=None if k % 2 else f"<b>{k}</b>"))
        inferences.append(Inference(id=f"hi{k}", premises=[f"h{k}"], conclusion="h0", scheme="<i>scheme</i>"))
    return MapDocument(
        title=f"<script>{TRAP}</script> Hostile map",
        description=f'<img src=x onerror="{TRAP}">',
        authors=[Author(id="evil", name=f'<b onmouseover="{TRAP}">Mallory</b>', url=f"javascript:{TRAP}")],
        sources=[Source(id="s-evil", title="\"'><script>" + TRAP + "</script>", url=f"javascript:{TRAP}")],
        topics=[Topic(id="t-evil", title=f"<script>{TRAP}</script>")],
        statements=statements,
        inferences=inferences,
        conflicts=[Conflict(id="hc", attacker="h5", target="hi1", kind=ConflictKind.UNDERCUT)],
    )


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Decode an 8-bit non-interlaced RGB/RGBA PNG (what resvg and Chromium write) into
    (width, height, rows-major RGB triples), compositing alpha over white."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = colour = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, "unsupported PNG flavour"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    pixels: list[tuple[int, int, int]] = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        prev = line
        for x in range(width):
            px = line[x * bpp : x * bpp + bpp]
            alpha = px[3] if bpp == 4 else 255
            pixels.append(tuple((v * alpha + 255 * (255 - alpha)) // 255 for v in px[:3]))  # type: ignore[misc]
    return width, height, pixels


def dark_pixels(pixels: list[tuple[int, int, int]], threshold: int = 110) -> int:
    return sum(1 for r, g, b in pixels if r + g + b < 3 * threshold)


def luminance_variance(pixels: list[tuple[int, int, int]]) -> float:
    lum = [(299 * r + 587 * g + 114 * b) / 1000 for r, g, b in pixels]
    mean = sum(lum) / len(lum)
    return sum((v - mean) ** 2 for v in lum) / len(lum)
