"""The typed argument graph: the one vocabulary every layer of argmap speaks.

A `MapDocument` is a whole debate map in the native `argmap/1` format. It is a plain
msgspec Struct tree, so decoding a file *is* type-checking it; the cross-reference
invariants that types cannot express live in `validation.py`.

Why element ids are strings chosen by the author of the map: they must stay stable
across export and import (AIF node ids, Kialo numbers and Argdown titles all map onto
them), and a teacher can write `"rust-1"` by hand.
"""

import enum
from typing import Annotated, Final, Literal

import msgspec

FORMAT: Final = "argmap/1"

# A url-safe identifier: element ids appear in paths such as /maps/{map}/statements/{id}.
ElementId = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^[A-Za-z0-9_.:~-]{1,128}$",
        description="Stable element id: 1-128 of A-Z a-z 0-9 _ . : ~ -",
        examples=["marples-1"],
    ),
]
MAX_TEXT: Final = 20_000
DEFAULT_SCORE: Final = 0.5
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT)]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
LongText = Annotated[str, msgspec.Meta(max_length=MAX_TEXT)]
Score = Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]
Positive = Annotated[int, msgspec.Meta(ge=1)]
NonNegative = Annotated[int, msgspec.Meta(ge=0)]


class StatementKind(enum.StrEnum):
    CLAIM = "claim"
    PREMISE = "premise"
    REBUTTAL = "rebuttal"
    EVIDENCE = "evidence"


class ConflictKind(enum.StrEnum):
    REBUT = "rebut"  # attacks a conclusion-like statement
    UNDERMINE = "undermine"  # attacks a premise
    UNDERCUT = "undercut"  # attacks the inference itself, not a statement


class StanceValue(enum.StrEnum):
    PRO = "pro"
    CON = "con"
    NEUTRAL = "neutral"


class Element(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True, frozen=True, gc=False):
    """Base of every map element; `id` is unique across the whole map.

    `gc=False`: elements hold only strings, numbers and lists of such values, so they can
    never be part of a reference cycle; keeping 100,000s of them out of the cyclic
    collector's view saves it from re-scanning them on every pass."""

    id: ElementId


class Author(Element, frozen=True, kw_only=True):
    name: ShortText
    description: LongText | None = None
    url: ShortText | None = None


class Source(Element, frozen=True, kw_only=True):
    title: ShortText
    creators: list[ShortText] = []
    year: int | None = None
    publisher: ShortText | None = None
    identifier: ShortText | None = None  # ISBN, DOI or URL
    url: ShortText | None = None
    licence: ShortText | None = None


class Topic(Element, frozen=True, kw_only=True):
    title: ShortText
    description: LongText | None = None


class Locator(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True, frozen=True, gc=False):
    """Where in a source a statement comes from."""

    source: ElementId
    page: Positive | None = None
    section: ShortText | None = None
    paragraph: Positive | None = None
    start: NonNegative | None = None  # character span within the paragraph, end exclusive
    end: NonNegative | None = None
    quote: LongText | None = None


class Stance(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True, frozen=True, gc=False):
    topic: ElementId
    stance: StanceValue = StanceValue.PRO


class Statement(Element, frozen=True, kw_only=True):
    text: Text
    title: ShortText | None = None  # a short label, as Argdown's [Title]
    kind: StatementKind = StatementKind.CLAIM
    author: ElementId | None = None
    locator: Locator | None = None
    stances: list[Stance] = []
    base_score: Score = DEFAULT_SCORE
    tags: list[ShortText] = []

    def __post_init__(self) -> None:
        # msgspec omits a default float only if it is the very same object, so an equal
        # 0.5 read from a file or a database would be written out while the default is
        # not. Canonicalising here keeps every path to the same bytes.
        if self.base_score == DEFAULT_SCORE and self.base_score is not DEFAULT_SCORE:
            msgspec.structs.force_setattr(self, "base_score", DEFAULT_SCORE)


class Inference(Element, frozen=True, kw_only=True):
    """Premises that *jointly* support the conclusion (linked); several inferences to one
    conclusion are convergent support."""

    premises: list[ElementId]
    conclusion: ElementId
    scheme: ShortText | None = None  # e.g. a Walton scheme name
    title: ShortText | None = None
    author: ElementId | None = None


class Conflict(Element, frozen=True, kw_only=True):
    """`attacker` (a statement) attacks `target`: a statement (rebut/undermine) or an
    inference (undercut)."""

    attacker: ElementId
    target: ElementId
    kind: ConflictKind = ConflictKind.REBUT
    author: ElementId | None = None


class Equivalence(Element, frozen=True, kw_only=True):
    """Two statements that express the same position; `second_map` names another map
    (by id or slug) when the second statement lives there."""

    first: ElementId
    second: ElementId
    second_map: ShortText | None = None
    author: ElementId | None = None


Visibility = Literal["private", "unlisted", "public"]


class MapDocument(
    msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True, tag_field="format", tag=FORMAT
):
    """A whole map in the native format. `id` and `revision` are assigned by the server
    and ignored on import; everything else round-trips unchanged.

    `format` is a msgspec tag: always written first, optional when reading, and any
    other value is refused (older versions are upgraded in formats/native.py first)."""

    id: str | None = None
    slug: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")] | None = None
    revision: NonNegative = 0
    title: ShortText
    description: LongText = ""
    language: Annotated[str, msgspec.Meta(max_length=35)] | None = None
    licence: ShortText | None = None
    citation: LongText | None = None
    authors: list[Author] = []
    sources: list[Source] = []
    topics: list[Topic] = []
    statements: list[Statement] = []
    inferences: list[Inference] = []
    conflicts: list[Conflict] = []
    equivalences: list[Equivalence] = []


# The element collections of a map, in document order, with the Struct each holds.
# Generic code (storage, editing, diffs) iterates this instead of naming each kind.
COLLECTIONS: Final[dict[str, type[Element]]] = {
    "authors": Author,
    "sources": Source,
    "topics": Topic,
    "statements": Statement,
    "inferences": Inference,
    "conflicts": Conflict,
    "equivalences": Equivalence,
}
SINGULAR: Final = {
    "authors": "author",
    "sources": "source",
    "topics": "topic",
    "statements": "statement",
    "inferences": "inference",
    "conflicts": "conflict",
    "equivalences": "equivalence",
}
METADATA_FIELDS: Final = ("slug", "title", "description", "language", "licence", "citation")


class GraphIndex:
    """Lookup tables over a document for algorithms that walk the graph.

    Built once per read in O(n); the document itself stays a plain list-based Struct so
    that encoding stays byte-stable and cheap."""

    __slots__ = (
        "attacks_on",
        "conflicts",
        "inferences",
        "inferences_using",
        "statements",
        "supports_of",
    )

    def __init__(self, doc: MapDocument) -> None:
        self.statements: dict[str, Statement] = {s.id: s for s in doc.statements}
        self.inferences: dict[str, Inference] = {i.id: i for i in doc.inferences}
        self.conflicts: dict[str, Conflict] = {c.id: c for c in doc.conflicts}
        # conclusion id -> inferences that support it
        self.supports_of: dict[str, list[Inference]] = {}
        # statement or inference id -> conflicts that attack it
        self.attacks_on: dict[str, list[Conflict]] = {}
        # premise id -> inferences it takes part in
        self.inferences_using: dict[str, list[Inference]] = {}
        for inf in doc.inferences:
            self.supports_of.setdefault(inf.conclusion, []).append(inf)
            for p in inf.premises:
                self.inferences_using.setdefault(p, []).append(inf)
        for c in doc.conflicts:
            self.attacks_on.setdefault(c.target, []).append(c)

    def roots(self) -> list[Statement]:
        """Main claims: statements that neither serve as premise nor attack anything.

        Falls back to every claim-kind statement when cycles leave no such statement."""
        used = set(self.inferences_using)
        used.update(c.attacker for c in self.conflicts.values())
        roots = [s for s in self.statements.values() if s.id not in used]
        if roots:
            return roots
        return [s for s in self.statements.values() if s.kind == StatementKind.CLAIM]


def dependents(doc: MapDocument, element_id: str) -> list[tuple[str, str]]:
    """Elements that reference `element_id`, as (collection, id) pairs.

    Used to refuse (409) or cascade a delete."""
    out: list[tuple[str, str]] = []
    for s in doc.statements:
        if (
            s.author == element_id
            or (s.locator and s.locator.source == element_id)
            or any(st.topic == element_id for st in s.stances)
        ):
            out.append(("statements", s.id))
    for i in doc.inferences:
        if element_id in i.premises or i.conclusion == element_id or i.author == element_id:
            out.append(("inferences", i.id))
    for c in doc.conflicts:
        if element_id in (c.attacker, c.target, c.author):
            out.append(("conflicts", c.id))
    for e in doc.equivalences:
        if e.first == element_id or e.author == element_id or (e.second == element_id and e.second_map is None):
            out.append(("equivalences", e.id))
    return out
