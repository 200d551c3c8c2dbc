"""The `argmap` commands that talk to a server, run against the real service."""

import json
import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import msgspec
from argmap_client import Client
from support import ROOT, LiveServer
from typer.testing import CliRunner

FIXTURES = ROOT / "tests" / "data" / "formats"


def run(cli: Any, args: list[str], env: dict[str, str]) -> Any:
    return CliRunner().invoke(cli, args, env=env)


def write_small_maps(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex[:8]
    slugs = []
    for n in range(count):
        slug = f"bulk-{tag}-{n}"
        doc = {
            "format": "argmap/1",
            "slug": slug,
            "title": f"Bulk map {n}",
            "statements": [
                {"id": "c", "text": f"Claim number {n}."},
                {"id": "p", "text": "Because.", "kind": "premise"},
            ],
            "inferences": [{"id": "i", "premises": ["p"], "conclusion": "c"}],
        }
        (folder / f"{slug}.argmap.json").write_bytes(msgspec.json.encode(doc))
        slugs.append(slug)
    return slugs


def test_maps_list_json_matches_the_api(cli: Any, server_env: dict[str, str], live_server: LiveServer) -> None:
    result = run(cli, ["maps", "list", "--json"], server_env)
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)
    with Client(live_server.url, live_server.token) as api:
        expected = [str(m.id) for m in api.iter_maps()]
    assert [m["id"] for m in listed] == expected
    limited = run(cli, ["maps", "list", "--json", "--limit", "3", "--q", "belarus"], server_env)
    assert len(json.loads(limited.stdout)) == 3


def test_maps_show_and_unknown_map_exit_4(cli: Any, server_env: dict[str, str]) -> None:
    shown = run(cli, ["maps", "show", "belarus-2020-rust", "--json"], server_env)
    assert shown.exit_code == 0
    doc = json.loads(shown.stdout)
    assert doc["slug"] == "belarus-2020-rust" and doc["format"] == "argmap/1"
    text = run(cli, ["maps", "show", "belarus-2020-rust"], server_env)
    assert f"statements   {len(doc['statements'])}" in text.stdout

    missing = run(cli, ["maps", "show", "no-such-map-anywhere"], server_env)
    assert missing.exit_code == 4
    assert "no-such-map-anywhere" in missing.stderr and "404" in missing.stderr


def test_bad_token_exits_6(cli: Any, live_server: LiveServer) -> None:
    env = {"ARGMAP_URL": live_server.url, "ARGMAP_TOKEN": "amp_this-token-does-not-exist"}
    result = run(cli, ["tokens", "list"], env)
    assert result.exit_code == 6
    assert "the token is not valid" in result.stderr
    # Without a token, creating a token needs one: 401 as well.
    anonymous = run(cli, ["tokens", "create", "x"], {"ARGMAP_URL": live_server.url, "ARGMAP_TOKEN": ""})
    assert anonymous.exit_code == 6


def test_unreachable_server_exits_5(cli: Any) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
        env = {"ARGMAP_URL": url, "ARGMAP_TOKEN": "x", "ARGMAP_RETRIES": "0"}
        result = run(cli, ["maps", "list"], env)
    assert result.exit_code == 5
    assert "cannot reach" in result.stderr


def test_import_invalid_file_exits_3_with_violations(cli: Any, server_env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.argmap.json"
    bad.write_text(
        json.dumps(
            {
                "format": "argmap/1",
                "title": "dangling",
                "statements": [{"id": "a", "text": "A."}],
                "conflicts": [{"id": "x", "attacker": "a", "target": "ghost"}],
            }
        )
    )
    result = run(cli, ["import", str(bad)], server_env)
    assert result.exit_code == 3
    assert "conflicts x target" in result.stderr
    unreadable = tmp_path / "broken.aif.json"
    unreadable.write_text("{ nope")
    assert run(cli, ["import", str(unreadable)], server_env).exit_code == 3


def test_import_prints_warnings_to_stderr_and_json_to_stdout(cli: Any, server_env: dict[str, str]) -> None:
    result = run(cli, ["import", str(FIXTURES / "small_aifdb.json"), "--json"], server_env)
    assert result.exit_code == 0, result.stderr
    [entry] = json.loads(result.stdout)
    assert entry["format"] == "aif" and entry["statements"] > 0
    assert "warning:" in result.stderr and "dialogue layer" in result.stderr
    assert entry["warnings"] and all(w in result.stderr for w in entry["warnings"])


def test_export_writes_the_file_and_reports_losses(cli: Any, server_env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "rust.mmd"
    result = run(cli, ["export", "belarus-2020-rust", "--format", "mermaid", "-o", str(target)], server_env)
    assert result.exit_code == 0, result.stderr
    assert target.read_text().startswith("flowchart")
    assert "Mermaid cannot hold" in result.stderr
    to_stdout = run(cli, ["export", "belarus-2020-rust"], server_env)
    assert json.loads(to_stdout.stdout)["slug"] == "belarus-2020-rust"
    old = run(cli, ["export", "belarus-2020-rust", "--revision", "99"], server_env)
    assert old.exit_code == 4


def test_delete_asks_unless_yes(cli: Any, server_env: dict[str, str], live_server: LiveServer) -> None:
    with Client(live_server.url, live_server.token) as api:
        report = api.import_map(FIXTURES / "small.argdown")
    assert report.map is not None
    ref = str(report.map.id)
    declined = CliRunner().invoke(cli, ["maps", "delete", ref], env=server_env, input="n\n")
    assert declined.exit_code == 1
    assert run(cli, ["maps", "show", ref], server_env).exit_code == 0
    stale = run(cli, ["maps", "delete", ref, "--yes", "--if-match", "7"], server_env)
    assert stale.exit_code == 1 and "412" in stale.stderr
    assert run(cli, ["maps", "delete", ref, "--yes", "--if-match", "1"], server_env).exit_code == 0
    assert run(cli, ["maps", "show", ref], server_env).exit_code == 4


def test_tokens_create_list_revoke(cli: Any, server_env: dict[str, str], live_server: LiveServer) -> None:
    created = run(cli, ["tokens", "create", "cli test", "--json"], server_env)
    assert created.exit_code == 0, created.stderr
    token = json.loads(created.stdout)
    listed = json.loads(run(cli, ["tokens", "list", "--json"], server_env).stdout)
    assert token["id"] in {t["id"] for t in listed}
    assert all("token" not in t for t in listed)  # secrets are never listed
    with_new = {"ARGMAP_URL": live_server.url, "ARGMAP_TOKEN": token["token"]}
    assert run(cli, ["tokens", "list"], with_new).exit_code == 0
    assert run(cli, ["tokens", "revoke", token["id"]], server_env).exit_code == 0
    assert run(cli, ["tokens", "list"], with_new).exit_code == 6


def test_share_prints_a_working_link(cli: Any, server_env: dict[str, str], live_server: LiveServer) -> None:
    with Client(live_server.url, live_server.token) as api:
        report = api.import_map(FIXTURES / "small.kialo.txt")
    assert report.map is not None
    ref = str(report.map.id)
    result = run(cli, ["share", ref, "--name", "parents"], server_env)
    assert result.exit_code == 0, result.stderr
    link = result.stdout.strip()
    assert re.fullmatch(re.escape(live_server.url) + r"/s/\S+", link)
    page = httpx.get(link, timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    shares = json.loads(run(cli, ["share", ref, "--list", "--json"], server_env).stdout)
    assert [s["name"] for s in shares] == ["parents"]
    assert run(cli, ["share", ref, "--revoke", shares[0]["id"]], server_env).exit_code == 0
    assert httpx.get(link, timeout=10).status_code == 404


def test_diff_and_compare_commands(cli: Any, server_env: dict[str, str], live_server: LiveServer) -> None:
    with Client(live_server.url, live_server.token) as api:
        ref = str(api.import_map(FIXTURES / "small.argdown").map.id)  # type: ignore[union-attr]
        cand = str(api.import_map(FIXTURES / "small.argdown").map.id)  # type: ignore[union-attr]
        api.patch_map(cand, title="changed title")
    d = run(cli, ["diff", cand, "--json"], server_env)
    assert d.exit_code == 0, d.stderr
    diff = json.loads(d.stdout)
    assert diff["before_revision"] == 1 and diff["after_revision"] == 2
    assert [c["field"] for c in diff["metadata"]] == ["title"]
    assert "~ title" in run(cli, ["diff", cand], server_env).stdout

    c = run(cli, ["compare", "maps", ref, cand, "--json"], server_env)
    assert c.exit_code == 0, c.stderr
    result = json.loads(c.stdout)
    assert result["scores"]["statements"]["f1"] == 1.0
    shown = run(cli, ["compare", "maps", ref, cand], server_env)
    assert "statements" in shown.stdout and "kappa" in shown.stdout
    bad = run(cli, ["compare", "maps", ref, cand, "--confirm", "no-equals-sign"], server_env)
    assert bad.exit_code == 2

    authors = run(cli, ["compare", "authors", "belarus-2020-debate", "rust", "marples", "--json"], server_env)
    assert authors.exit_code == 0, authors.stderr
    assert json.loads(authors.stdout)["authors"] == ["rust", "marples"]


def test_bulk_import_of_1000_maps_shows_progress(
    cli: Any, server_env: dict[str, str], live_server: LiveServer, tmp_path: Path
) -> None:
    slugs = write_small_maps(tmp_path / "bulk", 1000)
    with Client(live_server.url, live_server.token) as api:
        before = api.list_maps(limit=1).total
    result = run(cli, ["import", str(tmp_path / "bulk"), "--jobs", "8"], server_env)
    assert result.exit_code == 0, result.stderr[-2000:]
    # The bar's final state: count, rate and time left; then the summary line.
    assert re.search(r"importing .*1000/1000 +[\d,]+/s +\d+:\d\d:\d\d left +\d+:\d\d:\d\d", result.stderr), (
        result.stderr[-500:]
    )
    assert re.search(r"importing: 1000 in [\d.]+ s \([\d,]+/s\)", result.stderr)
    assert "1000 imported, 0 failed" in result.stderr
    with Client(live_server.url, live_server.token) as api:
        assert api.list_maps(limit=1).total == before + 1000
        assert {m.slug for m in api.iter_maps(q="Bulk map", page_size=500)} >= set(slugs)

    out = tmp_path / "exported"
    exported = run(cli, ["export", "--all", "-o", str(out)], server_env)
    assert exported.exit_code == 0, exported.stderr[-2000:]
    assert re.search(rf"exporting .*{before + 1000}/{before + 1000}", exported.stderr)
    files = list(out.glob("*.argmap.json"))
    assert len(files) == before + 1000
    sample = json.loads((out / f"{slugs[0]}.argmap.json").read_text())
    assert sample["statements"][0]["text"] == "Claim number 0."
