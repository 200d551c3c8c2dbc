"""PNG export: the SVG picture rasterised by resvg.

What this module owns: choosing a font resvg can actually find and a scale that keeps
huge maps within memory. The trap it exists for: resvg silently draws *no text* when the
SVG's font family does not resolve, so we hand it DejaVu Sans explicitly (file and family)
and refuse to export a text-less picture when no font file exists.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import resvg_py

from service.domain.formats.base import Exported
from service.domain.formats.svg import render_svg
from service.domain.graph import MapDocument

MEDIA_TYPE: Final = "image/png"
FONT_ENV: Final = "ARGMAP_FONT_FILE"
FONT_CANDIDATES: Final = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",  # Debian/Ubuntu fonts-dejavu-core
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",  # Fedora/Alpine
    "/usr/share/fonts/TTF/DejaVuSans.ttf",  # Arch
    "/usr/local/share/fonts/DejaVuSans.ttf",
)
BOLD_NAME: Final = "DejaVuSans-Bold.ttf"
FONT_FAMILY: Final = "DejaVu Sans"
DEFAULT_ZOOM: Final = 1.5
MAX_PIXELS: Final = 36_000_000  # ~144 MB of RGBA while rendering
MAX_SIDE: Final = 16_000


class FontNotFoundError(RuntimeError):
    """No usable font file: resvg would render a picture without any text."""


def find_fonts(candidates: Sequence[str] | None = None) -> list[str]:
    """Font files to hand to resvg: the regular DejaVu Sans and, when beside it, the bold."""
    paths = list(candidates) if candidates is not None else [os.environ.get(FONT_ENV, ""), *FONT_CANDIDATES]
    for raw in paths:
        if not raw:
            continue
        path = Path(raw)
        if path.is_file():
            bold = path.with_name(BOLD_NAME)
            return [str(path), str(bold)] if bold.is_file() and bold != path else [str(path)]
    raise FontNotFoundError(
        "no font file for the PNG export: install DejaVu Sans (Debian: apt-get install fonts-dejavu-core) "
        f"or point {FONT_ENV} at a .ttf file; tried " + ", ".join(p for p in paths if p)
    )


def zoom_for(width: float, height: float, preferred: float = DEFAULT_ZOOM) -> float:
    """The largest zoom up to `preferred` that keeps the bitmap within our memory limits."""
    zoom = preferred
    if width * height * zoom * zoom > MAX_PIXELS:
        zoom = math.sqrt(MAX_PIXELS / (width * height))
    if max(width, height) * zoom > MAX_SIDE:
        zoom = MAX_SIDE / max(width, height)
    return zoom


def export(doc: MapDocument, *, font_files: Sequence[str] | None = None, zoom: float = DEFAULT_ZOOM) -> Exported:
    """`font_files` overrides the font search (tests use it to prove the error path)."""
    fonts = find_fonts(font_files)
    pic = render_svg(doc)
    scale = zoom_for(pic.width, pic.height, zoom)
    warnings = list(pic.warnings)
    if scale < zoom:
        warnings.append(f"the map is large; the PNG is scaled to {scale:.2f}x, use the SVG export for full detail")
    data = resvg_py.svg_to_bytes(
        svg_string=pic.svg,
        zoom=scale,
        background="#ffffff",
        font_files=fonts,
        font_family=FONT_FAMILY,
        sans_serif_family=FONT_FAMILY,
    )
    return Exported(data=bytes(data), media_type=MEDIA_TYPE, extension="png", warnings=warnings)
