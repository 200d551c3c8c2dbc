"""`argmap convert / validate / render / dump / restore`: no server, files and databases."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from support import ROOT
from typer.testing import CliRunner

from service.domain import formats
from service.domain.formats import native

FIXTURES = ROOT / "tests" / "data" / "formats"
CORPORA = ROOT.parent / "shared" / "corpora"
SHIPPED = ROOT / "argument_maps" / "belarus-2020"
# Corpus files in a format argmap imports (the rest are other tools' outputs, YAML, docs).
CORPUS_PATTERNS = (
    "aif/*.json",
    "argdown/*.argdown",
    "argdown/mini/*.argdown",
    "kialo/*.txt",
    "microtexts/*/*.xml",
    "ova/ova3_*.json",
    "sadface/*.json",
)
EXPORTS = ["argmap", "aif", "argdown", "graphml", "dot", "mermaid", "kialo", "sadface", "svg", "png"]
SUFFIX = {
    "argmap": ".argmap.json",
    "aif": ".aif.json",
    "argdown": ".argdown",
    "graphml": ".graphml",
    "dot": ".dot",
    "mermaid": ".mmd",
    "kialo": ".kialo.txt",
    "sadface": ".sadface.json",
    "svg": ".svg",
    "png": ".png",
}
# Rasterising is ~0.1 s per statement; larger maps get SVG (what the PNG is drawn from).
PNG_MAX_STATEMENTS = 15


def invoke(cli: Any, args: list[str], **kw: Any) -> Any:
    return CliRunner().invoke(cli, args, **kw)


def looks_like(fmt: str, data: bytes) -> bool:
    """Independent checks that a file is in its format, without our importers."""
    text = data.decode("utf-8", errors="replace")
    if fmt in ("argmap", "aif", "sadface"):
        parsed = json.loads(data)
        if fmt == "argmap":
            return bool(parsed.get("format") == "argmap/1")
        return "nodes" in parsed
    if fmt in ("graphml", "svg"):
        root = ET.fromstring(data)
        return root.tag.endswith("graphml" if fmt == "graphml" else "svg")
    if fmt == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if fmt == "dot":
        return re.match(r"\s*(strict\s+)?digraph\b", text) is not None
    if fmt == "mermaid":
        return text.lstrip().startswith(("flowchart", "graph"))
    if fmt == "kialo":
        return text.startswith("Discussion Title:")
    if fmt == "argdown":
        return bool(text.strip())
    raise AssertionError(fmt)


def sources() -> list[Path]:
    files = sorted(p for p in FIXTURES.iterdir() if p.is_file())
    if CORPORA.is_dir():
        for pattern in CORPUS_PATTERNS:
            files += sorted(CORPORA.glob(pattern))
    return files


def test_exportable_formats_are_the_ones_tested() -> None:
    from service.cli.offline import exportable

    assert sorted(exportable()) == sorted(EXPORTS)


def test_corpora_are_present() -> None:
    if not CORPORA.is_dir():
        pytest.skip(f"the shared corpora are not at {CORPORA}; only the project's own fixtures are converted")
    for pattern in CORPUS_PATTERNS:
        assert list(CORPORA.glob(pattern)), f"no corpus file matches {pattern}"


@pytest.mark.parametrize("source", sources(), ids=lambda p: str(p.relative_to(p.parents[1])))
def test_convert_every_file_into_every_format(cli: Any, source: Path, tmp_path: Path) -> None:
    native_out = tmp_path / ("out" + SUFFIX["argmap"])
    first = invoke(cli, ["convert", str(source), str(native_out), "--no-check"])
    assert first.exit_code == 0, first.stderr
    doc = native.decode(native_out.read_bytes())
    for fmt in EXPORTS:
        if fmt == "png" and len(doc.statements) > PNG_MAX_STATEMENTS:
            continue
        target = tmp_path / ("out" + SUFFIX[fmt])
        result = invoke(cli, ["convert", str(source), str(target), "--no-check"])
        assert result.exit_code == 0, f"{fmt}: {result.stderr}"
        assert looks_like(fmt, target.read_bytes()), f"{source.name} -> {fmt} is not {fmt}"
    # The argdown text we wrote reads back with the same statement texts.
    again = invoke(cli, ["convert", str(tmp_path / "out.argdown"), "-", "--to", "argmap", "--no-check"])
    assert again.exit_code == 0, again.stderr
    reread = native.decode(again.stdout_bytes)
    assert sorted(s.text for s in reread.statements) == sorted(s.text for s in doc.statements)


def test_convert_reports_losses_on_stderr(cli: Any, tmp_path: Path) -> None:
    result = invoke(cli, ["convert", str(FIXTURES / "small.argdown"), str(tmp_path / "x.mmd")])
    assert result.exit_code == 0
    expected = formats.export(formats.import_((FIXTURES / "small.argdown").read_bytes(), "argdown").document, "mermaid")
    assert expected.warnings
    for w in expected.warnings:
        assert f"warning: export mermaid: {w}" in result.stderr


def test_convert_usage_errors_exit_2(cli: Any, tmp_path: Path) -> None:
    unknown = invoke(cli, ["convert", str(FIXTURES / "small.argdown"), str(tmp_path / "out.unknown")])
    assert unknown.exit_code == 2 and "--to" in unknown.stderr
    import_only = invoke(cli, ["convert", str(FIXTURES / "small.argdown"), "-", "--to", "microtexts"])
    assert import_only.exit_code == 2
    missing = invoke(cli, ["convert", str(tmp_path / "absent.argdown"), str(tmp_path / "x.aif.json")])
    assert missing.exit_code == 2
    no_args = invoke(cli, ["convert"])
    assert no_args.exit_code == 2


def test_validate_exit_codes_and_json(cli: Any, tmp_path: Path) -> None:
    good = invoke(cli, ["validate", str(FIXTURES / "small.argdown"), str(FIXTURES / "small_sadface05.json")])
    assert good.exit_code == 0
    assert good.stdout.count("valid") == 2

    bad = tmp_path / "bad.argmap.json"
    bad.write_text(
        json.dumps(
            {
                "format": "argmap/1",
                "title": "t",
                "statements": [{"id": "a", "text": "A."}, {"id": "a", "text": "again"}],
                "inferences": [{"id": "i", "premises": ["a"], "conclusion": "zzz"}],
            }
        )
    )
    result = invoke(cli, ["validate", str(FIXTURES / "small.argdown"), str(bad), "--json"])
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert [r["valid"] for r in report] == [True, False]
    assert {(v["element"], v["id"], v["field"]) for v in report[1]["violations"]} == {
        ("statements", "a", "id"),
        ("inferences", "i", "conclusion"),
    }
    unreadable = tmp_path / "x.aif.json"
    unreadable.write_text("[1, 2")
    assert invoke(cli, ["validate", str(unreadable)]).exit_code == 3
    # convert refuses an invalid map unless told otherwise
    assert invoke(cli, ["convert", str(bad), str(tmp_path / "o.aif.json")]).exit_code == 3


def test_render_html_is_self_contained(cli: Any, tmp_path: Path) -> None:
    page = tmp_path / "rust.html"
    result = invoke(cli, ["render", str(SHIPPED / "belarus-2020-rust.argmap.json"), str(page)])
    assert result.exit_code == 0, result.stderr
    html = page.read_text()
    assert "<style>" in html and '<script type="module">' in html
    assert not re.search(r'(?:src|href)="(?!data:|#|https?://)[^"]*\.(?:css|js)', html), (
        "a static file is linked, not inlined"
    )
    doc = native.decode((SHIPPED / "belarus-2020-rust.argmap.json").read_bytes())
    from html import escape

    assert escape(doc.statements[0].text, quote=False) in html


def test_render_pictures(cli: Any, tmp_path: Path) -> None:
    for kind in ("svg", "png"):
        target = tmp_path / f"small.{kind}"
        result = invoke(cli, ["render", str(FIXTURES / "small.argdown"), str(target)])
        assert result.exit_code == 0, result.stderr
        assert looks_like(kind, target.read_bytes())
    assert invoke(cli, ["render", str(FIXTURES / "small.argdown"), str(tmp_path / "x.gif")]).exit_code == 2


def test_dump_and_restore_round_trip(cli: Any, tmp_path: Path) -> None:
    first = f"sqlite+aiosqlite:///{tmp_path / 'first.sqlite3'}"
    second = f"sqlite+aiosqlite:///{tmp_path / 'second.sqlite3'}"
    loaded = invoke(cli, ["restore", str(SHIPPED), "--database-url", first, "--visibility", "public"])
    assert loaded.exit_code == 0, loaded.stderr
    count = len(list(SHIPPED.glob("*.argmap.json")))
    assert f"restored: {count} created" in loaded.stderr
    assert re.search(rf"restoring maps .*{count}/{count}", loaded.stderr)

    dump_file = tmp_path / "all.ndjson"
    dumped = invoke(cli, ["dump", str(dump_file), "--database-url", first])
    assert dumped.exit_code == 0, dumped.stderr
    assert re.search(rf"dumping maps .*{count}/{count} .*/s", dumped.stderr)
    lines = dump_file.read_bytes().splitlines()
    assert len(lines) == count

    restored = invoke(cli, ["restore", str(dump_file), "--database-url", second, "-q"])
    assert restored.exit_code == 0, restored.stderr
    again = invoke(cli, ["restore", str(dump_file), "--database-url", second, "-q"])
    assert f"0 created, 0 updated, {count} unchanged" in again.stderr

    folder = tmp_path / "dumped"
    assert invoke(cli, ["dump", str(folder), "--database-url", second, "-q"]).exit_code == 0
    by_slug = {native.decode(line).slug: native.decode(line) for line in lines}
    for path in folder.glob("*.argmap.json"):
        doc = native.decode(path.read_bytes())
        original = by_slug[doc.slug]
        shipped = native.decode((SHIPPED / path.name).read_bytes())
        # Same content as the shipped file; only the server-assigned id differs.
        assert doc.statements == original.statements == shipped.statements
        assert doc.inferences == shipped.inferences and doc.conflicts == shipped.conflicts
        assert doc.id != original.id
    assert len(list(folder.glob("*.argmap.json"))) == count
