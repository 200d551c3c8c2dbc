"""What the sync and async clients share: configuration, retry timing, the operation
table, and turning arguments into URLs and headers. No I/O happens here."""

from __future__ import annotations

import json
import os
import random
import re
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

import msgspec

from argmap_client.errors import parse_retry_after
from argmap_client.types import COLLECTIONS, ELEMENT_TYPES, Element

DEFAULT_URL: Final = "http://127.0.0.1:8000"
WARNINGS_HEADER: Final = "x-argmap-warnings"
RETRY_STATUSES: Final = frozenset({429, 503})
USER_AGENT: Final = "argmap-client/0.1"


def resolve(base_url: str | None, token: str | None) -> tuple[str, str | None]:
    """Arguments win over ARGMAP_URL / ARGMAP_TOKEN; an empty token means anonymous."""
    url = base_url or os.environ.get("ARGMAP_URL") or DEFAULT_URL
    tok = token if token is not None else os.environ.get("ARGMAP_TOKEN")
    return url.rstrip("/"), (tok or None)


def default_retries(retries: int | None) -> int:
    if retries is not None:
        return retries
    raw = os.environ.get("ARGMAP_RETRIES", "")
    return int(raw) if raw.strip().isdigit() else 3


def headers_for(token: str | None, extra: dict[str, str] | None) -> dict[str, str]:
    out = {"User-Agent": USER_AGENT, "Accept": "application/json, application/problem+json;q=0.9, */*;q=0.5"}
    if token:
        out["Authorization"] = f"Bearer {token}"
    out.update(extra or {})
    return out


def seg(value: object) -> str:
    """One path segment, escaped (element ids may hold ':' and '~', slugs never '/')."""
    return quote(str(value), safe=":~")


def if_match_header(if_match: str | int | None) -> dict[str, str]:
    """`If-Match` from an entity tag ('"<id>-r7"') or a bare revision number (7)."""
    if if_match is None:
        return {}
    if isinstance(if_match, int):
        return {"If-Match": f'"{if_match}"'}
    return {"If-Match": if_match}


def params(**values: Any) -> dict[str, Any]:
    """Query parameters without the ones left at None; booleans as the server spells them."""
    out: dict[str, Any] = {}
    for k, v in values.items():
        if v is None:
            continue
        out[k.rstrip("_")] = ("true" if v else "false") if isinstance(v, bool) else v
    return out


def check_collection(collection: str) -> str:
    if collection not in COLLECTIONS:
        raise ValueError(f"unknown collection {collection!r}; one of {', '.join(COLLECTIONS)}")
    return collection


_one: dict[str, msgspec.json.Decoder[Any]] = {c: msgspec.json.Decoder(t) for c, t in ELEMENT_TYPES.items()}
_many: dict[str, msgspec.json.Decoder[Any]] = {c: msgspec.json.Decoder(list[t]) for c, t in ELEMENT_TYPES.items()}  # type: ignore[valid-type]


def decode_element(collection: str, data: bytes) -> Element:
    found: Element = _one[check_collection(collection)].decode(data)
    return found


def decode_elements(collection: str, data: bytes) -> list[Element]:
    found: list[Element] = _many[check_collection(collection)].decode(data)
    return found


def warnings_of(headers: Any) -> list[str]:
    raw = headers.get(WARNINGS_HEADER)
    if not raw:
        return []
    try:
        got = json.loads(raw)
    except ValueError:
        return [raw]
    return [str(w) for w in got] if isinstance(got, list) else [str(got)]


def filename_of(headers: Any) -> str | None:
    disp = headers.get("content-disposition") or ""
    m = re.search(r'filename="?([^";]+)"?', disp)
    return m.group(1) if m else None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to wait before repeating a request the server turned away.

    Only 429 and 503 are retried, and connection failures before any byte was sent: in
    those cases the server did not act on the request, so repeating a write is safe."""

    retries: int = 3
    backoff: float = 0.5  # first wait when the server gives no Retry-After; doubles each time
    max_backoff: float = 20.0
    max_wait: float = 60.0  # a Retry-After longer than this is not worth waiting for

    def delay(self, attempt: int, retry_after: str | None) -> float | None:
        """Seconds to sleep before attempt `attempt + 1`, or None to give up now."""
        if attempt >= self.retries:
            return None
        asked = parse_retry_after(retry_after)
        if asked is not None:
            return asked if asked <= self.max_wait else None
        base = min(self.max_backoff, self.backoff * float(2**attempt))
        # Jitter spreads out clients that were turned away at the same moment.
        return base * (0.5 + random.random() / 2)


# (method, path template as in the OpenAPI document) -> client method that calls it.
# The coverage test in tests/clients/ walks the served schema against this table.
OPERATIONS: Final[dict[tuple[str, str], str]] = {
    ("GET", "/health"): "health",
    ("GET", "/maps"): "list_maps",
    ("POST", "/maps"): "create_map",
    ("GET", "/maps/{map_ref}"): "get_map",
    ("PUT", "/maps/{map_ref}"): "replace_map",
    ("PATCH", "/maps/{map_ref}"): "patch_map",
    ("DELETE", "/maps/{map_ref}"): "delete_map",
    ("GET", "/maps/{map_ref}/revisions"): "list_revisions",
    ("POST", "/maps/{map_ref}/revisions/{revision}/restore"): "restore_revision",
    ("GET", "/maps/{map_ref}/export"): "export_map",
    ("POST", "/maps/import"): "import_map",
    ("GET", "/formats"): "list_formats",
    ("GET", "/formats/argmap/schema"): "native_schema",
    ("GET", "/export/maps.ndjson"): "iter_export",
    ("GET", "/maps/{map_ref}/diff"): "diff",
    ("GET", "/maps/{map_ref}/compare/authors"): "compare_authors",
    ("GET", "/maps/{map_ref}/compare/authors/view"): "compare_authors_view",
    ("POST", "/compare/maps"): "compare_maps",
    ("POST", "/compare/maps/confirm"): "confirm_matches",
    ("GET", "/compare/maps/view"): "compare_maps_view",
    ("GET", "/users"): "list_users",
    ("POST", "/users"): "create_user",
    ("GET", "/users/me"): "me",
    ("DELETE", "/users/{user_id}"): "delete_user",
    ("GET", "/auth/tokens"): "list_tokens",
    ("POST", "/auth/tokens"): "create_token",
    ("DELETE", "/auth/tokens/{token_id}"): "revoke_token",
    ("GET", "/maps/{map_ref}/members"): "list_members",
    ("PUT", "/maps/{map_ref}/members/{user_id}"): "set_member",
    ("DELETE", "/maps/{map_ref}/members/{user_id}"): "remove_member",
    ("GET", "/maps/{map_ref}/shares"): "list_shares",
    ("POST", "/maps/{map_ref}/shares"): "create_share",
    ("DELETE", "/maps/{map_ref}/shares/{share_id}"): "revoke_share",
    ("GET", "/maps/{map_ref}/comments"): "list_comments",
    ("POST", "/maps/{map_ref}/comments"): "add_comment",
    ("DELETE", "/maps/{map_ref}/comments/{comment_id}"): "delete_comment",
    ("GET", "/maps/{map_ref}/view"): "view_map",
    ("GET", "/maps/{map_ref}/debate"): "debate_view",
    ("GET", "/s/{token}"): "shared_view",
    ("GET", "/s/{token}/debate"): "shared_debate",
    ("GET", "/s/{token}/map"): "shared_map",
    ("GET", "/s/{token}/export"): "shared_export",
}
for _c in COLLECTIONS:
    OPERATIONS[("GET", f"/maps/{{map_ref}}/{_c}")] = "list_elements"
    OPERATIONS[("POST", f"/maps/{{map_ref}}/{_c}")] = "create_element"
    OPERATIONS[("GET", f"/maps/{{map_ref}}/{_c}/{{element_id}}")] = "get_element"
    OPERATIONS[("PUT", f"/maps/{{map_ref}}/{_c}/{{element_id}}")] = "replace_element"
    OPERATIONS[("PATCH", f"/maps/{{map_ref}}/{_c}/{{element_id}}")] = "patch_element"
    OPERATIONS[("DELETE", f"/maps/{{map_ref}}/{_c}/{{element_id}}")] = "delete_element"
