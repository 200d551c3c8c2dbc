"""RFC 9457 problem details: the one shape of every error argmap returns.

Handlers raise `Problem` (or a framework exception); the exception handlers here turn
anything, including an unexpected crash, into `application/problem+json`, so a client
never has to parse two error formats.
"""

import logging
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from service.domain.validation import Violation

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("argmap")


class FieldError(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One malformed field of a request: where it is and what is wrong."""

    pointer: str | None = None  # JSON pointer into the body, e.g. /statements/3/text
    parameter: str | None = None  # a query, path or header parameter
    location: str | None = None  # line/column or node id inside an uploaded file
    reason: str


class ProblemDetails(msgspec.Struct, kw_only=True, omit_defaults=True):
    """An error (RFC 9457). `violations` lists every broken invariant of a map;
    `errors` lists malformed request fields; `dependents` names what blocks a delete."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    violations: list[Violation] | None = None
    errors: list[FieldError] | None = None
    dependents: list[dict[str, str]] | None = None


class Problem(HTTPException):
    """An HTTP error carrying a precise detail and optional structured members."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        violations: list[Violation] | None = None,
        errors: list[FieldError] | None = None,
        dependents: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        type_: str = "about:blank",
    ) -> None:
        super().__init__(status_code=status, detail=detail, headers=headers)
        self.title = title
        self.violations = violations
        self.errors = errors
        self.dependents = dependents
        self.type_ = type_


_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    428: "Precondition Required",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _response(problem: ProblemDetails, headers: dict[str, str] | None = None) -> Response[ProblemDetails]:
    return Response(problem, status_code=problem.status, media_type=PROBLEM_JSON, headers=headers)


def _validation_errors(extra: Any) -> list[FieldError]:
    out: list[FieldError] = []
    if not isinstance(extra, list):
        return out
    for item in extra:
        if not isinstance(item, dict):
            continue
        reason = str(item.get("message", "invalid value"))
        key = item.get("key")
        source = item.get("source")
        if source == "body" or source is None:
            pointer = None
            if key:
                from service.domain.formats.native import json_pointer

                k = str(key)
                pointer = json_pointer(k if k.startswith("$") else "$." + k)
            out.append(FieldError(pointer=pointer, reason=reason))
        else:
            out.append(FieldError(parameter=f"{source}:{key}", reason=reason))
    return out


def http_exception_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[ProblemDetails]:
    status = exc.status_code
    headers = dict(exc.headers or {})
    if isinstance(exc, Problem):
        body = ProblemDetails(
            type=exc.type_,
            title=exc.title or _TITLES.get(status, "Error"),
            status=status,
            detail=exc.detail,
            instance=request.url.path,
            violations=exc.violations,
            errors=exc.errors,
            dependents=exc.dependents,
        )
        return _response(body, headers)
    detail = exc.detail
    errors = None
    if isinstance(exc, ValidationException):
        errors = _validation_errors(exc.extra)
        if errors:
            first = errors[0]
            where = first.pointer or first.parameter or "request"
            detail = f"{first.reason} (at {where})"
        status = 400
    if isinstance(exc, NotAuthorizedException):
        headers.setdefault("WWW-Authenticate", 'Bearer realm="argmap"')
    if status == 413:
        detail = "the request body is larger than this server accepts (ARGMAP_MAX_BODY_BYTES)"
    if status == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    if status == 404 and detail in ("Not Found", ""):
        detail = f"nothing at {request.url.path}"
    body = ProblemDetails(
        title=_TITLES.get(status, "Error"), status=status, detail=detail, instance=request.url.path, errors=errors
    )
    return _response(body, headers)


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[ProblemDetails]:
    # The stack trace goes to the log, never to the client.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    body = ProblemDetails(
        title=_TITLES[500],
        status=HTTP_500_INTERNAL_SERVER_ERROR,
        detail="an unexpected error occurred; it has been logged",
        instance=request.url.path,
    )
    return _response(body)


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    HTTPException: http_exception_handler,
    Exception: internal_error_handler,
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries documenting problem+json for the given statuses."""
    return {
        # No generated examples: they are random, and the committed OpenAPI contract must
        # be reproducible.
        s: ResponseSpec(
            ProblemDetails, description=_TITLES.get(s, "Error"), media_type=PROBLEM_JSON, generate_examples=False
        )
        for s in statuses
    }
