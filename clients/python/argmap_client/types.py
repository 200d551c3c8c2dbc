"""The wire types of the argmap API, as this client sees them.

These are the client's own copies of the server's JSON shapes, so the client never
imports the server. They accept unknown fields on purpose: a newer server may add a
field, and an older client should keep decoding what it knows. Element Structs are
frozen and leave defaults out when encoded, so a document read, changed with
`msgspec.structs.replace` and written back keeps the server's canonical shape.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

import msgspec

NATIVE_FORMAT = "argmap/1"
DEFAULT_SCORE = 0.5

StatementKind = Literal["claim", "premise", "rebuttal", "evidence"]
ConflictKind = Literal["rebut", "undermine", "undercut"]
StanceValue = Literal["pro", "con", "neutral"]
Visibility = Literal["private", "unlisted", "public"]
MapRole = Literal["editor", "commenter", "viewer"]
UserRole = Literal["teacher", "student", "researcher", "admin"]
Collection = Literal["authors", "sources", "topics", "statements", "inferences", "conflicts", "equivalences"]
COLLECTIONS: tuple[Collection, ...] = (
    "authors",
    "sources",
    "topics",
    "statements",
    "inferences",
    "conflicts",
    "equivalences",
)


class _Wire(msgspec.Struct, kw_only=True, omit_defaults=True):
    pass


class _Element(msgspec.Struct, kw_only=True, omit_defaults=True, frozen=True):
    id: str


# ---- the map document ---------------------------------------------------------------


class Author(_Element, frozen=True, kw_only=True):
    name: str
    description: str | None = None
    url: str | None = None


class Source(_Element, frozen=True, kw_only=True):
    title: str
    creators: list[str] = []
    year: int | None = None
    publisher: str | None = None
    identifier: str | None = None
    url: str | None = None
    licence: str | None = None


class Topic(_Element, frozen=True, kw_only=True):
    title: str
    description: str | None = None


class Locator(msgspec.Struct, kw_only=True, omit_defaults=True, frozen=True):
    source: str
    page: int | None = None
    section: str | None = None
    paragraph: int | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None


class Stance(msgspec.Struct, kw_only=True, omit_defaults=True, frozen=True):
    topic: str
    stance: StanceValue = "pro"


class Statement(_Element, frozen=True, kw_only=True):
    text: str
    title: str | None = None
    kind: StatementKind = "claim"
    author: str | None = None
    locator: Locator | None = None
    stances: list[Stance] = []
    base_score: float = DEFAULT_SCORE
    tags: list[str] = []

    def __post_init__(self) -> None:
        # msgspec leaves out a default float only when it is the default object itself;
        # an equal 0.5 decoded from JSON would be written back. Use the shared object.
        if self.base_score == DEFAULT_SCORE and self.base_score is not DEFAULT_SCORE:
            msgspec.structs.force_setattr(self, "base_score", DEFAULT_SCORE)


class Inference(_Element, frozen=True, kw_only=True):
    premises: list[str]
    conclusion: str
    scheme: str | None = None
    title: str | None = None
    author: str | None = None


class Conflict(_Element, frozen=True, kw_only=True):
    """An attack of one statement on a statement or an inference (a map element, not an
    error: the HTTP 409 exception is `argmap_client.errors.Conflict`)."""

    attacker: str
    target: str
    kind: ConflictKind = "rebut"
    author: str | None = None


ConflictElement = Conflict


class Equivalence(_Element, frozen=True, kw_only=True):
    first: str
    second: str
    second_map: str | None = None
    author: str | None = None


Element = Author | Source | Topic | Statement | Inference | Conflict | Equivalence
ELEMENT_TYPES: dict[str, type[Any]] = {
    "authors": Author,
    "sources": Source,
    "topics": Topic,
    "statements": Statement,
    "inferences": Inference,
    "conflicts": Conflict,
    "equivalences": Equivalence,
}


class MapDocument(msgspec.Struct, kw_only=True, omit_defaults=True, tag_field="format", tag=NATIVE_FORMAT):
    """A whole map in the native `argmap/1` format. `id` and `revision` come from the
    server; `revision` is what `if_match=` pins a write to."""

    id: str | None = None
    slug: str | None = None
    revision: int = 0
    title: str
    description: str = ""
    language: str | None = None
    licence: str | None = None
    citation: str | None = None
    authors: list[Author] = []
    sources: list[Source] = []
    topics: list[Topic] = []
    statements: list[Statement] = []
    inferences: list[Inference] = []
    conflicts: list[Conflict] = []
    equivalences: list[Equivalence] = []

    @property
    def etag(self) -> str | None:
        """The entity tag of this document's revision, for `if_match=`."""
        return None if self.id is None else f'"{self.id}-r{self.revision}"'


# ---- maps -----------------------------------------------------------------------------


class Counts(_Wire, kw_only=True):
    statements: int
    inferences: int
    conflicts: int


class MapInfo(_Wire, kw_only=True):
    id: uuid.UUID
    title: str
    revision: int
    visibility: Visibility
    created_at: datetime
    updated_at: datetime
    slug: str | None = None
    description: str = ""
    owner: str | None = None
    counts: Counts | None = None
    links: dict[str, str] = {}

    @property
    def etag(self) -> str:
        return f'"{self.id}-r{self.revision}"'


class MapPage(_Wire, kw_only=True):
    items: list[MapInfo]
    total: int
    limit: int
    offset: int


class MapPatch(_Wire, kw_only=True):
    """Metadata to change. Leave a field UNSET to keep it; None clears an optional one."""

    title: str | msgspec.UnsetType = msgspec.UNSET
    description: str | msgspec.UnsetType = msgspec.UNSET
    slug: str | msgspec.UnsetType | None = msgspec.UNSET
    language: str | msgspec.UnsetType | None = msgspec.UNSET
    licence: str | msgspec.UnsetType | None = msgspec.UNSET
    citation: str | msgspec.UnsetType | None = msgspec.UNSET
    visibility: Visibility | msgspec.UnsetType = msgspec.UNSET


class Deleted(_Wire, kw_only=True):
    deleted: list[dict[str, str]]
    revision: int


class RevisionOut(_Wire, kw_only=True):
    revision: int
    created_at: datetime
    action: str
    summary: str
    user: str | None = None


class Health(_Wire, kw_only=True):
    status: str
    database: str
    version: str


# ---- formats --------------------------------------------------------------------------


class FormatInfo(_Wire, kw_only=True):
    name: str
    media_type: str
    extension: str
    can_import: bool
    can_export: bool


class ImportReport(_Wire, kw_only=True):
    format: str
    dry_run: bool
    counts: Counts
    warnings: list[str] = []
    map: MapInfo | None = None
    document: MapDocument | None = None


class Export(_Wire, kw_only=True):
    """An exported file: its bytes, what the target format could not hold, and its tag."""

    data: bytes
    media_type: str
    filename: str | None = None
    warnings: list[str] = []
    etag: str | None = None

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


# ---- accounts and sharing ---------------------------------------------------------------


class UserOut(_Wire, kw_only=True):
    id: uuid.UUID
    name: str
    email: str
    role: UserRole
    created_at: datetime


class TokenOut(_Wire, kw_only=True):
    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class TokenCreated(_Wire, kw_only=True):
    id: uuid.UUID
    name: str
    token: str
    expires_at: datetime | None = None


class UserCreated(_Wire, kw_only=True):
    user: UserOut
    token: TokenCreated


class MemberOut(_Wire, kw_only=True):
    user_id: uuid.UUID
    name: str
    email: str
    role: Literal["owner", "editor", "commenter", "viewer"]


class ShareOut(_Wire, kw_only=True):
    id: uuid.UUID
    name: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


class ShareCreated(_Wire, kw_only=True):
    id: uuid.UUID
    name: str
    token: str
    url: str
    expires_at: datetime | None = None


class CommentOut(_Wire, kw_only=True):
    id: uuid.UUID
    element: str
    element_exists: bool
    text: str
    author: str | None
    created_at: datetime


# ---- diff ---------------------------------------------------------------------------------


class FieldChange(_Wire, kw_only=True):
    field: str
    before: Any = None
    after: Any = None


class ElementChange(_Wire, kw_only=True):
    id: str
    changes: list[FieldChange] = []


class CollectionDiff(_Wire, kw_only=True):
    added: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    changed: list[ElementChange] = []
    reordered: bool = False


class MapDiff(_Wire, kw_only=True):
    """What changed between two revisions; elements added or removed are kept as plain
    JSON objects (decode one with `msgspec.convert(obj, ELEMENT_TYPES[collection])`)."""

    before_revision: int = 0
    after_revision: int = 0
    metadata: list[FieldChange] = []
    authors: CollectionDiff = msgspec.field(default_factory=CollectionDiff)
    sources: CollectionDiff = msgspec.field(default_factory=CollectionDiff)
    topics: CollectionDiff = msgspec.field(default_factory=CollectionDiff)
    statements: CollectionDiff = msgspec.field(default_factory=CollectionDiff)
    inferences: CollectionDiff = msgspec.field(default_factory=CollectionDiff)
    conflicts: CollectionDiff = msgspec.field(default_factory=CollectionDiff)
    equivalences: CollectionDiff = msgspec.field(default_factory=CollectionDiff)

    def collection(self, name: str) -> CollectionDiff:
        if name not in COLLECTIONS:
            raise KeyError(name)
        result: CollectionDiff = getattr(self, name)
        return result

    def is_empty(self) -> bool:
        return not self.metadata and all(
            not (d.added or d.removed or d.changed) for d in (self.collection(n) for n in COLLECTIONS)
        )


# ---- comparison -------------------------------------------------------------------------


class Finding(_Wire, kw_only=True):
    kind: str
    authors: list[str]
    statements: list[str]
    path: list[str]
    explanation: str


class StanceHolding(_Wire, kw_only=True):
    topic: str
    stance: StanceValue
    statements: list[str]


class AuthorPosition(_Wire, kw_only=True):
    author: str
    name: str
    stances: list[StanceHolding] = []
    statements: list[str] = []
    unaddressed: list[str] = []


class TopicComparison(_Wire, kw_only=True):
    topic: str | None
    title: str | None
    positions: list[AuthorPosition] = []
    agreements: list[Finding] = []
    clashes: list[Finding] = []


class AuthorComparison(_Wire, kw_only=True):
    authors: list[str]
    topic: str | None = None
    topics: list[TopicComparison] = []
    overall: TopicComparison | None = None


class StatementMatch(_Wire, kw_only=True):
    reference: str
    candidate: str
    how: str
    score: float


class RelationMatch(_Wire, kw_only=True):
    status: str
    reference: list[str]
    candidate: list[str]
    reference_type: str
    candidate_type: str
    reference_via: list[str] = []
    candidate_via: list[str] = []


class PrecisionRecall(_Wire, kw_only=True):
    true_positives: int
    reference_total: int
    candidate_total: int
    precision: float | None
    recall: float | None
    f1: float | None


class RelationAgreement(_Wire, kw_only=True):
    unit: str
    units: int
    observed: float | None
    expected: float | None
    kappa: float | None
    confusion: dict[str, dict[str, int]] = {}


class ComparisonScores(_Wire, kw_only=True):
    statements: PrecisionRecall
    relations: PrecisionRecall
    relation_agreement: RelationAgreement


class MapComparison(_Wire, kw_only=True):
    """A candidate map scored against a reference map."""

    reference_map: str | None
    candidate_map: str | None
    threshold: float
    scorer: str
    matches: list[StatementMatch]
    unmatched_reference: list[str]
    unmatched_candidate: list[str]
    relations: list[RelationMatch]
    relation_counts: dict[str, int]
    scores: ComparisonScores
    warnings: list[str] = []


class ConfirmResult(_Wire, kw_only=True):
    """What confirming alignments stored in the candidate map."""

    candidate_map: str
    reference_map: str
    revision: int
    created: list[str] = []
    existing: list[str] = []


# ---- errors ---------------------------------------------------------------------------------


class Violation(_Wire, kw_only=True):
    element: str
    id: str | None
    field: str
    reason: str


class FieldError(_Wire, kw_only=True):
    reason: str
    pointer: str | None = None
    parameter: str | None = None
    location: str | None = None


class ProblemDetails(_Wire, kw_only=True):
    title: str
    status: int
    detail: str
    type: str = "about:blank"
    instance: str | None = None
    violations: list[Violation] | None = None
    errors: list[FieldError] | None = None
    dependents: list[dict[str, str]] | None = None
