"""HTTP details shared by the controllers: conditional requests, content types, and
encoding responses without a second pass through the framework's serialiser.

Litestar sets ETag headers but never answers 304 or 412 by itself (STACK-NOTES P8), so
argmap does both here from the map revision.
"""

from typing import Any

import msgspec
from litestar import Request, Response
from litestar.types import ASGIApp, Receive, Scope, Send

from service.api.problems import Problem
from service.domain.gc_pause import gc_paused

JSON = "application/json"
_enc = msgspec.json.Encoder()
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def etag(map_id: Any, revision: int) -> str:
    return f'"{map_id}-r{revision}"'


def _tags(header: str) -> list[str]:
    return [t.strip().removeprefix("W/") for t in header.split(",") if t.strip()]


def expected_revision(request: Request[Any, Any, Any], map_id: Any, current: int) -> int | None:
    """The revision an `If-Match` header pins the write to (412 when it is stale).

    Without If-Match the write applies to whatever is current: simple clients keep
    working, careful ones get lost-update protection."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return None
    tags = _tags(header)
    if etag(map_id, current) in tags:
        return current
    # Accept a bare revision number too ("If-Match: 7"), handy with curl.
    for tag in tags:
        bare = tag.strip('"')
        if bare.isdigit() and int(bare) == current:
            return current
    raise Problem(
        412,
        f"If-Match {header} does not match the current revision {current} of this map; "
        "re-read the map and repeat the change",
        headers={"ETag": etag(map_id, current)},
    )


def not_modified(request: Request[Any, Any, Any], tag: str) -> bool:
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    return header.strip() == "*" or tag in _tags(header)


def json_response(
    body: Any, *, status: int = 200, tag: str | None = None, headers: dict[str, str] | None = None
) -> Response[bytes]:
    out = dict(headers or {})
    if tag is not None:
        out["ETag"] = tag
    data = body if isinstance(body, bytes) else _enc.encode(body)
    return Response(data, status_code=status, media_type=JSON, headers=out)


def check_content_type(request: Request[Any, Any, Any]) -> None:
    """415 for a body that is not JSON on endpoints that only take JSON."""
    if request.method not in WRITE_METHODS or request.route_handler.opt.get("any_content_type"):
        return
    length = request.headers.get("content-length")
    if length == "0" or (length is None and "transfer-encoding" not in request.headers):
        return
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == JSON or (ctype.startswith("application/") and ctype.endswith("+json")):
        return
    raise Problem(415, f"this endpoint takes application/json, not {ctype or 'a body without Content-Type'}")


def bulk_body(app: ASGIApp) -> ASGIApp:
    """Route middleware for endpoints that take a whole map (up to 100,000s of elements).

    Decoding such a body allocates about a million small objects, and the cyclic
    collector's passes over them cost more than the decoding itself; none of them form
    cycles, so reference counting frees them all. The collector is paused for the
    request, including the framework's decoding before the handler runs, and restored
    however the request ends."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        with gc_paused():
            await app(scope, receive, send)

    return middleware
