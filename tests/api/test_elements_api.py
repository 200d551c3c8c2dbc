"""Editing single elements through the real app, on SQLite and PostgreSQL."""

from typing import Any

import pytest
from support import Actors, problem, small_map

NEW = {
    "statements": {"id": "n1", "text": "A fresh point.", "kind": "evidence", "author": "ann"},
    "inferences": {"id": "n2", "premises": ["p1"], "conclusion": "r1"},
    "conflicts": {"id": "n3", "attacker": "p2", "target": "r1"},
    "equivalences": {"id": "n4", "first": "p1", "second": "p2"},
    "authors": {"id": "n5", "name": "Cleo"},
    "sources": {"id": "n6", "title": "A second source", "creators": ["Someone"]},
    "topics": {"id": "n7", "title": "Is bullying the main issue?"},
}
PATCHES = {
    "statements": ("n1", {"text": "A reworded point."}, "text", "A reworded point."),
    "inferences": ("n2", {"scheme": "Argument from consequences"}, "scheme", "Argument from consequences"),
    "conflicts": ("n3", {"kind": "undermine"}, "kind", "undermine"),
    "equivalences": ("n4", {"second": "c1"}, "second", "c1"),
    "authors": ("n5", {"name": "Cleo B."}, "name", "Cleo B."),
    "sources": ("n6", {"year": 2025}, "year", 2025),
    "topics": ("n7", {"description": "Scope of the debate"}, "description", "Scope of the debate"),
}


async def new_map(client: Any, actors: Actors) -> tuple[str, dict[str, str]]:
    h = actors.h(actors.teacher)
    r = await client.post("/maps", json=small_map(), headers=h)
    assert r.status_code == 201, r.text
    return f"/maps/{r.json()['id']}", h


@pytest.mark.parametrize("collection", list(NEW))
async def test_element_lifecycle(client: Any, actors: Actors, collection: str) -> None:
    url, h = await new_map(client, actors)
    el = NEW[collection]
    r = await client.post(f"{url}/{collection}", json=el, headers=h)
    assert r.status_code == 201, r.text
    assert r.json() == el and r.headers["location"].endswith(f"/{collection}/{el['id']}")
    assert (await client.get(f"{url}/{collection}/{el['id']}", headers=h)).json() == el
    # the same id twice is a conflict, not an overwrite
    problem(await client.post(f"{url}/{collection}", json=el, headers=h), 409)
    eid, patch, field, value = PATCHES[collection]
    r = await client.patch(f"{url}/{collection}/{eid}", json=patch, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()[field] == value
    listed = (await client.get(f"{url}/{collection}", headers=h)).json()
    assert listed[-1][field] == value
    r = await client.put(f"{url}/{collection}/{eid}", json=el, headers=h)
    assert r.status_code == 200 and r.json() == el
    r = await client.delete(f"{url}/{collection}/{eid}", headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["deleted"] == [{"collection": collection, "id": eid}]
    problem(await client.get(f"{url}/{collection}/{eid}", headers=h), 404)
    revs = (await client.get(f"{url}/revisions", headers=h)).json()
    assert len(revs) == 5  # create + add + patch + put + delete


async def test_invariants_checked_on_single_edits(client: Any, actors: Actors) -> None:
    url, h = await new_map(client, actors)
    body = problem(await client.post(f"{url}/inferences", json={"id": "x", "premises": ["c1"], "conclusion": "c1"}, headers=h), 422)
    assert body["violations"] == [
        {"element": "inferences", "id": "x", "field": "conclusion", "reason": "conclusion 'c1' is also one of its premises"}
    ]
    body = problem(await client.post(f"{url}/conflicts", json={"id": "x", "attacker": "r1", "target": "i1"}, headers=h), 422)
    assert body["violations"][0]["field"] == "kind" and "undercut" in body["violations"][0]["reason"]
    body = problem(await client.post(f"{url}/statements", json={"id": "x", "text": "   "}, headers=h), 422)
    assert body["violations"][0]["field"] == "text"
    body = problem(await client.post(f"{url}/statements", json={"id": "c1", "text": "dup"}, headers=h), 409)
    body = problem(await client.post(f"{url}/authors", json={"id": "c1", "name": "Clash"}, headers=h), 422)
    assert "already used" in body["violations"][0]["reason"]
    body = problem(await client.patch(f"{url}/statements/c1", json={"author": "nobody"}, headers=h), 422)
    assert body["violations"][0] == {
        "element": "statements", "id": "c1", "field": "author", "reason": "author 'nobody' does not exist in this map"
    }
    # nothing above changed the map
    assert (await client.get(url, headers=h)).json()["revision"] == 1


async def test_delete_with_dependents_is_refused_then_cascades(client: Any, actors: Actors) -> None:
    url, h = await new_map(client, actors)
    body = problem(await client.delete(f"{url}/statements/p1", headers=h), 409)
    assert body["dependents"] == [{"collection": "inferences", "id": "i1"}]
    assert "inference i1" in body["detail"] and "cascade=true" in body["detail"]
    r = await client.delete(f"{url}/statements/p1", params={"cascade": "true"}, headers=h)
    assert r.status_code == 200, r.text
    # the undercut k2 attacked inference i1, which needed p1: all three go
    assert r.json()["deleted"] == [
        {"collection": "conflicts", "id": "k2"},
        {"collection": "inferences", "id": "i1"},
        {"collection": "statements", "id": "p1"},
    ]
    doc = (await client.get(url, headers=h)).json()
    assert [s["id"] for s in doc["statements"]] == ["c1", "p2", "r1", "u1"]
    assert "inferences" not in doc and [c["id"] for c in doc["conflicts"]] == ["k1"]


async def test_deleting_an_author_clears_references_on_cascade(client: Any, actors: Actors) -> None:
    url, h = await new_map(client, actors)
    problem(await client.delete(f"{url}/authors/bob", headers=h), 409)
    r = await client.delete(f"{url}/authors/bob", params={"cascade": "true"}, headers=h)
    assert r.json()["deleted"] == [{"collection": "authors", "id": "bob"}]
    doc = (await client.get(url, headers=h)).json()
    assert all(s.get("author") != "bob" for s in doc["statements"]) and len(doc["statements"]) == 5
    assert all("author" not in c for c in doc["conflicts"])


async def test_element_ids_are_stable(client: Any, actors: Actors) -> None:
    url, h = await new_map(client, actors)
    body = problem(await client.put(f"{url}/statements/c1", json={"id": "c9", "text": "x"}, headers=h), 400)
    assert "c9" in body["detail"]
    problem(await client.patch(f"{url}/statements/c1", json={"id": "zz"}, headers=h), 400)
    body = problem(await client.post(f"{url}/statements", json={"id": "bad id!", "text": "x"}, headers=h), 400)
    assert body["errors"][0]["pointer"] == "/id"


async def test_put_element_creates_when_missing(client: Any, actors: Actors) -> None:
    url, h = await new_map(client, actors)
    r = await client.put(f"{url}/statements/new", json={"id": "new", "text": "Appended."}, headers=h)
    assert r.status_code == 200
    doc = (await client.get(url, headers=h)).json()
    assert doc["statements"][-1] == {"id": "new", "text": "Appended."}
