"""PNG export through resvg: a real PNG with text pixels, and a clear error without fonts."""

import sys
from pathlib import Path

# the sample maps and PNG reader are shared with the browser tests
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "browser"))
import re
from pathlib import Path

import pytest
import resvg_py
import viewer_fixtures as vf

from service.domain.formats import png, svg
from service.domain.graph import Author, Inference, MapDocument, Statement

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _small_map() -> MapDocument:
    return MapDocument(
        title="Tiny",
        authors=[Author(id="a", name="Ann")],
        statements=[
            Statement(id="c", text="Main claim in words", author="a"),
            Statement(id="p", text="A reason with several words", author="a"),
        ],
        inferences=[Inference(id="i", premises=["p"], conclusion="c")],
    )


@pytest.fixture(autouse=True)
def _needs_font():
    try:
        png.find_fonts()
    except png.FontNotFoundError:
        pytest.skip("no DejaVu Sans font file (Debian package fonts-dejavu-core)")


def test_png_has_text_pixels():
    doc = _small_map()
    out = png.export(doc, zoom=1.0)
    assert out.media_type == "image/png" and out.extension == "png"
    width, height, pixels = vf.png_pixels(out.data)
    pic = svg.render_svg(doc)
    assert (width, height) == (round(pic.width), round(pic.height))
    # the same picture with every <text> removed: what remains are boxes and lines only
    bare = re.sub(r"<text\b.*?</text>", "", pic.svg, flags=re.S)
    _, _, bare_pixels = vf.png_pixels(
        bytes(resvg_py.svg_to_bytes(svg_string=bare, background="#ffffff", font_files=png.find_fonts()))
    )
    text_ink = vf.dark_pixels(pixels) - vf.dark_pixels(bare_pixels)
    assert text_ink > 800, f"only {text_ink} dark pixels of text"


def test_missing_font_is_a_clear_error():
    with pytest.raises(png.FontNotFoundError, match="fonts-dejavu-core"):
        png.export(_small_map(), font_files=["/nonexistent/font.ttf"])


def test_huge_maps_are_scaled_down():
    assert png.zoom_for(1000, 1000) == png.DEFAULT_ZOOM
    z = png.zoom_for(60_000, 3_000)
    assert 60_000 * z <= png.MAX_SIDE + 1e-6
    z = png.zoom_for(10_000, 10_000)
    assert 10_000 * 10_000 * z * z <= png.MAX_PIXELS * 1.0001
