"""Every native format version ever written keeps loading.

The fixtures in tests/data/native/<version>/ are frozen files. This harness checks that
each still decodes into a valid current document, that every version has an upgrade path
to the current one, and that the upgrade machinery itself works."""

from pathlib import Path
from typing import Any

import msgspec
import pytest
from support import ROOT

from service.domain.formats import native
from service.domain.formats.base import FormatError
from service.domain.graph import FORMAT
from service.domain.validation import validate

FIXTURES = ROOT / "tests" / "data" / "native"
FILES = sorted(FIXTURES.glob("*/*.argmap.json"))


def version_of(path: Path) -> str:
    return path.parent.name.replace("-", "/", 1)


def test_there_are_fixtures_for_the_current_version() -> None:
    assert any(version_of(p) == FORMAT for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_written_version_still_loads(path: Path) -> None:
    raw = msgspec.json.decode(path.read_bytes())
    assert raw["format"] == version_of(path), "a fixture must sit in the folder of its own version"
    assert raw["format"] == FORMAT or raw["format"] in native.UPGRADES, f"no upgrade path from {raw['format']}"
    doc = native.decode(path.read_bytes())
    assert validate(doc) == []
    if raw["format"] == FORMAT:
        # current files are byte-stable: what we read is what we would write
        assert native.encode(doc) == path.read_bytes()


def test_upgrades_run_in_steps_until_the_current_version(monkeypatch: pytest.MonkeyPatch) -> None:
    # A made-up older version whose statements called their text "claim".
    def v0_to_v1(raw: dict[str, Any]) -> dict[str, Any]:
        statements = [{"id": s["id"], "text": s["claim"]} for s in raw.get("statements", [])]
        return {**raw, "format": FORMAT, "statements": statements}

    monkeypatch.setitem(native.UPGRADES, "argmap/0", v0_to_v1)
    old = b'{"format": "argmap/0", "title": "Old", "statements": [{"id": "a", "claim": "An old claim."}]}'
    doc = native.decode(old)
    assert doc.statements[0].text == "An old claim." and native.encode(doc).startswith(b'{"format":"argmap/1"')


def test_an_unknown_version_is_refused_by_name() -> None:
    with pytest.raises(FormatError) as err:
        native.decode(b'{"format": "argmap/99", "title": "From the future"}')
    assert "argmap/99" in str(err.value) and err.value.location == "/format"
