"""Maps through the real app, on SQLite and PostgreSQL."""

from typing import Any

import msgspec
from support import Actors, problem, small_map

from service.domain.formats import native


async def create(client: Any, actors: Actors, doc: dict[str, Any] | None = None, **params: str) -> dict[str, Any]:
    r = await client.post("/maps", json=doc or small_map(), params=params, headers=actors.h(actors.teacher))
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    assert r.headers["location"] == f"/maps/{body['id']}"
    return body


def strip_server_fields(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("id", "revision")}


async def test_create_then_read_returns_the_same_graph(client: Any, actors: Actors) -> None:
    info = await create(client, actors)
    assert info["revision"] == 1 and info["counts"] == {"statements": 5, "inferences": 1, "conflicts": 2}
    r = await client.get(f"/maps/{info['id']}", headers=actors.h(actors.teacher))
    assert r.status_code == 200
    assert r.headers["etag"] == f'"{info["id"]}-r1"'
    got = r.json()
    assert got["id"] == info["id"] and got["revision"] == 1
    # The server returns the canonical encoding of exactly what was sent.
    sent = native.decode(msgspec.json.encode(small_map()))
    assert r.content == native.encode(msgspec.structs.replace(sent, id=info["id"], revision=1))


async def test_read_is_byte_stable(client: Any, actors: Actors) -> None:
    info = await create(client, actors)
    a = await client.get(f"/maps/{info['id']}", headers=actors.h(actors.teacher))
    b = await client.get(f"/maps/{info['id']}", headers=actors.h(actors.teacher))
    assert a.content == b.content


async def test_if_none_match_gives_304_until_the_map_changes(client: Any, actors: Actors) -> None:
    info = await create(client, actors)
    h = actors.h(actors.teacher)
    tag = (await client.get(f"/maps/{info['id']}", headers=h)).headers["etag"]
    r = await client.get(f"/maps/{info['id']}", headers={**h, "If-None-Match": tag})
    assert r.status_code == 304 and r.content == b""
    await client.patch(f"/maps/{info['id']}", json={"title": "Uniforms, revisited"}, headers=h)
    r = await client.get(f"/maps/{info['id']}", headers={**h, "If-None-Match": tag})
    assert r.status_code == 200 and r.json()["title"] == "Uniforms, revisited"


async def test_stale_if_match_is_refused_and_nothing_is_lost(client: Any, actors: Actors) -> None:
    info = await create(client, actors)
    h = actors.h(actors.teacher)
    url = f"/maps/{info['id']}"
    tag1 = (await client.get(url, headers=h)).headers["etag"]
    # Writer A succeeds with the current tag ...
    r = await client.patch(f"{url}/statements/c1", json={"text": "Uniforms should be required."}, headers={**h, "If-Match": tag1})
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == f'"{info["id"]}-r2"'
    # ... writer B, still holding the old tag, is refused instead of overwriting A.
    r = await client.patch(f"{url}/statements/c1", json={"text": "B's version"}, headers={**h, "If-Match": tag1})
    body = problem(r, 412)
    assert "revision 2" in body["detail"]
    got = (await client.get(url, headers=h)).json()
    assert got["statements"][0]["text"] == "Uniforms should be required." and got["revision"] == 2


async def test_put_replaces_the_graph_in_one_transaction(client: Any, actors: Actors) -> None:
    info = await create(client, actors)
    h = actors.h(actors.teacher)
    url = f"/maps/{info['id']}"
    bad = small_map(title="Broken")
    bad["inferences"][0]["premises"] = ["p1", "ghost"]
    bad["conflicts"][0]["target"] = "r1"  # self-attack
    body = problem(await client.put(url, json=bad, headers=h), 422)
    found = {(v["element"], v["id"], v["field"]) for v in body["violations"]}
    assert ("inferences", "i1", "premises[1]") in found
    assert ("conflicts", "k1", "target") in found
    after = (await client.get(url, headers=h)).json()
    assert after["title"] == "School uniforms" and after["revision"] == 1
    good = small_map(title="Uniforms v2", statements=small_map()["statements"][:1], inferences=[], conflicts=[])
    r = await client.put(url, json=good, headers=h)
    assert r.status_code == 200 and r.json()["revision"] == 2
    after = (await client.get(url, headers=h)).json()
    assert [s["id"] for s in after["statements"]] == ["c1"] and after["title"] == "Uniforms v2"


async def test_list_filters_and_paginates(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    await create(client, actors, small_map(title="Alpha uniforms"))
    await create(client, actors, small_map(title="Beta sanctions", authors=[{"id": "rust", "name": "Maxim Rust"}],
                                           statements=[{"id": "s", "text": "Wait.", "author": "rust"}],
                                           inferences=[], conflicts=[], topics=[{"id": "sanctions", "title": "Sanctions"}]))  # fmt: skip
    await create(client, actors, small_map(title="Gamma"))
    page = (await client.get("/maps", params={"limit": 2}, headers=h)).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["items"][0]["title"] == "Alpha uniforms"
    page2 = (await client.get("/maps", params={"limit": 2, "offset": 2}, headers=h)).json()
    assert [m["title"] for m in page2["items"]] == ["Gamma"]
    assert [m["title"] for m in (await client.get("/maps", params={"q": "SANCT"}, headers=h)).json()["items"]] == ["Beta sanctions"]
    assert [m["title"] for m in (await client.get("/maps", params={"author": "rust"}, headers=h)).json()["items"]] == ["Beta sanctions"]
    assert (await client.get("/maps", params={"topic": "sanctions"}, headers=h)).json()["total"] == 1
    problem(await client.get("/maps", params={"limit": 0}, headers=h), 400)


async def test_patch_metadata_and_slug(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    info = await create(client, actors)
    r = await client.patch(f"/maps/{info['id']}", json={"slug": "uniforms", "description": "new"}, headers=h)
    assert r.status_code == 200 and r.json()["slug"] == "uniforms" and r.json()["revision"] == 2
    assert (await client.get("/maps/uniforms", headers=h)).json()["description"] == "new"
    other = await create(client, actors)
    body = problem(await client.patch(f"/maps/{other['id']}", json={"slug": "uniforms"}, headers=h), 409)
    assert "uniforms" in body["detail"]
    problem(await client.patch(f"/maps/{info['id']}", json={"colour": "red"}, headers=h), 400)


async def test_delete_map(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    info = await create(client, actors)
    r = await client.delete(f"/maps/{info['id']}", headers=h)
    assert r.status_code == 204
    problem(await client.get(f"/maps/{info['id']}", headers=h), 404)


async def test_history_read_at_revision_and_restore(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    info = await create(client, actors)
    url = f"/maps/{info['id']}"
    await client.patch(f"{url}/statements/c1", json={"text": "Second wording."}, headers=h)
    await client.delete(f"{url}/conflicts/k1", headers=h)
    revs = (await client.get(f"{url}/revisions", headers=h)).json()
    assert [r["revision"] for r in revs] == [3, 2, 1]
    assert revs[0]["user"] == "Tess Teacher" and "conflict k1" in revs[0]["summary"]
    r1 = (await client.get(url, params={"revision": 1}, headers=h)).json()
    assert r1["statements"][0]["text"] == "Schools should require uniforms." and len(r1["conflicts"]) == 2
    r2 = (await client.get(url, params={"revision": 2}, headers=h)).json()
    assert r2["statements"][0]["text"] == "Second wording." and len(r2["conflicts"]) == 2
    problem(await client.get(url, params={"revision": 9}, headers=h), 404)
    r = await client.post(f"{url}/revisions/1/restore", headers=h)
    assert r.status_code == 201 and r.json()["revision"] == 4
    now = (await client.get(url, headers=h)).json()
    assert strip_server_fields(now) == strip_server_fields(r1)


async def test_health_checks_the_database(client: Any) -> None:
    r = await client.get("/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert r.json()["database"] in ("sqlite", "postgresql")
