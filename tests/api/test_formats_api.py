"""Export and import over HTTP, on both databases."""

import json
from typing import Any

import pytest
from support import ROOT, Actors, problem, small_map

from service.domain import formats

FIXTURES = ROOT / "tests" / "data" / "formats"
EXPORTS = {
    "argmap": "application/vnd.argmap+json",
    "aif": "application/json",
    "argdown": "text/vnd.argdown",
    "graphml": "application/graphml+xml",
    "dot": "text/vnd.graphviz",
    "mermaid": "text/vnd.mermaid",
    "kialo": "text/plain",
    "sadface": "application/json",
    "svg": "image/svg+xml",
    "png": "image/png",
}


async def new_map(client: Any, actors: Actors) -> tuple[str, dict[str, str]]:
    h = actors.h(actors.teacher)
    r = await client.post("/maps", json=small_map(slug="uniforms"), headers=h)
    return f"/maps/{r.json()['id']}", h


@pytest.mark.parametrize("fmt", list(EXPORTS))
async def test_export_every_format(client: Any, actors: Actors, fmt: str) -> None:
    url, h = await new_map(client, actors)
    r = await client.get(f"{url}/export", params={"format": fmt}, headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(EXPORTS[fmt].split(";")[0]), r.headers["content-type"]
    assert 'filename="uniforms.' in r.headers["content-disposition"]
    if fmt == "png":
        assert r.content.startswith(b"\x89PNG")
    else:
        assert "Uniforms reduce visible income differences." in r.text or fmt in ("dot", "graphml", "svg", "mermaid")
    again = await client.get(f"{url}/export", params={"format": fmt}, headers={**h, "If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


async def test_export_reports_what_the_format_cannot_hold(client: Any, actors: Actors) -> None:
    url, h = await new_map(client, actors)
    r = await client.get(f"{url}/export", params={"format": "kialo"}, headers=h)
    warnings = json.loads(r.headers["x-argmap-warnings"])
    assert int(r.headers["x-argmap-warning-count"]) == len(warnings) >= 2
    assert any("undercut" in w.lower() for w in warnings) and any("linked" in w.lower() for w in warnings)
    env = (await client.get(f"{url}/export", params={"format": "kialo", "envelope": "true"}, headers=h)).json()
    assert env["warnings"] == warnings and env["filename"] == "uniforms.kialo.txt" and env["data"].startswith("Discussion Title:")


async def test_export_at_an_old_revision(client: Any, actors: Actors) -> None:
    url, h = await new_map(client, actors)
    await client.patch(f"{url}/statements/c1", json={"text": "Changed later."}, headers=h)
    old = await client.get(f"{url}/export", params={"format": "argdown", "revision": 1}, headers=h)
    assert "Schools should require uniforms." in old.text and "Changed later." not in old.text
    assert 'uniforms-r1.' in old.headers["content-disposition"]
    problem(await client.get(f"{url}/export", params={"format": "argdown", "revision": 7}, headers=h), 404)
    problem(await client.get(f"{url}/export", params={"format": "pdf"}, headers=h), 400)


async def test_native_export_import_round_trip_is_lossless(client: Any, actors: Actors) -> None:
    url, h = await new_map(client, actors)
    exported = (await client.get(f"{url}/export", params={"format": "argmap"}, headers=h)).content
    r = await client.post("/maps/import", content=exported, headers={**h, "Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    report = r.json()
    assert report["format"] == "argmap" and report["counts"] == {"statements": 5, "inferences": 1, "conflicts": 2}
    new_url = f"/maps/{report['map']['id']}"
    again = (await client.get(f"{new_url}/export", params={"format": "argmap"}, headers=h)).content
    strip = lambda b: {k: v for k, v in json.loads(b).items() if k not in ("id", "slug")}  # noqa: E731
    assert strip(again) == strip(exported)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("small_aifdb.json", "aif"),
        ("small_ova.json", "aif"),
        ("small.argdown", "argdown"),
        ("small.kialo.txt", "kialo"),
        ("small_microtext.xml", "microtexts"),
        ("small_sadface02.json", "sadface"),
        ("small_sadface05.json", "sadface"),
    ],
)
async def test_import_sniffs_and_stores_every_format(client: Any, actors: Actors, name: str, fmt: str) -> None:
    h = actors.h(actors.teacher)
    data = (FIXTURES / name).read_bytes()
    expected = formats.import_(data, fmt).document
    dry = await client.post("/maps/import", params={"dry_run": "true"}, content=data, headers={**h, "Content-Type": "application/octet-stream"})
    assert dry.status_code == 200, dry.text
    assert dry.json()["format"] == fmt and dry.json()["dry_run"] is True
    assert (await client.get("/maps", headers=h)).json()["total"] == 0  # a dry run stores nothing
    r = await client.post("/maps/import", files={"file": (name, data)}, headers=h)
    assert r.status_code == 201, r.text
    stored = (await client.get(f"/maps/{r.json()['map']['id']}", headers=h)).json()
    assert [s["text"] for s in stored.get("statements", [])] == [s.text for s in expected.statements]
    assert len(stored.get("inferences", [])) == len(expected.inferences)
    assert len(stored.get("conflicts", [])) == len(expected.conflicts)


async def test_malformed_imports_point_at_the_place_and_store_nothing(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    body = problem(await client.post("/maps/import", params={"format": "aif"}, content=b'{"nodes": [{"nodeID": 1}], "edges": 3}', headers=h), 400)
    assert body["errors"][0]["location"]
    xml = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "boom">]><arggraph id="a"><edu id="e1">&x;</edu></arggraph>'
    problem(await client.post("/maps/import", params={"format": "microtexts"}, content=xml, headers=h), 400)
    body = problem(await client.post("/maps/import", params={"format": "argdown"}, content=b"[A]: text\n  + <B\n", headers=h), 400)
    assert "line" in body["detail"]
    problem(await client.post("/maps/import", params={"format": "nope"}, content=b"x", headers=h), 400)
    problem(await client.post("/maps/import", content=b"", headers=h), 400)
    problem(await client.post("/maps/import", content=b"{}"), 401)
    assert (await client.get("/maps", headers=h)).json()["total"] == 0


async def test_ndjson_bulk_export_streams_visible_maps(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    for k in range(3):
        await client.post("/maps", json=small_map(title=f"Map {k}"), headers=h)
    await client.post("/maps", json=small_map(title="Someone else's"), headers=actors.h(actors.other))
    r = await client.get("/export/maps.ndjson", headers=h)
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert sorted(d["title"] for d in lines) == ["Map 0", "Map 1", "Map 2"]
    assert all(d["format"] == "argmap/1" and len(d["statements"]) == 5 for d in lines)
    filtered = (await client.get("/export/maps.ndjson", params={"q": "map 1"}, headers=h)).text.splitlines()
    assert len(filtered) == 1


async def test_native_schema_is_served_and_validates_a_real_map(client: Any) -> None:
    import jsonschema

    r = await client.get("/formats/argmap/schema")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/schema+json")
    schema = r.json()
    doc = json.loads((ROOT / "argument_maps" / "belarus-2020" / "belarus-2020-rust.argmap.json").read_text())
    jsonschema.validate(doc, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**doc, "statements": [{"id": "x"}]}, schema)
    listed = {f["name"]: f for f in (await client.get("/formats")).json()}
    assert listed["aif"]["can_import"] and listed["png"]["can_export"] and not listed["png"]["can_import"]


async def test_kialo_export_of_a_map_too_deep_for_numbered_lines_is_refused(client: Any, actors: Actors) -> None:
    """A chain 8,200 claims deep: Kialo's path numbers would hold ~67 million characters,
    so the export answers with a problem instead of building them; other formats work."""
    depth = 8_200
    doc = {
        "format": "argmap/1",
        "title": "A very deep chain",
        "statements": [{"id": f"s{k}", "text": f"Claim {k} of the chain."} for k in range(depth)],
        "inferences": [{"id": f"i{k}", "premises": [f"s{k + 1}"], "conclusion": f"s{k}"} for k in range(depth - 1)],
    }
    h = actors.h(actors.teacher)
    r = await client.post("/maps/import", content=json.dumps(doc), headers={**h, "Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    url = f"/maps/{r.json()['map']['id']}"
    body = problem(await client.get(f"{url}/export", params={"format": "kialo"}, headers=h), 400)
    assert "nest so deep" in body["detail"] and "64,000,000 characters" in body["detail"]
    assert (await client.get(f"{url}/export", params={"format": "argdown"}, headers=h)).status_code == 200
