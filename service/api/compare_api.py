"""Comparison and history over HTTP: revision diffs, author comparison within a map,
scoring one map against another, storing confirmed alignments, and the two comparison
pages for teachers and students.

The algorithms live in `service.domain.diff` and `service.domain.compare`; this module
loads the right revisions with the caller's permissions, turns domain errors into
problem+json, and renders the HTML views.
"""

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Final

import jinja2
import msgspec
from litestar import MediaType, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncConnection

from service.api.auth import Principal, require_map
from service.api.http import etag, expected_revision
from service.api.maps import ERRORS, MapRef, check_valid, translate_store_errors
from service.api.pages import html
from service.api.problems import FieldError, Problem
from service.db import maps as store
from service.db.engine import Database
from service.domain import editing
from service.domain.compare import (
    DEFAULT_THRESHOLD,
    AuthorComparison,
    Finding,
    MapComparison,
    UnknownElement,
    compare_authors,
    compare_maps,
)
from service.domain.diff import MapDiff, diff
from service.domain.graph import COLLECTIONS, ElementId, Equivalence, MapDocument, Statement
from service.web import viewer

TAGS: Final = ["comparison"]
MapRefText = Annotated[
    str, msgspec.Meta(min_length=1, max_length=128, description="A map's UUID or slug", examples=["belarus-2020"])
]
Pair = Annotated[
    tuple[ElementId, ElementId],
    msgspec.Meta(description="[reference statement id, candidate statement id]", examples=[["rust-2", "st-7"]]),
]
Threshold = Annotated[
    float,
    msgspec.Meta(
        gt=0.0, le=1.0, description="Lowest text similarity (0..1] at which statements are suggested as a match."
    ),
]
RevisionNo = Annotated[int, msgspec.Meta(ge=1, description="Compare the map as it was at this revision")]


class MapComparisonRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Which two maps (and revisions) to compare, and the caller's alignment decisions."""

    reference: MapRefText
    candidate: MapRefText
    reference_revision: RevisionNo | None = None
    candidate_revision: RevisionNo | None = None
    confirmed: Annotated[
        list[Pair],
        msgspec.Meta(
            description="Pairs the caller has confirmed; they take precedence. One-to-one: a statement named "
            "in two pairs, or one its map lacks, is refused with 422."
        ),
    ] = []
    rejected: Annotated[list[Pair], msgspec.Meta(description="Pairs never to be suggested.")] = []
    threshold: Threshold = DEFAULT_THRESHOLD


class ConfirmRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Alignments to record in the candidate map as cross-map equivalences."""

    reference: MapRefText
    candidate: MapRefText
    pairs: Annotated[list[Pair], msgspec.Meta(min_length=1, max_length=10_000)]
    reference_revision: Annotated[
        RevisionNo | None,
        msgspec.Meta(description="Check the reference ids against this revision instead of the current one."),
    ] = None


class ConfirmResult(msgspec.Struct, kw_only=True):
    """What a confirmation stored."""

    candidate_map: Annotated[str, msgspec.Meta(description="Id of the candidate map, which holds the equivalences.")]
    reference_map: Annotated[str, msgspec.Meta(description="Id of the reference map, their `second_map`.")]
    revision: Annotated[
        int, msgspec.Meta(description="The candidate map's revision after the change (unchanged if nothing was new).")
    ]
    created: Annotated[list[str], msgspec.Meta(description="Ids of the equivalences created, in the order of `pairs`.")]
    existing: Annotated[
        list[str], msgspec.Meta(description="Ids of equivalences that already recorded a requested pair.")
    ]


# ---- loading ---------------------------------------------------------------------------


async def _document(
    conn: AsyncConnection, m: store.MapRow, ref: str, revision: int | None, role: str = ""
) -> MapDocument:
    """The map at `revision` (current when None); 404 naming the revision when it is absent."""
    if revision is None:
        return await store.load_document(conn, m)
    doc = await store.document_at(conn, m, revision) if 1 <= revision <= m.revision else None
    if doc is None:
        which = f"the {role} map" if role else "map"
        raise Problem(404, f"{which} {ref!r} has no revision {revision} (current: {m.revision})")
    return doc


async def _load_pair(db: Database, principal: Principal, req: MapComparisonRequest) -> tuple[MapDocument, MapDocument]:
    async with db.read() as conn:
        rm = await require_map(conn, principal, req.reference)
        cm = await require_map(conn, principal, req.candidate)
        ref = await _document(conn, rm, req.reference, req.reference_revision, "reference")
        cand = await _document(conn, cm, req.candidate, req.candidate_revision, "candidate")
    return ref, cand


def _check_pairs(
    field: str, pairs: list[tuple[str, str]], ref: MapDocument, cand: MapDocument, ref_name: str, cand_name: str
) -> None:
    """422 naming the first pair with a statement its map lacks, or that reuses a statement."""
    ref_ids = {s.id for s in ref.statements}
    cand_ids = {s.id for s in cand.statements}
    used: tuple[dict[str, int], dict[str, int]] = ({}, {})
    for n, pair in enumerate(pairs):
        for k, (sid, known, side, name) in enumerate(
            ((pair[0], ref_ids, "reference", ref_name), (pair[1], cand_ids, "candidate", cand_name))
        ):
            if sid not in known:
                raise Problem(
                    422,
                    f"{field}[{n}] names statement {sid!r}, which the {side} map {name!r} does not hold",
                    errors=[FieldError(pointer=f"/{field}/{n}/{k}", reason=f"unknown {side} statement")],
                )
            first = used[k].setdefault(sid, n)
            if first != n:
                raise Problem(
                    422,
                    f"{field}[{first}] and {field}[{n}] both align the {side} statement {sid!r}; "
                    "an alignment is one-to-one",
                    errors=[FieldError(pointer=f"/{field}/{n}/{k}", reason="statement already aligned")],
                )


def _run_compare_maps(ref: MapDocument, cand: MapDocument, req: MapComparisonRequest) -> MapComparison:
    _check_pairs("confirmed", req.confirmed, ref, cand, req.reference, req.candidate)
    try:
        return compare_maps(ref, cand, confirmed=req.confirmed, rejected=req.rejected, threshold=req.threshold)
    except UnknownElement as e:  # pre-checked above; kept so a new rule cannot become a 500
        raise Problem(422, str(e)) from None
    except ValueError as e:
        raise Problem(400, str(e)) from None


def _run_compare_authors(doc: MapDocument, ref: str, authors: list[str], topic: str | None) -> AuthorComparison:
    try:
        return compare_authors(doc, authors, topic)
    except UnknownElement as e:
        raise Problem(
            404,
            f"map {ref!r} has no {e.kind} {e.id!r}",
            errors=[FieldError(parameter=f"query:{'authors' if e.kind == 'author' else e.kind}", reason=str(e))],
        ) from None
    except ValueError as e:
        raise Problem(400, str(e), errors=[FieldError(parameter="query:authors", reason=str(e))]) from None


# ---- JSON endpoints ------------------------------------------------------------------

AuthorsQ = Annotated[
    list[str],
    QueryParameter(description="Author ids to compare (repeat the parameter; at least two)", max_items=50),
]
TopicQ = Annotated[
    str | None, QueryParameter(max_length=128, description="Only this topic; all topics and the whole map when absent")
]
FromQ = Annotated[
    int | None,
    QueryParameter(
        name="from",
        ge=0,
        description="Earlier revision; default `to` - 1. Revision 0 stands for the empty map before creation.",
    ),
]
ToQ = Annotated[int | None, QueryParameter(ge=1, description="Later revision; default the current one")]


@get("/maps/{map_ref:str}/diff", summary="What changed between two revisions of a map", tags=TAGS, responses=ERRORS)
async def diff_revisions(
    map_ref: MapRef,
    db: NamedDependency[Database],
    principal: NamedDependency[Principal],
    from_: FromQ = None,
    to: ToQ = None,
) -> MapDiff:
    async with db.read() as conn:
        m = await require_map(conn, principal, map_ref)
        after_no = m.revision if to is None else to
        before_no = after_no - 1 if from_ is None else from_
        for name, n in (("to", after_no), ("from", before_no)):
            if n > m.revision:
                raise Problem(
                    404,
                    f"map {map_ref!r} has no revision {n} ({name}); it is at revision {m.revision}",
                    errors=[FieldError(parameter=f"query:{name}", reason="no such revision")],
                )
        if before_no > after_no:
            raise Problem(
                400,
                f"from ({before_no}) is later than to ({after_no}); a diff runs forwards in time",
                errors=[FieldError(parameter="query:from", reason="must not be later than to")],
            )
        pair = await store.revision_pair(conn, m, before_no, after_no)
    if pair is None:
        raise Problem(404, f"the history of map {map_ref!r} lacks revision {before_no} or {after_no}")
    return diff(*pair)


@get(
    "/maps/{map_ref:str}/compare/authors",
    summary="Where authors of a map agree and clash, per topic",
    tags=TAGS,
    responses=ERRORS,
)
async def compare_map_authors(
    map_ref: MapRef,
    db: NamedDependency[Database],
    principal: NamedDependency[Principal],
    authors: AuthorsQ,
    topic: TopicQ = None,
) -> AuthorComparison:
    async with db.read() as conn:
        m = await require_map(conn, principal, map_ref)
        doc = await store.load_document(conn, m)
    return _run_compare_authors(doc, map_ref, authors, topic)


@post(
    "/compare/maps",
    summary="Score a candidate map against a reference map",
    tags=TAGS,
    responses=ERRORS,
    status_code=200,
)
async def compare_two_maps(
    data: JSONBody[MapComparisonRequest], db: NamedDependency[Database], principal: NamedDependency[Principal]
) -> MapComparison:
    ref, cand = await _load_pair(db, principal, data)
    return _run_compare_maps(ref, cand, data)


def _equivalence_id(taken: set[str], cand_id: str, ref_id: str, ref_map: str) -> str:
    """A readable id when it fits, else a digest; never one the map already uses."""
    base = f"eq-{cand_id}-{ref_id}"
    if len(base) > 120:
        digest = hashlib.sha256(f"{ref_map}\0{ref_id}\0{cand_id}".encode()).hexdigest()[:16]
        base = f"eq-{digest}"
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}-{n}"
    return found


@post(
    "/compare/maps/confirm",
    summary="Record confirmed alignments as equivalences in the candidate map",
    description=(
        "Each pair [reference id, candidate id] becomes an Equivalence in the candidate map with "
        "`first` = the candidate statement, `second` = the reference statement and `second_map` = the "
        "reference map's id, so later comparisons align them without being told. Pairs already recorded "
        "are reported under `existing`. Needs the editor role on the candidate; honours If-Match."
    ),
    tags=TAGS,
    responses=ERRORS,
    status_code=200,
)
async def confirm_alignments(
    request: Request[Any, Any, Any],
    data: JSONBody[ConfirmRequest],
    db: NamedDependency[Database],
    principal: NamedDependency[Principal],
) -> Response[ConfirmResult]:
    async with db.write() as conn:
        rm = await require_map(conn, principal, data.reference)
        cm = await require_map(conn, principal, data.candidate, "editor")
        if rm.id == cm.id:
            raise Problem(400, "reference and candidate are the same map; an alignment joins two different maps")
        expected = expected_revision(request, cm.id, cm.revision)
        ref_doc = await _document(conn, rm, data.reference, data.reference_revision, "reference")
        cand_doc = await store.load_document(conn, cm)
        _check_pairs("pairs", data.pairs, ref_doc, cand_doc, data.reference, data.candidate)
        ref_names = {str(rm.id)} | ({rm.slug} if rm.slug else set())
        recorded = {
            (e.first, e.second): e.id
            for e in cand_doc.equivalences
            if e.second_map is not None and e.second_map in ref_names
        }
        taken = {el.id for name in COLLECTIONS for el in getattr(cand_doc, name)}
        changes = editing.ChangeSet()
        created: list[str] = []
        existing: list[str] = []
        partner_of_candidate = {c: (r, eid) for (c, r), eid in recorded.items()}
        partner_of_reference = {r: (c, eid) for (c, r), eid in recorded.items()}
        for n, (r, c) in enumerate(data.pairs):
            if (c, r) in recorded:
                existing.append(recorded[(c, r)])
                continue
            _refuse_second_partner(n, c, partner_of_candidate.get(c), "candidate", "reference")
            _refuse_second_partner(n, r, partner_of_reference.get(r), "reference", "candidate")
            eid = _equivalence_id(taken, c, r, str(rm.id))
            taken.add(eid)
            created.append(eid)
            eq = Equivalence(id=eid, first=c, second=r, second_map=str(rm.id))
            changes.elements.append(
                editing.ElementChange(collection="equivalences", id=eid, value=editing.element_to_builtins(eq))
            )
        revision = cm.revision
        if created:
            after = editing.apply(cand_doc, changes)
            check_valid(after)
            try:
                revision = await store.apply_changes(
                    conn, cm, after, changes, user_id=principal.user_id, expected=expected, action="confirm alignment"
                )
            except (store.StaleRevision, store.SlugTaken) as e:
                raise translate_store_errors(e) from None
    result = ConfirmResult(
        candidate_map=str(cm.id), reference_map=str(rm.id), revision=revision, created=created, existing=existing
    )
    return Response(result, status_code=200, headers={"ETag": etag(cm.id, revision)})


def _refuse_second_partner(n: int, sid: str, recorded: tuple[str, str] | None, side: str, other: str) -> None:
    """409 when `sid` is already aligned with a different statement: an alignment is
    one-to-one, so the old equivalence must be deleted before the statement is realigned."""
    if recorded is None:
        return
    partner, eid = recorded
    raise Problem(
        409,
        f"pairs[{n}]: the {side} statement {sid!r} is already aligned with the {other} statement "
        f"{partner!r} (equivalence {eid!r}); delete that equivalence first, an alignment is one-to-one",
        errors=[FieldError(pointer=f"/pairs/{n}/{int(side == 'candidate')}", reason="statement already aligned")],
    )


# ---- HTML views ----------------------------------------------------------------------

_TEMPLATES: Final = Path(viewer.__file__).resolve().parent / "templates"
_STATIC: Final = ("viewer.css", "compare.css")

# Each finding kind gets a symbol and a sentence-case label, so that no reader has to
# tell agreement from clash by colour.
FINDING_LABELS: Final = {
    "equivalent": ("=", "Same position"),
    "supports": ("+", "Supports"),
    "linked-premises": ("&", "Argue jointly"),
    "common-conclusion": ("\u21d2", "Support the same claim"),
    "common-target": ("\u2694", "Attack the same point"),
    "same-stance": ("\u2713", "Same stance"),
    "attacks": ("\u2715", "Attacks"),
    "supports-attacked": ("\u2715", "Supports what the other attacks"),
    "opposite-stance": ("\u21c4", "Opposite stances"),
}
RELATION_LABELS: Final = {
    "same": ("\u2713", "Agree", "Both maps relate these statements the same way."),
    "opposite": ("\u2715", "Clash", "Both maps relate these statements, but differently."),
    "missing": ("\u2212", "Only in reference", "The candidate map does not relate these statements."),
    "extra": ("+", "Only in candidate", "The reference map does not relate these statements."),
}
STANCE_LABELS: Final = {"pro": ("\u25b2", "pro"), "con": ("\u25bc", "con"), "neutral": ("\u25cf", "neutral")}
HOW_LABELS: Final = {"confirmed": "confirmed", "equivalence": "recorded equivalence", "suggested": "text similarity"}


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(
        FINDING_LABELS=FINDING_LABELS,
        RELATION_LABELS=RELATION_LABELS,
        STANCE_LABELS=STANCE_LABELS,
        HOW_LABELS=HOW_LABELS,
        static=_static_urls(),
    )
    env.filters["pct"] = _pct
    env.filters["ratio"] = _ratio
    return env


@cache
def _static_urls() -> dict[str, str]:
    # Content hashes in the URLs let browsers cache the files until they change.
    out: dict[str, str] = {}
    for name in _STATIC:
        digest = hashlib.sha256((viewer.static_dir() / name).read_bytes()).hexdigest()[:12]
        out[name] = f"/static/{name}?v={digest}"
    return out


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


@dataclass(frozen=True, slots=True)
class Shown:
    """A statement as the pages show it."""

    id: str
    text: str
    title: str | None
    kind: str
    author: str | None

    @classmethod
    def of(cls, s: Statement, names: dict[str, str]) -> "Shown":
        author = None if s.author is None else names.get(s.author, s.author)
        return cls(id=s.id, text=s.text, title=s.title, kind=str(s.kind), author=author)


def _shown(doc: MapDocument) -> dict[str, Shown]:
    names = {a.id: a.name for a in doc.authors}
    return {s.id: Shown.of(s, names) for s in doc.statements}


def _render(template: str, **context: Any) -> Response[str]:
    page = _env().get_template(template).render(**context)
    # Maps come from JSON, where control characters and lone surrogates are legal.
    return html(viewer.safe_clean(page))


def _revision_label(doc: MapDocument, asked: int | None) -> str:
    return f"revision {doc.revision}" if asked is not None else f"current revision, {doc.revision}"


ThresholdQ = Annotated[float, QueryParameter(gt=0.0, le=1.0, description="Lowest similarity for a suggested match")]
RevisionQ = Annotated[int | None, QueryParameter(ge=1, description="Use the map as it was at this revision")]
MapRefQ = Annotated[str, QueryParameter(min_length=1, max_length=128, description="A map's UUID or slug")]


@get(
    "/compare/maps/view",
    summary="A candidate map against a reference map, as a web page",
    tags=["viewer", *TAGS],
    responses=ERRORS,
    media_type=MediaType.HTML,
)
async def compare_maps_view(
    db: NamedDependency[Database],
    principal: NamedDependency[Principal],
    reference: MapRefQ,
    candidate: MapRefQ,
    reference_revision: RevisionQ = None,
    candidate_revision: RevisionQ = None,
    threshold: ThresholdQ = DEFAULT_THRESHOLD,
) -> Response[str]:
    req = MapComparisonRequest(
        reference=reference,
        candidate=candidate,
        reference_revision=reference_revision,
        candidate_revision=candidate_revision,
        threshold=threshold,
    )
    ref, cand = await _load_pair(db, principal, req)
    result = _run_compare_maps(ref, cand, req)
    ref_st, cand_st = _shown(ref), _shown(cand)
    involved: dict[str, list[str]] = {}
    for rel in result.relations:
        if rel.status != "same":
            for sid in rel.reference:
                involved.setdefault(sid, []).append(rel.status)
    return _render(
        "compare_maps.html",
        ref=ref,
        cand=cand,
        ref_label=_revision_label(ref, reference_revision),
        cand_label=_revision_label(cand, candidate_revision),
        result=result,
        ref_st=ref_st,
        cand_st=cand_st,
        involved=involved,
        relations=sorted(result.relations, key=lambda r: ("opposite", "missing", "extra", "same").index(r.status)),
    )


@dataclass(frozen=True, slots=True)
class FindingView:
    finding: Finding
    first: Shown
    second: Shown


@get(
    "/maps/{map_ref:str}/compare/authors/view",
    summary="Where authors of a map agree and clash, as a web page",
    tags=["viewer", *TAGS],
    responses=ERRORS,
    media_type=MediaType.HTML,
)
async def compare_authors_view(
    map_ref: MapRef,
    db: NamedDependency[Database],
    principal: NamedDependency[Principal],
    authors: AuthorsQ,
    topic: TopicQ = None,
) -> Response[str]:
    async with db.read() as conn:
        m = await require_map(conn, principal, map_ref)
        doc = await store.load_document(conn, m)
    result = _run_compare_authors(doc, map_ref, authors, topic)
    shown = _shown(doc)
    sections = [*result.topics, *([result.overall] if result.overall is not None else [])]

    def views(findings: list[Finding]) -> list[FindingView]:
        return [FindingView(f, shown[f.statements[0]], shown[f.statements[1]]) for f in findings]

    return _render(
        "compare_authors.html",
        doc=doc,
        map_id=str(m.id),
        result=result,
        sections=[(sec, views(sec.clashes), views(sec.agreements)) for sec in sections],
        shown=shown,
        topics={t.id: t.title for t in doc.topics},
    )


def compare_routes() -> list[Any]:
    return [
        diff_revisions,
        compare_map_authors,
        compare_authors_view,
        compare_two_maps,
        confirm_alignments,
        compare_maps_view,
    ]
