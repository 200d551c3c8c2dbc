"""/maps: list, create, read, replace, patch and delete whole maps; their history."""

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter

from service.api.auth import LEVELS, Principal, access_level, require_map, require_user
from service.api.http import bulk_body, etag, expected_revision, json_response, not_modified
from service.api.problems import Problem, problem_responses
from service.api.schemas import Counts, MapInfo, MapPage, MapPatch, RevisionOut
from service.db import maps as store
from service.db.engine import Database
from service.domain import editing
from service.domain.graph import MapDocument
from service.domain.validation import validate

MapRef = Annotated[str, PathParameter(description="The map's UUID or its slug", max_length=128)]


def check_valid(doc: MapDocument) -> None:
    violations = validate(doc)
    if violations:
        first = violations[0]
        where = f"{first.element} {first.id}" if first.id else first.element
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        raise Problem(
            422,
            f"the map breaks {len(violations)} rule(s): {where}, field {first.field}: {first.reason}{more}",
            title="Invalid map",
            violations=violations,
        )


def map_info(m: store.MapRow, *, owner: str | None = None, counts: Counts | None = None) -> MapInfo:
    base = f"/maps/{m.id}"
    return MapInfo(
        id=m.id,
        slug=m.slug,
        title=m.title,
        description=m.description,
        revision=m.revision,
        visibility=m.visibility,  # type: ignore[arg-type]
        owner=owner,
        counts=counts,
        created_at=m.created_at,
        updated_at=m.updated_at,
        links={"self": base, "view": f"{base}/view", "export": f"{base}/export?format=argmap"},
    )


def counts_of(doc: MapDocument) -> Counts:
    return Counts(statements=len(doc.statements), inferences=len(doc.inferences), conflicts=len(doc.conflicts))


def translate_store_errors(exc: Exception) -> Problem:
    if isinstance(exc, store.StaleRevision):
        return Problem(412, f"the map changed meanwhile: it is now at revision {exc.current}; re-read it and repeat")
    if isinstance(exc, store.SlugTaken):
        return Problem(409, str(exc), errors=None)
    raise exc


ERRORS = problem_responses(400, 401, 403, 404, 409, 412, 413, 415, 422, 429)


class MapsController(Controller):
    path = "/maps"
    tags = ["maps"]

    @get("/", responses=ERRORS, summary="List the maps you may see")
    async def list_maps(
        self,
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
        q: Annotated[str | None, QueryParameter(description="Text in the title or description", max_length=200)] = None,
        author: Annotated[
            str | None, QueryParameter(description="An author id or part of a name", max_length=200)
        ] = None,
        topic: Annotated[
            str | None, QueryParameter(description="A topic id or part of a title", max_length=200)
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> MapPage:
        async with db.read() as conn:
            rows, total = await store.list_maps(
                conn,
                user_id=principal.user_id,
                is_admin=principal.is_admin,
                q=q,
                author=author,
                topic=topic,
                limit=limit,
                offset=offset,
            )
        items = [
            map_info(
                store.MapRow.of(r),
                owner=r.owner_name,
                counts=Counts(statements=r.statements, inferences=r.inferences, conflicts=r.conflicts),
            )
            for r in rows
        ]
        return MapPage(items=items, total=total, limit=limit, offset=offset)

    @post(
        "/",
        responses=ERRORS,
        summary="Create a map from a native argmap/1 document",
        status_code=201,
        middleware=[bulk_body],
    )
    async def create_map(
        self,
        data: JSONBody[MapDocument],
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
        visibility: Annotated[str, QueryParameter(pattern="^(private|unlisted|public)$")] = "private",
    ) -> Response[bytes]:
        user_id = require_user(principal)
        check_valid(data)
        async with db.write() as conn:
            try:
                m = await store.create_map(conn, data, owner_id=user_id, visibility=visibility)
            except store.SlugTaken as e:
                raise translate_store_errors(e) from None
        return json_response(
            map_info(m, owner=principal.name, counts=counts_of(data)),
            status=201,
            tag=etag(m.id, m.revision),
            headers={"Location": f"/maps/{m.id}"},
        )

    @get("/{map_ref:str}", responses=ERRORS, summary="Read a whole map as one native document")
    async def read_map(
        self,
        request: Request[Any, Any, Any],
        map_ref: MapRef,
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
        revision: Annotated[
            int | None, QueryParameter(ge=1, description="Read the map as it was at this revision")
        ] = None,
    ) -> Response[bytes]:
        async with db.read() as conn:
            m = await require_map(conn, principal, map_ref)
            rev = revision or m.revision
            tag = etag(m.id, rev)
            if not_modified(request, tag):
                return Response(b"", status_code=304, headers={"ETag": tag})
            if revision is None:
                doc = await store.load_document(conn, m)
            else:
                found = await store.document_at(conn, m, revision)
                if found is None:
                    raise Problem(404, f"map {map_ref!r} has no revision {revision} (current: {m.revision})")
                doc = found
        return json_response(doc, tag=tag)

    @put(
        "/{map_ref:str}",
        responses=ERRORS,
        summary="Replace a map's whole graph and metadata (one transaction)",
        middleware=[bulk_body],
    )
    async def replace_map(
        self,
        request: Request[Any, Any, Any],
        map_ref: MapRef,
        data: JSONBody[MapDocument],
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> Response[bytes]:
        check_valid(data)
        async with db.write() as conn:
            m = await require_map(conn, principal, map_ref, "editor")
            expected = expected_revision(request, m.id, m.revision)
            try:
                await store.replace_graph(conn, m, data, user_id=principal.user_id, expected=expected, action="replace")
            except (store.StaleRevision, store.SlugTaken) as e:
                raise translate_store_errors(e) from None
            fresh = await store.get_map(conn, str(m.id))
        assert fresh is not None
        return json_response(map_info(fresh, counts=counts_of(data)), tag=etag(fresh.id, fresh.revision))

    @patch("/{map_ref:str}", responses=ERRORS, summary="Change a map's metadata or visibility")
    async def patch_map(
        self,
        request: Request[Any, Any, Any],
        map_ref: MapRef,
        data: JSONBody[MapPatch],
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> Response[bytes]:
        fields = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        visibility = fields.pop("visibility", None)
        async with db.write() as conn:
            m = await require_map(conn, principal, map_ref, "editor")
            expected = expected_revision(request, m.id, m.revision)
            if (
                visibility is not None
                and visibility != m.visibility
                and (await access_level(conn, principal, m)) < LEVELS["owner"]
            ):
                raise Problem(403, "only the map's owner may change its visibility")
            if "title" in fields and not str(fields["title"]).strip():
                raise Problem(422, "title must not be blank", title="Invalid map")
            changes = editing.metadata_changes(m.document(), fields)
            try:
                if not changes.is_empty():
                    doc = await store.load_document(conn, m)
                    after = editing.apply(doc, changes)
                    await store.apply_changes(
                        conn, m, after, changes, user_id=principal.user_id, expected=expected, action="metadata"
                    )
                    m = await store.get_map(conn, str(m.id)) or m
                if visibility is not None and visibility != m.visibility:
                    await store.set_visibility(conn, m, visibility, principal.user_id)
            except (store.StaleRevision, store.SlugTaken) as e:
                raise translate_store_errors(e) from None
            fresh = await store.get_map(conn, str(m.id))
        assert fresh is not None
        return json_response(map_info(fresh), tag=etag(fresh.id, fresh.revision))

    @delete("/{map_ref:str}", responses=ERRORS, summary="Delete a map and its history", status_code=204)
    async def delete_map(
        self,
        request: Request[Any, Any, Any],
        map_ref: MapRef,
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> None:
        async with db.write() as conn:
            m = await require_map(conn, principal, map_ref, "owner")
            expected_revision(request, m.id, m.revision)
            await store.delete_map(conn, m)

    @get("/{map_ref:str}/revisions", responses=ERRORS, summary="List a map's revisions, newest first")
    async def list_revisions(
        self,
        map_ref: MapRef,
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> list[RevisionOut]:
        async with db.read() as conn:
            m = await require_map(conn, principal, map_ref)
            rows = await store.list_revisions(conn, m.id, limit, offset)
        return [
            RevisionOut(revision=r.revision, created_at=r.created_at, action=r.action, summary=r.summary, user=r.name)
            for r in rows
        ]

    @post(
        "/{map_ref:str}/revisions/{revision:int}/restore",
        responses=ERRORS,
        summary="Restore an old revision as a new one",
    )
    async def restore_revision(
        self,
        request: Request[Any, Any, Any],
        map_ref: MapRef,
        revision: FromPath[int],
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> Response[bytes]:
        async with db.write() as conn:
            m = await require_map(conn, principal, map_ref, "editor")
            expected = expected_revision(request, m.id, m.revision)
            old = await store.document_at(conn, m, revision)
            if old is None:
                raise Problem(404, f"map {map_ref!r} has no revision {revision} (current: {m.revision})")
            try:
                await store.replace_graph(
                    conn, m, old, user_id=principal.user_id, expected=expected, action=f"restore r{revision}"
                )
            except (store.StaleRevision, store.SlugTaken) as e:
                raise translate_store_errors(e) from None
            fresh = await store.get_map(conn, str(m.id))
        assert fresh is not None
        return json_response(map_info(fresh), status=201, tag=etag(fresh.id, fresh.revision))
