"""Request and response Structs of the HTTP API that are not domain types.

Domain types (`MapDocument`, `Statement`, ...) are used at the boundary as they are;
these add what only the API has: listings, metadata patches, accounts and sharing.
"""

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from service.domain.graph import ShortText

Visibility = Literal["private", "unlisted", "public"]
MapRole = Literal["editor", "commenter", "viewer"]
UserRole = Literal["teacher", "student", "researcher", "admin"]
Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+$", max_length=320)]


class Counts(msgspec.Struct, kw_only=True):
    statements: int
    inferences: int
    conflicts: int


class MapInfo(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A map's metadata and access, without its graph."""

    id: uuid.UUID
    slug: str | None = None
    title: str
    description: str = ""
    revision: int
    visibility: Visibility
    owner: str | None = None
    counts: Counts | None = None
    created_at: datetime
    updated_at: datetime
    links: dict[str, str] = {}


class MapPage(msgspec.Struct, kw_only=True):
    items: list[MapInfo]
    total: int
    limit: int
    offset: int


class MapPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Metadata fields to change; absent fields stay as they are, null clears."""

    title: ShortText | msgspec.UnsetType = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=20_000)] | msgspec.UnsetType = msgspec.UNSET
    slug: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")] | msgspec.UnsetType | None = msgspec.UNSET
    language: Annotated[str, msgspec.Meta(max_length=35)] | msgspec.UnsetType | None = msgspec.UNSET
    licence: ShortText | msgspec.UnsetType | None = msgspec.UNSET
    citation: Annotated[str, msgspec.Meta(max_length=20_000)] | msgspec.UnsetType | None = msgspec.UNSET
    visibility: Visibility | msgspec.UnsetType = msgspec.UNSET


class Deleted(msgspec.Struct, kw_only=True):
    deleted: list[dict[str, str]]
    revision: int


class Health(msgspec.Struct, kw_only=True):
    status: Literal["ok"]
    database: str
    version: str


# ---- accounts ------------------------------------------------------------------------


class UserCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: ShortText
    email: Email
    role: UserRole = "teacher"


class UserOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    email: str
    role: UserRole
    created_at: datetime


class TokenCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: ShortText
    expires_at: datetime | None = None


class TokenOut(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A token as listed: never its secret."""

    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class TokenCreated(msgspec.Struct, kw_only=True):
    """The only response that ever carries the secret: store it now."""

    id: uuid.UUID
    name: str
    token: str
    expires_at: datetime | None = None


class UserCreated(msgspec.Struct, kw_only=True):
    user: UserOut
    token: TokenCreated


class MemberIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    role: MapRole


class MemberOut(msgspec.Struct, kw_only=True):
    user_id: uuid.UUID
    name: str
    email: str
    role: Literal["owner", "editor", "commenter", "viewer"]


class ShareCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(max_length=200)] = ""
    expires_at: datetime | None = None


class ShareOut(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: uuid.UUID
    name: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


class ShareCreated(msgspec.Struct, kw_only=True):
    """A new share link; `token` and `url` are shown only now. `map_visibility` is the
    map's visibility afterwards: a private map becomes unlisted when it gets a link."""

    id: uuid.UUID
    name: str
    token: str
    url: str
    map_visibility: Visibility
    expires_at: datetime | None = None


class CommentIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    element: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_.:~-]{1,128}$")]
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=10_000)]


class CommentOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    element: str
    element_exists: bool
    text: str
    author: str | None
    created_at: datetime


class RevisionOut(msgspec.Struct, kw_only=True, omit_defaults=True):
    revision: int
    created_at: datetime
    action: str
    summary: str
    user: str | None = None
