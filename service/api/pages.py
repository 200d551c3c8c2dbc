"""Pages for people: the argument tree viewer, the debate view, and share links.

A share link (`/s/<token>`) is a read-only key to one map: it opens the viewer without an
account, and also serves the map's JSON and exports, so a researcher can be given a
link instead of an account.
"""

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import jinja2
from litestar import MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.static_files import create_static_files_router

from service.api.auth import Principal, require_map
from service.api.formats_api import FormatParam, export_response
from service.api.http import etag, json_response, not_modified
from service.api.maps import ERRORS, MapRef
from service.api.problems import Problem
from service.db import accounts
from service.db import maps as store
from service.db.engine import Database
from service.domain.graph import MapDocument
from service.web import viewer

# The viewer's script is our own static file; nothing inline may run, so hostile text in
# a statement cannot become script even if escaping were ever to fail.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HTML_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # share tokens live in the URL: never leak them onwards
}

ShareToken = Annotated[str, PathParameter(description="A share link's token", max_length=200)]


def html(page: str, tag: str | None = None) -> Response[str]:
    headers = dict(HTML_HEADERS)
    if tag is not None:
        headers["ETag"] = tag
    return Response(page, media_type="text/html; charset=utf-8", headers=headers)


def render(doc: MapDocument, kind: str, root: str | None, depth: int | None, topic: str | None) -> str:
    try:
        if kind == "debate":
            return viewer.render_debate(doc, topic)
        return viewer.render_view(doc, root=root, depth=depth)
    except (viewer.ViewError, ValueError) as e:
        raise Problem(404 if isinstance(e, viewer.ViewError) else 400, str(e)) from None


async def shared_map(db: Database, token: str) -> tuple[store.MapRow, MapDocument]:
    async with db.read() as conn:
        share = await accounts.share_by_secret(conn, token)
        gone = Problem(404, "this share link does not exist, was revoked, has expired, or its map is private")
        if share is None or share.revoked_at is not None:
            raise gone
        if share.expires_at is not None and share.expires_at <= datetime.now(UTC):
            raise gone
        m = await store.get_map(conn, str(share.map_id))
        # A private map keeps its links but they open nothing until it is shared again.
        if m is None or m.visibility == "private":
            raise gone
        return m, await store.load_document(conn, m)


Depth = Annotated[int | None, QueryParameter(ge=0, le=100, description="Cut the tree after this many levels")]
Root = Annotated[str | None, QueryParameter(max_length=128, description="Start the tree at this statement")]
TopicQ = Annotated[str | None, QueryParameter(max_length=128, description="Only this topic")]


@get(
    "/maps/{map_ref:str}/view",
    media_type=MediaType.HTML,
    summary="The argument tree of a map, as a web page",
    tags=["viewer"],
    responses=ERRORS,
)
async def view_map(
    request: Request[Any, Any, Any],
    map_ref: MapRef,
    db: NamedDependency[Database],
    principal: NamedDependency[Principal],
    root: Root = None,
    depth: Depth = None,
) -> Response[str]:
    async with db.read() as conn:
        m = await require_map(conn, principal, map_ref)
        tag = etag(m.id, m.revision)[:-1] + '-view"'
        if not_modified(request, tag) and root is None and depth is None:
            return Response("", status_code=304, headers={"ETag": tag})
        doc = await store.load_document(conn, m)
    return html(render(doc, "tree", root, depth, None), tag)


@get(
    "/maps/{map_ref:str}/debate",
    media_type=MediaType.HTML,
    summary="Each author's position side by side, per topic",
    tags=["viewer"],
    responses=ERRORS,
)
async def debate_view(
    map_ref: MapRef,
    db: NamedDependency[Database],
    principal: NamedDependency[Principal],
    topic: TopicQ = None,
) -> Response[str]:
    async with db.read() as conn:
        m = await require_map(conn, principal, map_ref)
        doc = await store.load_document(conn, m)
    return html(render(doc, "debate", None, None, topic))


@get(
    "/s/{token:str}",
    media_type=MediaType.HTML,
    summary="Open a shared map in the viewer (no account needed)",
    tags=["sharing"],
    responses=ERRORS,
)
async def share_view(
    token: ShareToken, db: NamedDependency[Database], root: Root = None, depth: Depth = None
) -> Response[str]:
    _, doc = await shared_map(db, token)
    return html(render(doc, "tree", root, depth, None))


@get(
    "/s/{token:str}/debate",
    media_type=MediaType.HTML,
    summary="The debate view of a shared map",
    tags=["sharing"],
    responses=ERRORS,
)
async def share_debate(token: ShareToken, db: NamedDependency[Database], topic: TopicQ = None) -> Response[str]:
    _, doc = await shared_map(db, token)
    return html(render(doc, "debate", None, None, topic))


@get("/s/{token:str}/map", summary="A shared map as a native JSON document", tags=["sharing"], responses=ERRORS)
async def share_json(token: ShareToken, db: NamedDependency[Database]) -> Response[bytes]:
    m, doc = await shared_map(db, token)
    return json_response(doc, tag=etag(m.id, m.revision))


@get("/s/{token:str}/export", summary="Export a shared map", tags=["sharing"], responses=ERRORS)
async def share_export(
    token: ShareToken, db: NamedDependency[Database], format: FormatParam = "argmap"
) -> Response[Any]:
    m, doc = await shared_map(db, token)
    return export_response(doc, format, m.slug or str(m.id))


_home = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(viewer.__file__).parent / "templates")), autoescape=True
).get_template("home.html")


@get("/", media_type=MediaType.HTML, summary="The public maps, as a web page", tags=["viewer"], include_in_schema=False)
async def home(db: NamedDependency[Database], principal: NamedDependency[Principal]) -> Response[str]:
    async with db.read() as conn:
        rows, _ = await store.list_maps(
            conn, user_id=principal.user_id, is_admin=principal.is_admin, q=None, author=None, topic=None,
            limit=500, offset=0,
        )  # fmt: skip
    return html(_home.render(maps=rows, css="/static/viewer.css"))


def page_routes() -> list[Any]:
    static = create_static_files_router(
        path="/static", directories=[viewer.static_dir()], name="static", include_in_schema=False
    )
    return [home, view_map, debate_view, share_view, share_debate, share_json, share_export, static]
