"""The SDK (sync and async) against the real service over HTTP, on SQLite and PostgreSQL."""

import asyncio
import json
import uuid
from collections.abc import Iterator

import httpx
import msgspec
import pytest
from argmap_client import (
    AsyncClient,
    Client,
    Conflict,
    Forbidden,
    MapDocument,
    NotFound,
    PreconditionFailed,
    Statement,
    Unauthorized,
    ValidationFailed,
)
from argmap_client.types import Inference
from support import ROOT, LiveServer

FIXTURES = ROOT / "tests" / "data" / "formats"


def small_map(title: str = "client test") -> MapDocument:
    slug = "sdk-" + uuid.uuid4().hex[:12]
    return MapDocument(
        slug=slug,
        title=title,
        statements=[
            Statement(id="c", text="Cities should plant more trees."),
            Statement(id="p", text="Trees cool streets in summer.", kind="premise"),
        ],
        inferences=[Inference(id="i", premises=["p"], conclusion="c")],
    )


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[Client]:
    with Client(live_server.url, live_server.token, backoff=0.01) as c:
        yield c


def test_health_names_the_database_the_server_runs_on(api: Client, live_server: LiveServer) -> None:
    health = api.health()
    assert health.status == "ok"
    assert health.database == live_server.backend


def test_iter_maps_walks_every_page_once(api: Client) -> None:
    total = api.list_maps(limit=1).total
    small_pages = list(api.iter_maps(page_size=3 if total < 60 else 97))
    one_page = list(api.iter_maps(page_size=500))
    assert len(small_pages) == total >= 7  # the seven shipped Belarus maps at least
    assert [m.id for m in small_pages] == [m.id for m in one_page]
    assert len({m.id for m in small_pages}) == total
    assert "belarus-2020-rust" in {m.slug for m in small_pages}


def test_map_lifecycle_with_etags_and_typed_errors(api: Client) -> None:
    doc = small_map()
    info = api.create_map(doc)
    assert info.revision == 1 and info.slug == doc.slug
    assert api.last_etag == info.etag

    read = api.get_map(info.slug or "")
    assert read.etag == info.etag
    assert [s.id for s in read.statements] == ["c", "p"]
    assert read.statements[0].text == "Cities should plant more trees."

    added = api.create_element(
        doc.slug or "", "statements", Statement(id="r", text="Roots break pavements."), if_match=read.etag
    )
    assert isinstance(added, Statement) and added.id == "r"
    after_add = api.last_etag
    assert after_add is not None and after_add.endswith('-r2"')

    # A write pinned to the revision we read before the add is refused, naming the current tag.
    with pytest.raises(PreconditionFailed) as stale:
        api.patch_element(doc.slug or "", "statements", "c", {"title": "Trees"}, if_match=read.etag)
    assert stale.value.status == 412
    assert stale.value.current_etag == after_add

    patched = api.patch_element(doc.slug or "", "statements", "c", {"title": "Trees"}, if_match=after_add)
    assert isinstance(patched, Statement) and patched.title == "Trees"

    # Deleting a premise that an inference needs: 409 with the dependents listed.
    with pytest.raises(Conflict) as blocked:
        api.delete_element(doc.slug or "", "statements", "p")
    assert {"collection": "inferences", "id": "i"} in blocked.value.dependents
    gone = api.delete_element(doc.slug or "", "statements", "p", cascade=True)
    assert {d["id"] for d in gone.deleted} == {"p", "i"}
    assert [s.id for s in api.list_elements(doc.slug or "", "statements")] == ["c", "r"]

    revisions = api.list_revisions(doc.slug or "")
    assert [r.revision for r in revisions] == [4, 3, 2, 1]
    restored = api.restore_revision(doc.slug or "", 1)
    assert restored.revision == 5
    assert {s.id for s in api.get_map(doc.slug or "").statements} == {"c", "p"}

    api.delete_map(doc.slug or "", if_match=restored.revision)
    with pytest.raises(NotFound) as missing:
        api.get_map(doc.slug or "")
    assert missing.value.status == 404 and f"{doc.slug!r}" in missing.value.detail


def test_edit_map_rereads_and_retries_after_a_concurrent_write(api: Client, live_server: LiveServer) -> None:
    info = api.create_map(small_map())
    ref = str(info.id)
    calls: list[int] = []

    def rename(doc: MapDocument) -> MapDocument:
        calls.append(doc.revision)
        if len(calls) == 1:
            # Someone else changes the map between our read and our write.
            with Client(live_server.url, live_server.token) as other:
                other.patch_map(ref, description="changed by someone else")
        return msgspec.structs.replace(doc, title=doc.title + " (edited)")

    result = api.edit_map(ref, rename, retries=2)
    assert calls == [1, 2]  # read at r1, lost the race, re-read at r2
    assert result.revision == 3
    final = api.get_map(ref)
    assert final.title == "client test (edited)"
    assert final.description == "changed by someone else"


def test_edit_map_gives_up_after_its_retries(api: Client, live_server: LiveServer) -> None:
    ref = str(api.create_map(small_map()).id)

    def always_lose(doc: MapDocument) -> MapDocument:
        with Client(live_server.url, live_server.token) as other:
            other.patch_map(ref, description=f"bump {doc.revision}")
        return msgspec.structs.replace(doc, title="never written")

    with pytest.raises(PreconditionFailed):
        api.edit_map(ref, always_lose, retries=1)
    assert api.get_map(ref).title == "client test"


def test_bad_token_is_unauthorized(live_server: LiveServer) -> None:
    with Client(live_server.url, "amp_not-a-real-token-000000") as bad, pytest.raises(Unauthorized) as e:
        bad.me()
    assert e.value.status == 401
    assert e.value.detail == "the token is not valid"


def test_invalid_map_lists_every_violation(api: Client) -> None:
    broken = MapDocument(
        title="broken",
        statements=[Statement(id="a", text="A.")],
        inferences=[Inference(id="i", premises=["ghost"], conclusion="nowhere")],
    )
    with pytest.raises(ValidationFailed) as e:
        api.create_map(broken)
    assert e.value.status == 422
    assert {(v.element, v.id, v.field) for v in e.value.violations} == {
        ("inferences", "i", "premises[0]"),
        ("inferences", "i", "conclusion"),
    }


def test_only_admins_create_users(api: Client) -> None:
    with pytest.raises(Forbidden) as e:
        api.create_user("Someone", "someone@example.org")
    assert e.value.status == 403


def test_import_dry_run_then_import_then_export_with_warnings(api: Client) -> None:
    before = api.list_maps(limit=1).total
    path = FIXTURES / "small_aifdb.json"
    checked = api.import_map(path, dry_run=True)
    assert checked.format == "aif" and checked.dry_run
    assert checked.document is not None and checked.map is None
    assert api.list_maps(limit=1).total == before

    report = api.import_map(path)
    assert report.map is not None
    assert report.counts.statements == len(checked.document.statements) > 0
    assert any("dialogue layer" in w for w in report.warnings)
    assert api.list_maps(limit=1).total == before + 1

    exported = api.export_map(str(report.map.id), "mermaid")
    assert exported.text.startswith("flowchart")
    assert exported.filename is not None and exported.filename.endswith(".mmd")
    assert exported.etag is not None
    native = api.export_map(str(report.map.id))
    assert msgspec.json.decode(native.data)["statements"][0]["text"] == checked.document.statements[0].text

    with pytest.raises(ValidationFailed) as unreadable:
        api.import_map(b"{ this is not json", format="aif")
    assert unreadable.value.status == 400
    assert unreadable.value.errors


def test_tokens_create_use_and_revoke(api: Client, live_server: LiveServer) -> None:
    created = api.create_token("sdk test")
    with Client(live_server.url, created.token) as fresh:
        assert fresh.me().email == api.me().email
        assert str(created.id) in {str(t.id) for t in api.list_tokens()}
        api.revoke_token(str(created.id))
        with pytest.raises(Unauthorized) as e:
            fresh.me()
    assert "revoked" in e.value.detail


def test_share_links_comments_and_members(api: Client, live_server: LiveServer) -> None:
    ref = api.create_map(small_map("shared map")).slug or ""
    share = api.create_share(ref, name="class 9b")
    with Client(live_server.url, "") as anonymous:
        assert anonymous.token is None
        assert anonymous.shared_map(share.token).title == "shared map"
        assert "shared map" in anonymous.shared_view(share.token)
        assert anonymous.shared_export(share.token, "argdown").data
        with pytest.raises(NotFound):
            anonymous.get_map(ref)  # private: the share link is the only way in
    assert [s.name for s in api.list_shares(ref)] == ["class 9b"]
    api.revoke_share(ref, str(share.id))
    with Client(live_server.url, "") as anonymous, pytest.raises(NotFound):
        anonymous.shared_map(share.token)

    comment = api.add_comment(ref, "c", "Which cities?")
    assert [c.text for c in api.list_comments(ref, element="c")] == ["Which cities?"]
    api.delete_comment(ref, str(comment.id))
    assert api.list_comments(ref) == []
    assert [m.role for m in api.list_members(ref)] == ["owner"]
    assert "Cities should plant more trees." in api.view_map(ref)


def test_ndjson_export_streams_every_listed_map(api: Client) -> None:
    total = api.list_maps(limit=1).total
    docs = list(api.iter_export())
    assert len(docs) == total
    assert all(isinstance(d, MapDocument) and d.id for d in docs)


def test_async_client_does_the_same_over_asyncio(live_server: LiveServer) -> None:
    async def scenario() -> None:
        async with AsyncClient(live_server.url, live_server.token) as api:
            infos = [m async for m in api.iter_maps(page_size=3)]
            docs = await asyncio.gather(*(api.get_map(str(m.id)) for m in infos[:5]))
            assert [d.id for d in docs] == [str(m.id) for m in infos[:5]]
            streamed = [d async for d in api.iter_export()]
            assert len(streamed) == len(infos)

            created = await api.create_map(small_map("async map"))
            with pytest.raises(PreconditionFailed):
                await api.patch_map(str(created.id), title="late", if_match=created.revision + 1)
            edited = await api.edit_map(str(created.id), lambda d: msgspec.structs.replace(d, title="async edited"))
            assert edited.revision == 2
            await api.delete_map(str(created.id))
            with pytest.raises(NotFound):
                await api.get_map(str(created.id))
        async with AsyncClient(live_server.url, "amp_wrong-token-1234567890") as bad:
            with pytest.raises(Unauthorized):
                await bad.list_tokens()

    asyncio.run(scenario())


def _served(live_server: LiveServer, method: str, path: str) -> bool:
    schema = httpx.get(live_server.url + "/schema/openapi.json", timeout=10).json()
    return method.lower() in schema["paths"].get(path, {})


def test_diff_between_revisions(api: Client, live_server: LiveServer) -> None:
    assert _served(live_server, "GET", "/maps/{map_ref}/diff")
    ref = str(api.create_map(small_map()).id)
    api.create_element(ref, "statements", Statement(id="n", text="Shade saves energy."))
    api.patch_element(ref, "statements", "c", {"text": "Cities must plant trees."})
    d = api.diff(ref, 1, 3)
    assert (d.before_revision, d.after_revision) == (1, 3)
    assert [e["id"] for e in d.statements.added] == ["n"]
    assert [c.id for c in d.statements.changed] == ["c"]
    assert not d.is_empty()


def test_compare_two_maps(api: Client, live_server: LiveServer) -> None:
    assert _served(live_server, "POST", "/compare/maps")
    ref = str(api.create_map(small_map()).id)
    same = str(api.create_map(small_map()).id)
    result = api.compare_maps(ref, same)
    assert {(m.reference, m.candidate) for m in result.matches} == {("c", "c"), ("p", "p")}
    assert result.scores.statements.f1 == 1.0


def test_formats_and_native_schema(api: Client) -> None:
    known = {f.name: f for f in api.list_formats()}
    assert known["argmap"].can_import and known["argmap"].can_export
    assert known["png"].can_export and not known["png"].can_import
    schema = api.native_schema()
    assert "MapDocument" in json.dumps(schema)
