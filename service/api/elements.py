"""/maps/{map}/{collection}: create, read, replace, patch and delete single elements.

The seven element collections (statements, inferences, conflicts, equivalences,
authors, sources, topics) share one behaviour, so their routes are made by one factory
rather than written out seven times. Every edit is applied to the whole graph in
memory and validated there, so a single edit can never break an invariant.
"""

from typing import Annotated, Any

import msgspec
from litestar import Request, Response, Router, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from service.api.auth import Principal, require_map
from service.api.http import etag, expected_revision, json_response
from service.api.maps import ERRORS, MapRef, check_valid, translate_store_errors
from service.api.problems import FieldError, Problem
from service.api.schemas import Deleted
from service.db import maps as store
from service.db.engine import Database
from service.domain import editing
from service.domain.formats.native import split_error
from service.domain.graph import COLLECTIONS, SINGULAR, Element, MapDocument

ElementRef = Annotated[str, PathParameter(description="The element's id", max_length=128)]


async def _edit(
    request: Request[Any, Any, Any],
    db: Database,
    principal: Principal,
    map_ref: str,
    make_changes: Any,
    action: str,
) -> tuple[MapDocument, editing.ChangeSet, int, str]:
    """Load, change, validate and store in one transaction; returns the new document."""
    async with db.write() as conn:
        m = await require_map(conn, principal, map_ref, "editor")
        expected = expected_revision(request, m.id, m.revision)
        doc = await store.load_document(conn, m)
        try:
            changes: editing.ChangeSet = make_changes(doc)
        except editing.NotFound as e:
            raise Problem(404, f"{e} (map {map_ref!r})") from None
        except editing.HasDependents as e:
            raise Problem(409, str(e), dependents=[{"collection": c, "id": i} for c, i in e.dependents]) from None
        after = editing.apply(doc, changes)
        check_valid(after)
        try:
            revision = await store.apply_changes(
                conn, m, after, changes, user_id=principal.user_id, expected=expected, action=action
            )
        except (store.StaleRevision, store.SlugTaken) as e:
            raise translate_store_errors(e) from None
        return after, changes, revision, str(m.id)


def _convert(struct: type[Element], raw: dict[str, Any], singular: str) -> Element:
    try:
        return msgspec.convert(raw, struct)
    except msgspec.ValidationError as e:
        reason, pointer = split_error(e)
        raise Problem(
            400,
            f"invalid {singular}: {reason}" + (f" (at {pointer})" if pointer else ""),
            errors=[FieldError(pointer=pointer, reason=reason)],
        ) from None


def element_router(collection: str, struct: type[Element]) -> Router:
    singular = SINGULAR[collection]
    path = f"/maps/{{map_ref:str}}/{collection}"

    @get("/", responses=ERRORS, summary=f"List the {collection} of a map")
    async def list_elements(
        map_ref: MapRef, db: NamedDependency[Database], principal: NamedDependency[Principal]
    ) -> Response[bytes]:
        async with db.read() as conn:
            m = await require_map(conn, principal, map_ref)
            doc = await store.load_document(conn, m)
        return json_response(getattr(doc, collection), tag=etag(m.id, m.revision))

    @get("/{element_id:str}", responses=ERRORS, summary=f"Read one {singular}")
    async def read_element(
        map_ref: MapRef,
        element_id: ElementRef,
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> Response[bytes]:
        async with db.read() as conn:
            m = await require_map(conn, principal, map_ref)
            doc = await store.load_document(conn, m)
        try:
            el = editing.find(doc, collection, element_id)
        except editing.NotFound as e:
            raise Problem(404, f"{e} (map {map_ref!r})") from None
        return json_response(el, tag=etag(m.id, m.revision))

    @post("/", responses=ERRORS, summary=f"Add a {singular}", status_code=201)
    async def create_element(
        request: Request[Any, Any, Any],
        map_ref: MapRef,
        data: JSONBody[struct],  # type: ignore[valid-type]
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> Response[bytes]:
        el: Element = data

        def changes(doc: MapDocument) -> editing.ChangeSet:
            if any(x.id == el.id for x in getattr(doc, collection)):
                raise Problem(409, f"{singular} {el.id!r} already exists in map {map_ref!r}; use PUT to replace it")
            return editing.put_element(doc, collection, el)

        _, _, revision, mid = await _edit(request, db, principal, map_ref, changes, f"add {singular}")
        return json_response(
            el, status=201, tag=etag(mid, revision), headers={"Location": f"/maps/{mid}/{collection}/{el.id}"}
        )

    @put("/{element_id:str}", responses=ERRORS, summary=f"Replace a {singular} (or create it with this id)")
    async def replace_element(
        request: Request[Any, Any, Any],
        map_ref: MapRef,
        element_id: ElementRef,
        data: JSONBody[struct],  # type: ignore[valid-type]
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> Response[bytes]:
        el: Element = data
        if el.id != element_id:
            raise Problem(
                400,
                f"the body's id {el.id!r} differs from the path's {element_id!r}; ids are stable and cannot be renamed",
                errors=[FieldError(pointer="/id", reason="must equal the id in the path")],
            )
        _, _, revision, mid = await _edit(
            request, db, principal, map_ref, lambda doc: editing.put_element(doc, collection, el), f"put {singular}"
        )
        return json_response(el, tag=etag(mid, revision))

    @patch("/{element_id:str}", responses=ERRORS, summary=f"Change some fields of a {singular}")
    async def patch_element(
        request: Request[Any, Any, Any],
        map_ref: MapRef,
        element_id: ElementRef,
        data: JSONBody[dict[str, Any]],
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> Response[bytes]:
        if "id" in data and data["id"] != element_id:
            raise Problem(
                400, "ids are stable and cannot be changed", errors=[FieldError(pointer="/id", reason="read-only")]
            )
        result: list[Element] = []

        def changes(doc: MapDocument) -> editing.ChangeSet:
            current = editing.element_to_builtins(editing.find(doc, collection, element_id))
            # null removes an optional field, as in JSON Merge Patch (RFC 7396).
            for key, value in data.items():
                if value is None:
                    current.pop(key, None)
                else:
                    current[key] = value
            el = _convert(struct, current, singular)
            result.append(el)
            return editing.put_element(doc, collection, el)

        _, _, revision, mid = await _edit(request, db, principal, map_ref, changes, f"patch {singular}")
        return json_response(result[0], tag=etag(mid, revision))

    @delete("/{element_id:str}", responses=ERRORS, summary=f"Delete a {singular}", status_code=200)
    async def delete_element(
        request: Request[Any, Any, Any],
        map_ref: MapRef,
        element_id: ElementRef,
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
        cascade: Annotated[bool, QueryParameter(description="Also remove what depends on it")] = False,
    ) -> Response[bytes]:
        _, changes, revision, mid = await _edit(
            request,
            db,
            principal,
            map_ref,
            lambda doc: editing.delete_element(doc, collection, element_id, cascade=cascade),
            f"delete {singular}",
        )
        removed = [{"collection": c.collection, "id": c.id} for c in changes.elements if c.value is None]
        return json_response(Deleted(deleted=removed, revision=revision), tag=etag(mid, revision))

    return Router(
        path=path,
        route_handlers=[list_elements, read_element, create_element, replace_element, patch_element, delete_element],
        tags=[collection],
    )


def element_routers() -> list[Router]:
    return [element_router(c, s) for c, s in COLLECTIONS.items()]
