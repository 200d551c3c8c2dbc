"""Users, API tokens, map membership, share links and comments (Core queries).

Secrets (API tokens, share links) are random, shown once, and stored only as a SHA-256
hash: a leaked database does not leak working credentials. A hash of a 256-bit random
secret needs no salt or slow KDF: there is nothing to brute-force.
"""

import hashlib
import secrets
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from service.db import tables as t
from service.db.tables import utcnow

USER = t.User.__table__  # type: ignore[attr-defined]
TOKEN = t.ApiToken.__table__  # type: ignore[attr-defined]
MEMBER = t.MapMember.__table__  # type: ignore[attr-defined]
SHARE = t.ShareLink.__table__  # type: ignore[attr-defined]
COMMENT = t.Comment.__table__  # type: ignore[attr-defined]
# What a comment may be attached to.
_COMMENTABLE = (
    t.StatementRow.__table__,  # type: ignore[attr-defined]
    t.InferenceRow.__table__,  # type: ignore[attr-defined]
    t.ConflictRow.__table__,  # type: ignore[attr-defined]
)

TOKEN_PREFIX = "amp_"
SHARE_PREFIX = "shr_"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)  # 256 bits


async def create_user(conn: AsyncConnection, *, name: str, email: str, role: str) -> uuid.UUID:
    uid = uuid.uuid4()
    await conn.execute(USER.insert().values(id=uid, name=name, email=email.lower(), role=role, created_at=utcnow()))
    return uid


async def get_user(conn: AsyncConnection, user_id: uuid.UUID) -> sa.Row[Any] | None:
    return (await conn.execute(sa.select(USER).where(USER.c.id == user_id))).first()


async def user_by_email(conn: AsyncConnection, email: str) -> sa.Row[Any] | None:
    return (await conn.execute(sa.select(USER).where(USER.c.email == email.lower()))).first()


async def list_users(conn: AsyncConnection) -> list[sa.Row[Any]]:
    return list((await conn.execute(sa.select(USER).order_by(USER.c.created_at, USER.c.email))).all())


async def delete_user(conn: AsyncConnection, user_id: uuid.UUID) -> bool:
    # Tokens go with the user (ON DELETE CASCADE), so they stop working at once.
    return bool((await conn.execute(USER.delete().where(USER.c.id == user_id))).rowcount)


async def create_token(
    conn: AsyncConnection, user_id: uuid.UUID, name: str, expires_at: datetime | None, secret: str | None = None
) -> tuple[uuid.UUID, str]:
    secret = secret or new_secret(TOKEN_PREFIX)
    tid = uuid.uuid4()
    await conn.execute(
        TOKEN.insert().values(
            id=tid,
            user_id=user_id,
            name=name,
            token_hash=hash_secret(secret),
            prefix=secret[:12],
            created_at=utcnow(),
            expires_at=expires_at,
        )
    )
    return tid, secret


async def token_owner(conn: AsyncConnection, secret: str) -> sa.Row[Any] | None:
    """The token row joined with its user's name, role and email; None if unknown."""
    q = (
        sa.select(TOKEN, USER.c.name.label("user_name"), USER.c.role.label("user_role"), USER.c.email)
        .join(USER, USER.c.id == TOKEN.c.user_id)
        .where(TOKEN.c.token_hash == hash_secret(secret))
    )
    return (await conn.execute(q)).first()


async def list_tokens(conn: AsyncConnection, user_id: uuid.UUID) -> list[sa.Row[Any]]:
    q = sa.select(TOKEN).where(TOKEN.c.user_id == user_id).order_by(TOKEN.c.created_at)
    return list((await conn.execute(q)).all())


async def revoke_token(conn: AsyncConnection, user_id: uuid.UUID, token_id: uuid.UUID) -> bool:
    q = (
        TOKEN.update()
        .where(TOKEN.c.id == token_id, TOKEN.c.user_id == user_id, TOKEN.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return bool((await conn.execute(q)).rowcount)


# ---- membership --------------------------------------------------------------------


async def member_role(conn: AsyncConnection, map_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
    q = sa.select(MEMBER.c.role).where(MEMBER.c.map_id == map_id, MEMBER.c.user_id == user_id)
    role: str | None = (await conn.execute(q)).scalar_one_or_none()
    return role


async def set_member(conn: AsyncConnection, map_id: uuid.UUID, user_id: uuid.UUID, role: str) -> None:
    await conn.execute(MEMBER.delete().where(MEMBER.c.map_id == map_id, MEMBER.c.user_id == user_id))
    await conn.execute(MEMBER.insert().values(map_id=map_id, user_id=user_id, role=role))


async def remove_member(conn: AsyncConnection, map_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    q = MEMBER.delete().where(MEMBER.c.map_id == map_id, MEMBER.c.user_id == user_id)
    return bool((await conn.execute(q)).rowcount)


async def list_members(conn: AsyncConnection, map_id: uuid.UUID) -> list[sa.Row[Any]]:
    q = (
        sa.select(MEMBER.c.user_id, MEMBER.c.role, USER.c.name, USER.c.email)
        .join(USER, USER.c.id == MEMBER.c.user_id)
        .where(MEMBER.c.map_id == map_id)
        .order_by(USER.c.name)
    )
    return list((await conn.execute(q)).all())


# ---- share links -------------------------------------------------------------------


async def create_share(
    conn: AsyncConnection, map_id: uuid.UUID, created_by: uuid.UUID, name: str, expires_at: datetime | None
) -> tuple[uuid.UUID, str]:
    secret = new_secret(SHARE_PREFIX)
    sid = uuid.uuid4()
    await conn.execute(
        SHARE.insert().values(
            id=sid,
            map_id=map_id,
            name=name,
            token_hash=hash_secret(secret),
            created_by=created_by,
            created_at=utcnow(),
            expires_at=expires_at,
        )
    )
    return sid, secret


async def share_by_secret(conn: AsyncConnection, secret: str) -> sa.Row[Any] | None:
    return (await conn.execute(sa.select(SHARE).where(SHARE.c.token_hash == hash_secret(secret)))).first()


async def list_shares(conn: AsyncConnection, map_id: uuid.UUID) -> list[sa.Row[Any]]:
    q = sa.select(SHARE).where(SHARE.c.map_id == map_id).order_by(SHARE.c.created_at)
    return list((await conn.execute(q)).all())


async def revoke_share(conn: AsyncConnection, map_id: uuid.UUID, share_id: uuid.UUID) -> bool:
    q = (
        SHARE.update()
        .where(SHARE.c.id == share_id, SHARE.c.map_id == map_id, SHARE.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return bool((await conn.execute(q)).rowcount)


# ---- comments ----------------------------------------------------------------------


async def add_comment(
    conn: AsyncConnection, map_id: uuid.UUID, element_id: str, user_id: uuid.UUID, text: str
) -> sa.Row[Any]:
    cid = uuid.uuid4()
    await conn.execute(
        COMMENT.insert().values(
            id=cid, map_id=map_id, element_id=element_id, user_id=user_id, text=text, created_at=utcnow()
        )
    )
    return (await list_comments(conn, map_id, comment_id=cid))[0]


async def list_comments(
    conn: AsyncConnection, map_id: uuid.UUID, element_id: str | None = None, comment_id: uuid.UUID | None = None
) -> list[sa.Row[Any]]:
    q = (
        sa.select(
            COMMENT,
            USER.c.name.label("user_name"),
            _element_exists(COMMENT.c.map_id, COMMENT.c.element_id).label("element_exists"),
        )
        .outerjoin(USER, USER.c.id == COMMENT.c.user_id)
        .where(COMMENT.c.map_id == map_id)
        .order_by(COMMENT.c.created_at, COMMENT.c.id)
    )
    if element_id is not None:
        q = q.where(COMMENT.c.element_id == element_id)
    if comment_id is not None:
        q = q.where(COMMENT.c.id == comment_id)
    return list((await conn.execute(q)).all())


def _element_exists(map_id: Any, element_id: Any) -> sa.ColumnElement[bool]:
    """SQL truth of "the map holds a statement, inference or conflict with this id",
    answered by the tables' primary keys, so no map has to be loaded for it."""
    return sa.or_(*(sa.exists().where(tb.c.map_id == map_id, tb.c.id == element_id) for tb in _COMMENTABLE))


async def commentable(conn: AsyncConnection, map_id: uuid.UUID, element_id: str) -> bool:
    row = (await conn.execute(sa.select(_element_exists(map_id, element_id)))).scalar()
    return bool(row)


async def delete_comment(conn: AsyncConnection, map_id: uuid.UUID, comment_id: uuid.UUID) -> bool:
    q = COMMENT.delete().where(COMMENT.c.map_id == map_id, COMMENT.c.id == comment_id)
    return bool((await conn.execute(q)).rowcount)


async def comment_author(conn: AsyncConnection, map_id: uuid.UUID, comment_id: uuid.UUID) -> uuid.UUID | bool | None:
    """The comment's author id; False when there is no such comment."""
    q = sa.select(COMMENT.c.user_id).where(COMMENT.c.map_id == map_id, COMMENT.c.id == comment_id)
    row = (await conn.execute(q)).first()
    if row is None:
        return False
    author: uuid.UUID | None = row.user_id
    return author
