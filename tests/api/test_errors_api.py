"""Bad input gets a precise problem+json and changes nothing; never a 500."""

from typing import Any

import msgspec
from litestar.testing import AsyncTestClient
from support import Actors, problem, small_map

from service.app import create_app
from service.settings import Settings


async def test_unknown_field_names_the_field(client: Any, actors: Actors) -> None:
    doc = small_map()
    doc["statements"][2]["colour"] = "red"
    body = problem(await client.post("/maps", json=doc, headers=actors.h(actors.teacher)), 400)
    assert "colour" in body["detail"] and "/statements/2" in body["detail"]
    assert body["errors"][0]["pointer"] == "/statements/2"


async def test_wrong_type_points_at_the_value(client: Any, actors: Actors) -> None:
    doc = small_map()
    doc["statements"][1]["base_score"] = 7
    body = problem(await client.post("/maps", json=doc, headers=actors.h(actors.teacher)), 400)
    assert body["errors"][0]["pointer"] == "/statements/1/base_score"
    assert "<= 1.0" in body["errors"][0]["reason"]


async def test_malformed_json(client: Any, actors: Actors) -> None:
    r = await client.post(
        "/maps", content=b'{"title": "x",', headers={**actors.h(actors.teacher), "Content-Type": "application/json"}
    )
    problem(r, 400)


async def test_wrong_content_type_is_415(client: Any, actors: Actors) -> None:
    r = await client.post(
        "/maps", content=b"title: x", headers={**actors.h(actors.teacher), "Content-Type": "text/yaml"}
    )
    body = problem(r, 415)
    assert "text/yaml" in body["detail"]


async def test_body_over_the_limit_is_413(database_url: str, actors: Actors) -> None:
    settings = Settings(database_url=database_url, migrate_on_start=False, max_body_bytes=10_000)
    async with AsyncTestClient(app=create_app(settings)) as c:
        doc = small_map(description="x" * 20_000)
        r = await c.post("/maps", content=msgspec.json.encode(doc), headers={**actors.h(actors.teacher), "Content-Type": "application/json"})
        body = problem(r, 413)
        assert "ARGMAP_MAX_BODY_BYTES" in body["detail"]
        assert (await c.get("/maps", headers=actors.h(actors.teacher))).json()["total"] == 0


async def test_unknown_map_and_route(client: Any, actors: Actors) -> None:
    body = problem(await client.get("/maps/no-such-map"), 404)
    assert "no-such-map" in body["detail"]
    problem(await client.get("/nothing/here"), 404)
    problem(await client.delete("/health"), 405)


async def test_huge_and_odd_text_is_stored_verbatim(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    weird = "\u202eRTL\u202c <script>alert(1)</script> \U0001f600 " + "w" * 10_000
    r = await client.post("/maps", json=small_map(statements=[{"id": "s", "text": weird}], inferences=[], conflicts=[]), headers=h)
    assert r.status_code == 201
    doc = (await client.get(f"/maps/{r.json()['id']}", headers=h)).json()
    assert doc["statements"][0]["text"] == weird
    too_long = small_map(statements=[{"id": "s", "text": "x" * 20_001}], inferences=[], conflicts=[])
    body = problem(await client.post("/maps", json=too_long, headers=h), 400)
    assert body["errors"][0]["pointer"] == "/statements/0/text"


async def test_openapi_documents_problem_details_and_security(client: Any) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    assert spec["openapi"].startswith("3.1")
    assert spec["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    put = spec["paths"]["/maps/{map_ref}"]["put"]
    assert "application/problem+json" in put["responses"]["422"]["content"]
    assert "application/problem+json" in put["responses"]["412"]["content"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method in ("get", "post", "put", "patch", "delete"):
                assert op.get("security", spec.get("security")), f"{method} {path} has no security"
