"""The exceptions the client raises: one class per kind of failure a caller handles
differently, each carrying the server's RFC 9457 problem details."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any

import msgspec

from argmap_client.types import FieldError, ProblemDetails, Violation


class ArgmapError(Exception):
    """Any failure of an argmap call. `status` is the HTTP status (0 when no response
    arrived); `violations` lists broken map invariants, `errors` malformed request fields,
    `dependents` what blocks a delete."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        violations: list[Violation] | None = None,
        errors: list[FieldError] | None = None,
        dependents: list[dict[str, str]] | None = None,
        type: str = "about:blank",
        instance: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {title}: {detail}" if status else detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.violations = violations or []
        self.errors = errors or []
        self.dependents = dependents or []
        self.type = type
        self.instance = instance
        self.headers = headers or {}


class ValidationFailed(ArgmapError):
    """400 or 422: the request or the map it carries is not acceptable as it is."""


class Unauthorized(ArgmapError):
    """401: no token, or a token that is unknown, revoked or expired."""


class Forbidden(ArgmapError):
    """403: the token is valid but lacks the role this needs."""


class NotFound(ArgmapError):
    """404: no such map or element, or one the caller may not see."""


class Conflict(ArgmapError):
    """409: the change clashes with the current state (a slug in use, dependents...)."""


class PreconditionFailed(ArgmapError):
    """412: the map changed since the revision given in `if_match`; re-read it."""

    @property
    def current_etag(self) -> str | None:
        return self.headers.get("etag")


class RateLimited(ArgmapError):
    """429: too many requests; `retry_after` says how long the server asks to wait."""

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.headers.get("retry-after"))


class ServerError(ArgmapError):
    """5xx: the server failed or is unavailable."""


class TransportError(ArgmapError):
    """No HTTP answer at all: connection refused, DNS, timeout. `status` is 0."""


_BY_STATUS: dict[int, type[ArgmapError]] = {
    400: ValidationFailed,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    422: ValidationFailed,
    429: RateLimited,
}
_problem = msgspec.json.Decoder(ProblemDetails)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def error_for(status: int, body: bytes, headers: dict[str, str], reason: str = "") -> ArgmapError:
    """The exception for an error response, decoding problem+json when it is there."""
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else ArgmapError)
    kw: dict[str, Any] = {"headers": headers}
    try:
        p = _problem.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError):
        text = body.decode("utf-8", errors="replace").strip()[:500]
        return cls(status, reason or "Error", text or reason or f"HTTP {status}", **kw)
    return cls(
        status,
        p.title,
        p.detail,
        violations=p.violations,
        errors=p.errors,
        dependents=p.dependents,
        type=p.type,
        instance=p.instance,
        **kw,
    )
