"""The relational schema: SQLModel tables, persistence only.

The API never sees these classes (it speaks msgspec Structs); `repository.py` maps rows
to the domain graph. Graph elements are keyed by (map_id, element id) so that element ids
stay the author's own and composite foreign keys keep references inside one map.

No `from __future__ import annotations` here: SQLModel resolves field annotations at
class creation (STACK-NOTES P11).
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Must be set before the first table class so every constraint has a stable name that
# Alembic batch mode on SQLite can drop (STACK-NOTES P21).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = SQLModel.metadata


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every dialect (SQLite drops tzinfo: P12)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; argmap stores UTC-aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _choice(name: str, column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=name)


def _map_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["map_id"], ["argument_map.id"], ondelete="CASCADE")


def _el_fk(columns: list[str], table: str) -> sa.ForeignKeyConstraint:
    # References stay inside one map: (map_id, x_id) -> table(map_id, id).
    # No ON DELETE action: the domain decides what a delete takes with it (409 or cascade),
    # the database only refuses a dangling reference.
    return sa.ForeignKeyConstraint(["map_id", *columns], [f"{table}.map_id", f"{table}.id"])


ROLES = ("teacher", "student", "researcher", "admin")
MAP_ROLES = ("owner", "editor", "commenter", "viewer")
VISIBILITIES = ("private", "unlisted", "public")


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    __table_args__ = (_choice("role", "role", ROLES),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=320, unique=True)
    role: str = Field(max_length=20, default="teacher")
    created_at: datetime = Field(sa_type=UTCDateTime(), nullable=False)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    __table_args__ = (sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(index=True)
    name: str = Field(max_length=200)
    # sha256 of the secret: the secret itself is shown once and never stored.
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime(), nullable=False)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime(), nullable=True)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime(), nullable=True)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime(), nullable=True)


class ArgumentMap(SQLModel, table=True):
    __tablename__ = "argument_map"
    __table_args__ = (
        _choice("visibility", "visibility", VISIBILITIES),
        sa.CheckConstraint("revision >= 1", name="revision_positive"),
        sa.ForeignKeyConstraint(["owner_id"], ["app_user.id"], ondelete="SET NULL"),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    slug: str | None = Field(default=None, max_length=100, unique=True)
    title: str = Field(max_length=500)
    description: str = Field(default="", sa_type=sa.Text())
    language: str | None = Field(default=None, max_length=35)
    licence: str | None = Field(default=None, max_length=500)
    citation: str | None = Field(default=None, sa_type=sa.Text())
    revision: int = Field(default=1)
    visibility: str = Field(default="private", max_length=10)
    owner_id: uuid.UUID | None = Field(default=None, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime(), nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime(), nullable=False)


class MapMember(SQLModel, table=True):
    __tablename__ = "map_member"
    __table_args__ = (
        _map_fk(),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        _choice("role", "role", MAP_ROLES[1:]),
    )
    map_id: uuid.UUID = Field(primary_key=True)
    user_id: uuid.UUID = Field(primary_key=True, index=True)
    role: str = Field(max_length=10)


class ShareLink(SQLModel, table=True):
    __tablename__ = "share_link"
    __table_args__ = (
        _map_fk(),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], ondelete="SET NULL"),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    map_id: uuid.UUID = Field(index=True)
    name: str = Field(default="", max_length=200)
    token_hash: str = Field(max_length=64, unique=True)
    created_by: uuid.UUID | None = None
    created_at: datetime = Field(sa_type=UTCDateTime(), nullable=False)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime(), nullable=True)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime(), nullable=True)


class Comment(SQLModel, table=True):
    __tablename__ = "comment"
    __table_args__ = (
        _map_fk(),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="SET NULL"),
        sa.Index("ix_comment_map_element", "map_id", "element_id"),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    map_id: uuid.UUID
    # Not a foreign key: comments outlive edits (and even deletion) of their element.
    element_id: str = Field(max_length=128)
    user_id: uuid.UUID | None = None
    text: str = Field(sa_type=sa.Text())
    created_at: datetime = Field(sa_type=UTCDateTime(), nullable=False)


class MapRevision(SQLModel, table=True):
    """One row per write. `payload` is zlib-compressed msgspec JSON: a full snapshot of
    the document (`kind='snapshot'`) or the list of changes since the previous revision
    (`kind='delta'`). Any revision is rebuilt from the nearest snapshot at or before it."""

    __tablename__ = "map_revision"
    __table_args__ = (
        _map_fk(),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="SET NULL"),
        _choice("kind", "kind", ("snapshot", "delta")),
    )
    map_id: uuid.UUID = Field(primary_key=True)
    revision: int = Field(primary_key=True)
    user_id: uuid.UUID | None = None
    created_at: datetime = Field(sa_type=UTCDateTime(), nullable=False)
    action: str = Field(max_length=100)
    summary: str = Field(default="", max_length=500)
    kind: str = Field(max_length=10)
    payload: bytes = Field(sa_type=sa.LargeBinary())


# ---- the graph ---------------------------------------------------------------------


class AuthorRow(SQLModel, table=True):
    __tablename__ = "author"
    __table_args__ = (_map_fk(),)
    map_id: uuid.UUID = Field(primary_key=True)
    id: str = Field(primary_key=True, max_length=128)
    pos: int
    name: str = Field(max_length=500)
    description: str | None = Field(default=None, sa_type=sa.Text())
    url: str | None = Field(default=None, max_length=500)


class SourceRow(SQLModel, table=True):
    __tablename__ = "source"
    __table_args__ = (_map_fk(),)
    map_id: uuid.UUID = Field(primary_key=True)
    id: str = Field(primary_key=True, max_length=128)
    pos: int
    title: str = Field(max_length=500)
    creators: list[str] = Field(default_factory=list, sa_type=sa.JSON())
    year: int | None = None
    publisher: str | None = Field(default=None, max_length=500)
    identifier: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=500)
    licence: str | None = Field(default=None, max_length=500)


class TopicRow(SQLModel, table=True):
    __tablename__ = "topic"
    __table_args__ = (_map_fk(),)
    map_id: uuid.UUID = Field(primary_key=True)
    id: str = Field(primary_key=True, max_length=128)
    pos: int
    title: str = Field(max_length=500)
    description: str | None = Field(default=None, sa_type=sa.Text())


STATEMENT_KINDS = ("claim", "premise", "rebuttal", "evidence")
CONFLICT_KINDS = ("rebut", "undermine", "undercut")
STANCES = ("pro", "con", "neutral")


class StatementRow(SQLModel, table=True):
    __tablename__ = "statement"
    __table_args__ = (
        _map_fk(),
        _el_fk(["author_id"], "author"),
        _el_fk(["loc_source"], "source"),
        _choice("kind", "kind", STATEMENT_KINDS),
        sa.CheckConstraint("base_score >= 0 AND base_score <= 1", name="base_score"),
    )
    map_id: uuid.UUID = Field(primary_key=True)
    id: str = Field(primary_key=True, max_length=128)
    pos: int
    text: str = Field(sa_type=sa.Text())
    title: str | None = Field(default=None, max_length=500)
    kind: str = Field(max_length=10)
    author_id: str | None = Field(default=None, max_length=128)
    loc_source: str | None = Field(default=None, max_length=128)
    loc_page: int | None = None
    loc_section: str | None = Field(default=None, max_length=500)
    loc_paragraph: int | None = None
    loc_start: int | None = None
    loc_end: int | None = None
    loc_quote: str | None = Field(default=None, sa_type=sa.Text())
    base_score: float = 0.5
    tags: list[str] = Field(default_factory=list, sa_type=sa.JSON())


class StanceRow(SQLModel, table=True):
    __tablename__ = "statement_stance"
    __table_args__ = (
        _el_fk(["statement_id"], "statement"),
        _el_fk(["topic_id"], "topic"),
        _choice("stance", "stance", STANCES),
    )
    map_id: uuid.UUID = Field(primary_key=True)
    statement_id: str = Field(primary_key=True, max_length=128)
    topic_id: str = Field(primary_key=True, max_length=128)
    pos: int
    stance: str = Field(max_length=10)


class InferenceRow(SQLModel, table=True):
    __tablename__ = "inference"
    __table_args__ = (
        _map_fk(),
        _el_fk(["conclusion_id"], "statement"),
        _el_fk(["author_id"], "author"),
        # "what supports this statement?" is the most common walk of the graph
        sa.Index("ix_inference_conclusion", "map_id", "conclusion_id"),
    )
    map_id: uuid.UUID = Field(primary_key=True)
    id: str = Field(primary_key=True, max_length=128)
    pos: int
    conclusion_id: str = Field(max_length=128)
    scheme: str | None = Field(default=None, max_length=500)
    title: str | None = Field(default=None, max_length=500)
    author_id: str | None = Field(default=None, max_length=128)


class PremiseRow(SQLModel, table=True):
    __tablename__ = "inference_premise"
    __table_args__ = (
        _el_fk(["inference_id"], "inference"),
        _el_fk(["statement_id"], "statement"),
    )
    map_id: uuid.UUID = Field(primary_key=True)
    inference_id: str = Field(primary_key=True, max_length=128)
    pos: int = Field(primary_key=True)
    statement_id: str = Field(max_length=128)


class ConflictRow(SQLModel, table=True):
    __tablename__ = "conflict"
    __table_args__ = (
        _map_fk(),
        _el_fk(["attacker_id"], "statement"),
        _el_fk(["author_id"], "author"),
        _choice("kind", "kind", CONFLICT_KINDS),
        sa.Index("ix_conflict_target", "map_id", "target_id"),
    )
    map_id: uuid.UUID = Field(primary_key=True)
    id: str = Field(primary_key=True, max_length=128)
    pos: int
    attacker_id: str = Field(max_length=128)
    # A statement or an inference: checked by the domain validator, not by a foreign key.
    target_id: str = Field(max_length=128)
    kind: str = Field(max_length=10)
    author_id: str | None = Field(default=None, max_length=128)


class EquivalenceRow(SQLModel, table=True):
    __tablename__ = "equivalence"
    __table_args__ = (
        _map_fk(),
        _el_fk(["first_id"], "statement"),
        _el_fk(["author_id"], "author"),
    )
    map_id: uuid.UUID = Field(primary_key=True)
    id: str = Field(primary_key=True, max_length=128)
    pos: int
    first_id: str = Field(max_length=128)
    # May live in another map (second_map), so no foreign key.
    second_id: str = Field(max_length=128)
    second_map: str | None = Field(default=None, max_length=500)
    author_id: str | None = Field(default=None, max_length=128)
