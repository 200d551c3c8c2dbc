"""Users, API tokens, map members, share links and comments."""

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from service.api.auth import Principal, require_map, require_user
from service.api.maps import ERRORS, MapRef
from service.api.problems import Problem
from service.api.schemas import (
    CommentIn,
    CommentOut,
    MemberIn,
    MemberOut,
    ShareCreate,
    ShareCreated,
    ShareOut,
    TokenCreate,
    TokenCreated,
    TokenOut,
    UserCreate,
    UserCreated,
    UserOut,
    Visibility,
)
from service.db import accounts
from service.db import maps as store
from service.db.engine import Database
from service.settings import Settings


def _user_out(row: Any) -> UserOut:
    return UserOut(id=row.id, name=row.name, email=row.email, role=row.role, created_at=row.created_at)


def _future(when: datetime | None, field: str) -> datetime | None:
    if when is None:
        return None
    if when.tzinfo is None:
        raise Problem(400, f"{field} needs a timezone (e.g. 2027-01-31T12:00:00Z)")
    if when <= datetime.now(UTC):
        raise Problem(400, f"{field} must be in the future")
    return when


def _require_admin(principal: Principal) -> None:
    require_user(principal)
    if not principal.is_admin:
        raise Problem(403, "only an admin may manage user accounts")


class UsersController(Controller):
    path = "/users"
    tags = ["accounts"]

    @post("/", summary="Create a user (admin) and their first API token", status_code=201, responses=ERRORS)
    async def create_user(
        self, data: JSONBody[UserCreate], db: NamedDependency[Database], principal: NamedDependency[Principal]
    ) -> UserCreated:
        _require_admin(principal)
        async with db.write() as conn:
            if await accounts.user_by_email(conn, data.email) is not None:
                raise Problem(409, f"a user with email {data.email!r} already exists")
            uid = await accounts.create_user(conn, name=data.name, email=data.email, role=data.role)
            tid, secret = await accounts.create_token(conn, uid, "first token", None)
            row = await accounts.get_user(conn, uid)
        return UserCreated(user=_user_out(row), token=TokenCreated(id=tid, name="first token", token=secret))

    @get("/", summary="List users (admin)", responses=ERRORS)
    async def list_users(self, db: NamedDependency[Database], principal: NamedDependency[Principal]) -> list[UserOut]:
        _require_admin(principal)
        async with db.read() as conn:
            return [_user_out(r) for r in await accounts.list_users(conn)]

    @get("/me", summary="The user the token belongs to", responses=ERRORS)
    async def me(self, db: NamedDependency[Database], principal: NamedDependency[Principal]) -> UserOut:
        uid = require_user(principal)
        async with db.read() as conn:
            row = await accounts.get_user(conn, uid)
        if row is None:
            raise Problem(401, "this token's user no longer exists")
        return _user_out(row)

    @delete(
        "/{user_id:uuid}",
        summary="Delete a user (admin, or yourself); their tokens stop working",
        status_code=204,
        responses=ERRORS,
    )
    async def delete_user(
        self, user_id: FromPath[uuid.UUID], db: NamedDependency[Database], principal: NamedDependency[Principal]
    ) -> None:
        me = require_user(principal)
        if me != user_id and not principal.is_admin:
            raise Problem(403, "you may delete only your own account")
        async with db.write() as conn:
            if not await accounts.delete_user(conn, user_id):
                raise Problem(404, f"user {user_id} does not exist")


class TokensController(Controller):
    path = "/auth/tokens"
    tags = ["accounts"]

    @post(
        "/", summary="Create an API token for yourself; the secret is shown only now", status_code=201, responses=ERRORS
    )
    async def create_token(
        self, data: JSONBody[TokenCreate], db: NamedDependency[Database], principal: NamedDependency[Principal]
    ) -> TokenCreated:
        uid = require_user(principal)
        expires = _future(data.expires_at, "expires_at")
        async with db.write() as conn:
            tid, secret = await accounts.create_token(conn, uid, data.name, expires)
        return TokenCreated(id=tid, name=data.name, token=secret, expires_at=expires)

    @get("/", summary="List your tokens (never their secrets)", responses=ERRORS)
    async def list_tokens(self, db: NamedDependency[Database], principal: NamedDependency[Principal]) -> list[TokenOut]:
        uid = require_user(principal)
        async with db.read() as conn:
            rows = await accounts.list_tokens(conn, uid)
        return [
            TokenOut(
                id=r.id, name=r.name, prefix=r.prefix, created_at=r.created_at, expires_at=r.expires_at,
                revoked_at=r.revoked_at, last_used_at=r.last_used_at,
            )
            for r in rows
        ]  # fmt: skip

    @delete("/{token_id:uuid}", summary="Revoke one of your tokens", status_code=204, responses=ERRORS)
    async def revoke_token(
        self, token_id: FromPath[uuid.UUID], db: NamedDependency[Database], principal: NamedDependency[Principal]
    ) -> None:
        uid = require_user(principal)
        async with db.write() as conn:
            if not await accounts.revoke_token(conn, uid, token_id):
                raise Problem(404, f"you have no live token {token_id}")


class SharingController(Controller):
    """Members (roles), share links and comments of one map."""

    path = "/maps/{map_ref:str}"
    tags = ["sharing"]

    @get("/members", summary="List the map's owner and members", responses=ERRORS)
    async def list_members(
        self, map_ref: MapRef, db: NamedDependency[Database], principal: NamedDependency[Principal]
    ) -> list[MemberOut]:
        async with db.read() as conn:
            m = await require_map(conn, principal, map_ref, "viewer")
            out = []
            if m.owner_id is not None:
                owner = await accounts.get_user(conn, m.owner_id)
                if owner is not None:
                    out.append(MemberOut(user_id=owner.id, name=owner.name, email=owner.email, role="owner"))
            out += [
                MemberOut(user_id=r.user_id, name=r.name, email=r.email, role=r.role)
                for r in await accounts.list_members(conn, m.id)
            ]
        return out

    @put("/members/{user_id:uuid}", summary="Grant a role on the map (owner)", responses=ERRORS)
    async def set_member(
        self,
        map_ref: MapRef,
        user_id: FromPath[uuid.UUID],
        data: JSONBody[MemberIn],
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> MemberOut:
        async with db.write() as conn:
            m = await require_map(conn, principal, map_ref, "owner")
            user = await accounts.get_user(conn, user_id)
            if user is None:
                raise Problem(404, f"user {user_id} does not exist")
            if user_id == m.owner_id:
                raise Problem(409, "the owner already has every right on the map")
            await accounts.set_member(conn, m.id, user_id, data.role)
        return MemberOut(user_id=user.id, name=user.name, email=user.email, role=data.role)

    @delete("/members/{user_id:uuid}", summary="Revoke a member's role (owner)", status_code=204, responses=ERRORS)
    async def remove_member(
        self,
        map_ref: MapRef,
        user_id: FromPath[uuid.UUID],
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> None:
        async with db.write() as conn:
            m = await require_map(conn, principal, map_ref, "owner")
            if not await accounts.remove_member(conn, m.id, user_id):
                raise Problem(404, f"user {user_id} is not a member of map {map_ref!r}")

    @post("/shares", summary="Create a read-only share link (owner)", status_code=201, responses=ERRORS)
    async def create_share(
        self,
        request: Request[Any, Any, Any],
        map_ref: MapRef,
        data: JSONBody[ShareCreate],
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> ShareCreated:
        expires = _future(data.expires_at, "expires_at")
        async with db.write() as conn:
            m = await require_map(conn, principal, map_ref, "owner")
            uid = require_user(principal)
            sid, secret = await accounts.create_share(conn, m.id, uid, data.name, expires)
            # Making a link means "anyone with the link may read": a private map becomes
            # unlisted (a public one stays public); making it private again closes all links.
            visibility: Visibility = m.visibility  # type: ignore[assignment]
            if visibility == "private":
                await store.set_visibility(conn, m, "unlisted", uid)
                visibility = "unlisted"
        settings: Settings = request.app.state.settings
        base = settings.public_url or str(request.base_url).rstrip("/")
        return ShareCreated(
            id=sid,
            name=data.name,
            token=secret,
            url=f"{base}/s/{secret}",
            expires_at=expires,
            map_visibility=visibility,
        )

    @get("/shares", summary="List the map's share links (owner; never their secrets)", responses=ERRORS)
    async def list_shares(
        self, map_ref: MapRef, db: NamedDependency[Database], principal: NamedDependency[Principal]
    ) -> list[ShareOut]:
        async with db.read() as conn:
            m = await require_map(conn, principal, map_ref, "owner")
            rows = await accounts.list_shares(conn, m.id)
        return [
            ShareOut(id=r.id, name=r.name, created_at=r.created_at, expires_at=r.expires_at, revoked_at=r.revoked_at)
            for r in rows
        ]

    @delete("/shares/{share_id:uuid}", summary="Revoke a share link (owner)", status_code=204, responses=ERRORS)
    async def revoke_share(
        self,
        map_ref: MapRef,
        share_id: FromPath[uuid.UUID],
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> None:
        async with db.write() as conn:
            m = await require_map(conn, principal, map_ref, "owner")
            if not await accounts.revoke_share(conn, m.id, share_id):
                raise Problem(404, f"map {map_ref!r} has no live share link {share_id}")

    @get("/comments", summary="List comments, optionally for one element", responses=ERRORS)
    async def list_comments(
        self,
        map_ref: MapRef,
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
        element: Annotated[str | None, QueryParameter(max_length=128)] = None,
    ) -> list[CommentOut]:
        async with db.read() as conn:
            m = await require_map(conn, principal, map_ref, "commenter")
            rows = await accounts.list_comments(conn, m.id, element)
        return [
            CommentOut(
                id=r.id, element=r.element_id, element_exists=bool(r.element_exists), text=r.text,
                author=r.user_name, created_at=r.created_at,
            )
            for r in rows
        ]  # fmt: skip

    @post(
        "/comments",
        summary="Comment on a statement, inference or conflict (commenter)",
        status_code=201,
        responses=ERRORS,
    )
    async def add_comment(
        self,
        map_ref: MapRef,
        data: JSONBody[CommentIn],
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> CommentOut:
        async with db.write() as conn:
            m = await require_map(conn, principal, map_ref, "commenter")
            uid = require_user(principal)
            if not await accounts.commentable(conn, m.id, data.element):
                raise Problem(
                    422,
                    f"map {map_ref!r} has no statement, inference or conflict {data.element!r} to comment on",
                )
            r = await accounts.add_comment(conn, m.id, data.element, uid, data.text)
        return CommentOut(
            id=r.id, element=r.element_id, element_exists=True, text=r.text, author=r.user_name, created_at=r.created_at
        )

    @delete(
        "/comments/{comment_id:uuid}",
        summary="Delete a comment (its author or the map's owner)",
        status_code=204,
        responses=ERRORS,
    )
    async def delete_comment(
        self,
        map_ref: MapRef,
        comment_id: FromPath[uuid.UUID],
        db: NamedDependency[Database],
        principal: NamedDependency[Principal],
    ) -> None:
        async with db.write() as conn:
            m = await require_map(conn, principal, map_ref, "commenter")
            uid = require_user(principal)
            author = await accounts.comment_author(conn, m.id, comment_id)
            if author is False:
                raise Problem(404, f"map {map_ref!r} has no comment {comment_id}")
            if author != uid:
                await require_map(conn, principal, map_ref, "owner")
            await accounts.delete_comment(conn, m.id, comment_id)
