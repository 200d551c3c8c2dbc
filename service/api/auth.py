"""Who is calling, and what they may do with a map.

Authentication is a bearer API token. Authorisation is per map: the owner, members with a
role (editor, commenter, viewer) and admins; everyone may read a public map, and anyone
holding one of its share links may read an unlisted one (through `/s/<token>` only).
A map the caller may not read answers 404, never 403, so private maps do not leak their
existence.
"""

import hmac
import time
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncConnection

from service.api.problems import Problem
from service.db import accounts
from service.db.engine import Database
from service.db.maps import MapRow, get_map

LEVELS = {"viewer": 1, "commenter": 2, "editor": 3, "owner": 4}


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: uuid.UUID | None = None
    name: str = "anonymous"
    role: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None


ANONYMOUS = Principal()


class FailureLimiter:
    """Counts failed authentications per client in a sliding minute; past the limit the
    client gets 429 until the window moves on. In memory: per process, which is what
    slowing down a token-guessing client needs."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}

    def _recent(self, client: str) -> deque[float]:
        hits = self._hits.setdefault(client, deque())
        cutoff = time.monotonic() - self.window
        while hits and hits[0] < cutoff:
            hits.popleft()
        return hits

    def check(self, client: str) -> None:
        hits = self._recent(client)
        if len(hits) >= self.limit:
            retry = max(1, int(hits[0] + self.window - time.monotonic()) + 1)
            raise Problem(
                429,
                f"too many failed authentications from this client; retry in {retry} s",
                headers={"Retry-After": str(retry)},
            )

    def fail(self, client: str) -> None:
        self._recent(client).append(time.monotonic())
        if len(self._hits) > 10_000:  # bound memory under a spray of clients
            self._hits.pop(next(iter(self._hits)))


def _unauthorized(detail: str) -> Problem:
    return Problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="argmap", error="invalid_token"'})


def client_key(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


async def authenticate(request: Request[Any, Any, Any]) -> Principal:
    """Resolve the bearer token, if any. No header: anonymous. A bad header: 401."""
    header = request.headers.get("authorization")
    if header is None:
        return ANONYMOUS
    limiter: FailureLimiter = request.app.state.auth_failures
    client = client_key(request)
    limiter.check(client)
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        limiter.fail(client)
        raise _unauthorized("the Authorization header must be 'Bearer <token>'")
    db: Database = request.app.state.db
    async with db.read() as conn:
        row = await accounts.token_owner(conn, secret)
    # The lookup is by hash; comparing the hashes again in constant time keeps the
    # check timing-safe even if an index lookup were to leak a prefix match.
    if row is None or not hmac.compare_digest(row.token_hash, accounts.hash_secret(secret)):
        limiter.fail(client)
        raise _unauthorized("the token is not valid")
    if row.revoked_at is not None:
        limiter.fail(client)
        raise _unauthorized("the token has been revoked")
    if row.expires_at is not None and row.expires_at <= datetime.now(UTC):
        limiter.fail(client)
        raise _unauthorized("the token has expired")
    return Principal(user_id=row.user_id, name=row.user_name, role=row.user_role)


async def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    cached: Principal | None = request.scope.get("state", {}).get("principal")
    if cached is not None:
        return cached
    principal = await authenticate(request)
    request.scope.setdefault("state", {})["principal"] = principal
    return principal


def require_user(principal: Principal) -> uuid.UUID:
    if principal.user_id is None:
        raise _unauthorized("this operation needs an API token (Authorization: Bearer <token>)")
    return principal.user_id


async def access_level(conn: AsyncConnection, principal: Principal, m: MapRow) -> int:
    if principal.is_admin or (principal.user_id is not None and principal.user_id == m.owner_id):
        return LEVELS["owner"]
    level = 0
    if principal.user_id is not None:
        role = await accounts.member_role(conn, m.id, principal.user_id)
        if role is not None:
            level = LEVELS[role]
    if m.visibility == "public":
        level = max(level, LEVELS["viewer"])
    return level


async def require_map(conn: AsyncConnection, principal: Principal, ref: str, need: str = "viewer") -> MapRow:
    """The map `ref` if the caller has at least role `need` on it; 404 when the caller may
    not even see it, 401/403 when they may see it but not do this."""
    m = await get_map(conn, ref)
    if m is None:
        raise Problem(404, f"map {ref!r} does not exist or is not visible to you")
    level = await access_level(conn, principal, m)
    if level == 0:
        raise Problem(404, f"map {ref!r} does not exist or is not visible to you")
    if level < LEVELS[need]:
        if not principal.authenticated:
            raise _unauthorized(f"this operation needs the {need} role on map {ref!r}; send an API token")
        raise Problem(403, f"this operation needs the {need} role on map {ref!r}")
    return m
