"""Comparison of positions: authors within one map, and two maps of the same debate.

Two pure entry points, each returning a documented msgspec Struct:

* `compare_authors` reads one map and says, per topic, where the chosen authors agree,
  where they clash (each finding with the path of element ids that shows it), and what
  each of them says that the others leave unaddressed.
* `compare_maps` aligns the statements of a candidate map with those of a reference map
  (explicit equivalences and confirmations first, then text similarity from rapidfuzz),
  checks whether the relations between aligned statements agree, and scores the
  candidate: precision/recall/F1 of statements and of relations, and Cohen's kappa over
  relation types.
"""

import enum
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Annotated, Any, Final, Literal

import msgspec
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from service.domain.graph import Conflict, Inference, MapDocument, StanceValue, Statement


class UnknownElement(KeyError):
    """A request named an element the map does not hold; `kind` says which sort
    ("author", "topic", "statement") so that the API can answer 404 naming it."""

    def __init__(self, kind: str, id: str) -> None:
        super().__init__(kind, id)
        self.kind = kind
        self.id = id

    def __str__(self) -> str:
        return f"unknown {self.kind} {self.id!r}"


# ---------------------------------------------------------------------------------------
# Author comparison within one map
# ---------------------------------------------------------------------------------------


class FindingKind(enum.StrEnum):
    """equivalent, supports, linked-premises, common-conclusion, common-target and
    same-stance are agreements; attacks, supports-attacked and opposite-stance are clashes."""

    # agreements
    EQUIVALENT = "equivalent"  # an Equivalence joins their statements
    SUPPORTS = "supports"  # a statement of one is a premise for a statement of the other
    LINKED_PREMISES = "linked-premises"  # premises of one inference: they argue jointly
    COMMON_CONCLUSION = "common-conclusion"  # separate inferences to one conclusion
    COMMON_TARGET = "common-target"  # both attack the same statement or inference
    SAME_STANCE = "same-stance"
    # clashes
    ATTACKS = "attacks"  # a Conflict between their statements (an undercut reaches the premises)
    SUPPORTS_ATTACKED = "supports-attacked"  # one supports what the other attacks
    OPPOSITE_STANCE = "opposite-stance"  # pro against con on one topic


AGREEMENT_KINDS: Final = (
    FindingKind.EQUIVALENT,
    FindingKind.SUPPORTS,
    FindingKind.LINKED_PREMISES,
    FindingKind.COMMON_CONCLUSION,
    FindingKind.COMMON_TARGET,
    FindingKind.SAME_STANCE,
)
CLASH_KINDS: Final = (FindingKind.ATTACKS, FindingKind.SUPPORTS_ATTACKED, FindingKind.OPPOSITE_STANCE)
_STANCE_KINDS: Final = (FindingKind.SAME_STANCE, FindingKind.OPPOSITE_STANCE)
_KIND_ORDER: Final = {k: n for n, k in enumerate(AGREEMENT_KINDS + CLASH_KINDS)}


class Finding(msgspec.Struct, kw_only=True, frozen=True):
    """One agreement or clash between two of the compared authors."""

    kind: Annotated[FindingKind, msgspec.Meta(description="What relates the two statements.")]
    authors: Annotated[list[str], msgspec.Meta(description="The two author ids, in the order they were asked for.")]
    statements: Annotated[
        list[str],
        msgspec.Meta(description="The statement of each of `authors`, in the same order."),
    ]
    path: Annotated[
        list[str],
        msgspec.Meta(
            description=(
                "Element ids that show the relation, in the direction of its edges: e.g. "
                "[statement, conflict, statement], [premise, inference, conclusion, conflict, attacker], "
                "or [statement, topic, statement] for stances."
            ),
            examples=[["rust-3", "rust-c1", "marples-2"]],
        ),
    ]
    explanation: Annotated[str, msgspec.Meta(description="The finding as one English sentence.")]


class StanceHolding(msgspec.Struct, kw_only=True, frozen=True):
    """A stance an author takes on a topic, with the statements that take it."""

    topic: str
    stance: StanceValue
    statements: list[str]


class AuthorPosition(msgspec.Struct, kw_only=True, frozen=True):
    """What one author says within a section of the comparison."""

    author: str
    name: str
    stances: Annotated[list[StanceHolding], msgspec.Meta(description="Stances taken, by topic then pro/con/neutral.")]
    statements: Annotated[list[str], msgspec.Meta(description="The author's statements in scope, in map order.")]
    unaddressed: Annotated[
        list[str],
        msgspec.Meta(
            description=(
                "Statements of this author in scope that no statement of the other authors is "
                "connected to by an argument relation (stances alone do not count)."
            )
        ),
    ]


class TopicComparison(msgspec.Struct, kw_only=True, frozen=True):
    """The comparison restricted to one topic, or over the whole map when `topic` is null.

    A statement is in a topic's scope when it takes a stance on the topic or argues,
    through any chain of support and attack, for or against a statement that does."""

    topic: Annotated[str | None, msgspec.Meta(description="Topic id; null for the whole map.")]
    title: str | None
    positions: list[AuthorPosition]
    agreements: list[Finding]
    clashes: list[Finding]


class AuthorComparison(msgspec.Struct, kw_only=True, frozen=True):
    """Result of comparing authors within one map. Findings are ordered by kind, then by
    pair of authors, then by the map order of the elements on their path."""

    authors: list[str]
    topic: Annotated[str | None, msgspec.Meta(description="The topic asked for, or null for all topics.")]
    topics: Annotated[
        list[TopicComparison],
        msgspec.Meta(description="One section per topic (in map order) on which any of the authors speaks."),
    ]
    overall: Annotated[
        TopicComparison | None,
        msgspec.Meta(description="The whole map, every topic together; null when a topic was asked for."),
    ] = None


class _MapView:
    """Indexes one map for the author comparison."""

    def __init__(self, doc: MapDocument) -> None:
        self.doc = doc
        self.statements: dict[str, Statement] = {s.id: s for s in doc.statements}
        self.inferences: dict[str, Inference] = {i.id: i for i in doc.inferences}
        self.author_names = {a.id: a.name for a in doc.authors}
        # Position of each element in the document, so that ids sort in map order
        # ("rust-2" before "rust-10") rather than as strings.
        self.position: dict[str, int] = {}
        for n, el in enumerate(
            itertools.chain(
                doc.authors, doc.sources, doc.topics, doc.statements, doc.inferences, doc.conflicts, doc.equivalences
            )
        ):
            self.position.setdefault(el.id, n)
        # x -> statements that argue directly for or against x (x a statement)
        self.arguers: dict[str, list[str]] = {}
        for inf in doc.inferences:
            for p in inf.premises:
                self.arguers.setdefault(inf.conclusion, []).append(p)
        for c in doc.conflicts:
            target = c.target
            if target in self.inferences:
                # An undercut argues against the conclusion the inference supports.
                target = self.inferences[target].conclusion
            self.arguers.setdefault(target, []).append(c.attacker)

    def scope(self, topic: str) -> set[str]:
        """Statements taking a stance on `topic` plus everything arguing towards them."""
        seeds = [s.id for s in self.doc.statements if any(st.topic == topic for st in s.stances)]
        seen = set(seeds)
        stack = list(seeds)
        while stack:  # iterative with a seen-set, so cycles in the map terminate
            for prev in self.arguers.get(stack.pop(), ()):
                if prev not in seen:
                    seen.add(prev)
                    stack.append(prev)
        return seen

    def order(self, ids: Iterable[str]) -> tuple[int, ...]:
        return tuple(self.position.get(i, -1) for i in ids)


def _structural_findings(view: _MapView, authors: Sequence[str]) -> list[Finding]:
    """Every finding carried by the argument graph, over the whole map."""
    doc = view.doc
    rank = {a: n for n, a in enumerate(authors)}
    author_of: dict[str, str] = {s.id: s.author for s in doc.statements if s.author is not None and s.author in rank}
    names = view.author_names
    out: list[Finding] = []

    def who(s: str) -> str:
        return f"{names[author_of[s]]}'s {s}" if s in author_of else s

    def add(kind: FindingKind, x: str, y: str, path: list[str], explanation: str) -> None:
        """Record a finding between statements x and y when their authors are two different
        compared authors; `statements` is put in the order the authors were asked for."""
        ax, ay = author_of.get(x), author_of.get(y)
        if ax is None or ay is None or ax == ay:
            return
        if rank[ax] > rank[ay]:
            ax, ay, x, y = ay, ax, y, x
        out.append(Finding(kind=kind, authors=[ax, ay], statements=[x, y], path=path, explanation=explanation))

    for e in doc.equivalences:
        if e.second_map is None:
            add(
                FindingKind.EQUIVALENT,
                e.first,
                e.second,
                [e.first, e.id, e.second],
                f"{who(e.first)} and {who(e.second)} are marked equivalent.",
            )

    supporters: dict[str, list[tuple[str, Inference]]] = {}
    for inf in doc.inferences:
        c = inf.conclusion
        for p in inf.premises:
            supporters.setdefault(c, []).append((p, inf))
            add(
                FindingKind.SUPPORTS,
                p,
                c,
                [p, inf.id, c],
                f"{who(p)} supports {who(c)} (inference {inf.id}).",
            )
        for p, q in itertools.combinations(inf.premises, 2):
            add(
                FindingKind.LINKED_PREMISES,
                p,
                q,
                [p, inf.id, q],
                f"{who(p)} and {who(q)} jointly support {c} (linked premises of inference {inf.id}).",
            )
    for c, sup in supporters.items():
        for (p, i1), (q, i2) in itertools.combinations(sup, 2):
            if i1.id != i2.id:
                add(
                    FindingKind.COMMON_CONCLUSION,
                    p,
                    q,
                    [p, i1.id, c, i2.id, q],
                    f"{who(p)} and {who(q)} both support {c}.",
                )

    attackers: dict[str, list[Conflict]] = {}
    for k in doc.conflicts:
        attackers.setdefault(k.target, []).append(k)
        a, t = k.attacker, k.target
        target_inf = view.inferences.get(t)
        if target_inf is None:
            add(
                FindingKind.ATTACKS,
                a,
                t,
                [a, k.id, t],
                f"{who(a)} attacks {who(t)} ({k.kind} {k.id}).",
            )
            for p, i in supporters.get(t, ()):
                add(
                    FindingKind.SUPPORTS_ATTACKED,
                    p,
                    a,
                    [p, i.id, t, k.id, a],
                    f"{who(p)} supports {t}, which {who(a)} attacks.",
                )
        else:
            for p in target_inf.premises:
                add(
                    FindingKind.ATTACKS,
                    a,
                    p,
                    [a, k.id, target_inf.id, p],
                    f"{who(a)} undercuts inference {target_inf.id}, which rests on {who(p)}.",
                )
    for t, ks in attackers.items():
        for k1, k2 in itertools.combinations(ks, 2):
            add(
                FindingKind.COMMON_TARGET,
                k1.attacker,
                k2.attacker,
                [k1.attacker, k1.id, t, k2.id, k2.attacker],
                f"{who(k1.attacker)} and {who(k2.attacker)} both attack {t}.",
            )
    return out


def _stance_findings(view: _MapView, authors: Sequence[str], topic: str) -> list[Finding]:
    names = view.author_names
    holders: list[list[tuple[str, StanceValue]]] = [[] for _ in authors]
    rank = {a: n for n, a in enumerate(authors)}
    for s in view.doc.statements:
        if s.author in rank:
            for st in s.stances:
                if st.topic == topic:
                    holders[rank[s.author]].append((s.id, st.stance))
    out: list[Finding] = []
    for i, j in itertools.combinations(range(len(authors)), 2):
        for (x, sx), (y, sy) in itertools.product(holders[i], holders[j]):
            a, b = authors[i], authors[j]
            if sx == sy:
                kind = FindingKind.SAME_STANCE
                text = f"{names[a]} ({x}) and {names[b]} ({y}) both take the {sx} stance on {topic}."
            elif StanceValue.NEUTRAL not in (sx, sy):
                kind = FindingKind.OPPOSITE_STANCE
                text = f"{names[a]} is {sx} on {topic} ({x}) while {names[b]} is {sy} ({y})."
            else:
                continue
            out.append(Finding(kind=kind, authors=[a, b], statements=[x, y], path=[x, topic, y], explanation=text))
    return out


def _section(
    view: _MapView,
    authors: Sequence[str],
    topic: str | None,
    scope: set[str] | None,
    structural: list[Finding],
    stance: list[Finding],
) -> TopicComparison:
    rank = {a: n for n, a in enumerate(authors)}
    found = [f for f in structural if scope is None or (f.statements[0] in scope and f.statements[1] in scope)]
    addressed = {s for f in found for s in f.statements}
    found.extend(stance)
    found.sort(key=lambda f: (_KIND_ORDER[f.kind], rank[f.authors[0]], rank[f.authors[1]], view.order(f.path)))
    positions: list[AuthorPosition] = []
    for a in authors:
        mine = [s for s in view.doc.statements if s.author == a and (scope is None or s.id in scope)]
        holdings: dict[tuple[str, StanceValue], list[str]] = {}
        for s in mine:
            for st in s.stances:
                if topic is None or st.topic == topic:
                    holdings.setdefault((st.topic, st.stance), []).append(s.id)
        stance_order = list(StanceValue)
        stances = [
            StanceHolding(topic=t, stance=v, statements=ids)
            for (t, v), ids in sorted(
                holdings.items(), key=lambda kv: (view.position.get(kv[0][0], -1), stance_order.index(kv[0][1]))
            )
        ]
        positions.append(
            AuthorPosition(
                author=a,
                name=view.author_names[a],
                stances=stances,
                statements=[s.id for s in mine],
                unaddressed=[s.id for s in mine if s.id not in addressed],
            )
        )
    title = None
    if topic is not None:
        title = next(t.title for t in view.doc.topics if t.id == topic)
    return TopicComparison(
        topic=topic,
        title=title,
        positions=positions,
        agreements=[f for f in found if f.kind in AGREEMENT_KINDS],
        clashes=[f for f in found if f.kind in CLASH_KINDS],
    )


def compare_authors(doc: MapDocument, authors: Sequence[str], topic: str | None = None) -> AuthorComparison:
    """Compare what `authors` (at least two distinct ids; repeats are dropped) say in `doc`.

    With `topic`, one section for that topic; without, one section per topic on which any
    of the authors speaks, plus `overall` for the whole map. Raises `UnknownElement` for
    an author or topic id the map does not hold, `ValueError` for fewer than two authors."""
    wanted = list(dict.fromkeys(authors))
    known_authors = {a.id for a in doc.authors}
    for a in wanted:
        if a not in known_authors:
            raise UnknownElement("author", a)
    if len(wanted) < 2:
        raise ValueError("compare at least two distinct authors")
    topic_ids = [t.id for t in doc.topics]
    if topic is not None and topic not in topic_ids:
        raise UnknownElement("topic", topic)

    view = _MapView(doc)
    structural = _structural_findings(view, wanted)
    chosen = set(wanted)
    sections: list[TopicComparison] = []
    all_stances: list[Finding] = []
    for t in [topic] if topic is not None else topic_ids:
        scope = view.scope(t)
        stance = _stance_findings(view, wanted, t)
        all_stances.extend(stance)
        if topic is None and not any(view.statements[s].author in chosen for s in scope):
            continue
        sections.append(_section(view, wanted, t, scope, structural, stance))
    overall = None if topic is not None else _section(view, wanted, None, None, structural, all_stances)
    return AuthorComparison(authors=wanted, topic=topic, topics=sections, overall=overall)


# ---------------------------------------------------------------------------------------
# Comparison of two maps
# ---------------------------------------------------------------------------------------

MatchHow = Literal["confirmed", "equivalence", "suggested"]
RelationType = Literal["support", "attack", "mixed", "none"]
RelationStatus = Literal["same", "opposite", "missing", "extra"]

DEFAULT_THRESHOLD: Final = 0.6
SCORER_NAME: Final = "mean of rapidfuzz token_set_ratio and token_sort_ratio over default_process'ed text"
# Below this many statement pairs every pair is scored; above it pairs are blocked on
# shared rare words (see `_blocked_pairs`). token_set_ratio costs ~2 us a pair here.
BRUTE_FORCE_PAIRS: Final = 250_000
_MIN_BLOCK: Final = 16
_MAX_POSTINGS: Final = 512
_KAPPA_UNIT: Final = (
    "an ordered pair (x, y) of two different matched reference statements, labelled with the relation "
    "from x to y in the reference and from match(x) to match(y) in the candidate"
)


class StatementMatch(msgspec.Struct, kw_only=True, frozen=True):
    """A reference statement aligned one-to-one with a candidate statement."""

    reference: str
    candidate: str
    how: Annotated[
        MatchHow,
        msgspec.Meta(
            description=(
                "confirmed: named by the caller; equivalence: an Equivalence element in either map; "
                "suggested: text similarity at or above the threshold."
            )
        ),
    ]
    score: Annotated[float, msgspec.Meta(ge=0.0, le=1.0, description="Text similarity of the two statements.")]


class RelationMatch(msgspec.Struct, kw_only=True, frozen=True):
    """A relation between two matched statements and how the other map treats it."""

    status: Annotated[
        RelationStatus,
        msgspec.Meta(
            description=(
                "same: same type in both maps; opposite: related in both but with another type; "
                "missing: only in the reference; extra: only in the candidate."
            )
        ),
    ]
    reference: Annotated[list[str], msgspec.Meta(description="[from, to] statement ids in the reference.")]
    candidate: Annotated[list[str], msgspec.Meta(description="[from, to] statement ids in the candidate.")]
    reference_type: RelationType
    candidate_type: RelationType
    reference_via: Annotated[
        list[str], msgspec.Meta(description="Reference inferences and conflicts that carry the relation.")
    ] = []
    candidate_via: Annotated[
        list[str], msgspec.Meta(description="Candidate inferences and conflicts that carry the relation.")
    ] = []


class PrecisionRecall(msgspec.Struct, kw_only=True, frozen=True):
    """The candidate scored against the reference; a ratio is null when its denominator is 0."""

    true_positives: int
    reference_total: int
    candidate_total: int
    precision: float | None
    recall: float | None
    f1: float | None


class RelationAgreement(msgspec.Struct, kw_only=True, frozen=True):
    """Cohen's kappa between the relation types the two maps give to matched statements."""

    unit: Annotated[str, msgspec.Meta(description="What one unit of agreement is.")]
    units: Annotated[int, msgspec.Meta(description="Number of units: m*(m-1) for m matched statements.")]
    observed: float | None
    expected: float | None
    kappa: Annotated[
        float | None, msgspec.Meta(description="(observed - expected) / (1 - expected); null when expected is 1.")
    ]
    confusion: Annotated[
        dict[str, dict[str, int]],
        msgspec.Meta(description="reference type -> candidate type -> number of units."),
    ]


class ComparisonScores(msgspec.Struct, kw_only=True, frozen=True):
    """How well the candidate map reproduces the reference map."""

    statements: PrecisionRecall
    relations: Annotated[
        PrecisionRecall,
        msgspec.Meta(
            description="A unit is a related ordered statement pair; it is a true positive when both "
            "endpoints are matched and the candidate gives it the same type."
        ),
    ]
    relation_agreement: RelationAgreement


class MapComparison(msgspec.Struct, kw_only=True, frozen=True):
    """Result of comparing a candidate map against a reference map.

    Relations are statement-to-statement: each premise of an inference supports its
    conclusion (so linked premises give one edge each); a conflict is an attack from its
    attacker on its target, and an undercut counts as an attack on the conclusion of the
    inference it targets. An ordered pair related both ways is of type `mixed`."""

    reference_map: str | None
    candidate_map: str | None
    threshold: float
    scorer: str
    matches: Annotated[list[StatementMatch], msgspec.Meta(description="In reference map order.")]
    unmatched_reference: list[str]
    unmatched_candidate: list[str]
    relations: Annotated[
        list[RelationMatch],
        msgspec.Meta(description="Relations between matched statements: the reference's first, then extras."),
    ]
    relation_counts: Annotated[
        dict[str, int],
        msgspec.Meta(
            description="Counts of same/opposite/missing/extra, plus relations of each map with an unmatched end."
        ),
    ]
    scores: ComparisonScores
    warnings: list[str] = []


def _map_names(doc: MapDocument) -> set[str]:
    return {n for n in (doc.id, doc.slug) if n}


def _processed(doc: MapDocument) -> list[str]:
    return [default_process(s.text) for s in doc.statements]


def _similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """Similarity of two processed texts in 0..100; 0 when token_set_ratio is below `cutoff`.

    token_set_ratio alone rewards paraphrases that share words but gives 100 to any text
    whose words are a subset of the other's ("Sanctions." vs a long sentence about
    sanctions); averaging with token_sort_ratio keeps that credit but charges the length
    difference."""
    s = fuzz.token_set_ratio(a, b, processor=None, score_cutoff=cutoff)
    if s == 0.0:
        return 0.0
    return (s + fuzz.token_sort_ratio(a, b, processor=None)) / 2


def _blocked_pairs(
    ref: list[str], cand: list[str], ref_free: list[int], cand_free: list[int]
) -> Iterator[tuple[int, int]]:
    """Candidate pairs worth scoring: those sharing one of the rarer words of either side.

    Each statement looks up its words rarest first (document frequency over both maps)
    and collects the other side's statements holding them until it has `_MIN_BLOCK`;
    words held by more than `_MAX_POSTINGS` statements are only used when nothing rarer
    gave a single pair. Paraphrases nearly always share a content word, and this keeps
    the work near-linear instead of scoring n*m pairs."""
    ref_tokens = {i: set(ref[i].split()) for i in ref_free}
    cand_tokens = {j: set(cand[j].split()) for j in cand_free}
    df: dict[str, int] = {}
    post_ref: dict[str, list[int]] = {}
    post_cand: dict[str, list[int]] = {}
    for i, toks in ref_tokens.items():
        for t in toks:
            df[t] = df.get(t, 0) + 1
            post_ref.setdefault(t, []).append(i)
    for j, toks in cand_tokens.items():
        for t in toks:
            df[t] = df.get(t, 0) + 1
            post_cand.setdefault(t, []).append(j)

    def block(toks: set[str], postings: dict[str, list[int]]) -> set[int]:
        got: set[int] = set()
        for t in sorted(toks, key=lambda t: (df[t], t)):
            hits = postings.get(t)
            if not hits:
                continue
            if len(hits) > _MAX_POSTINGS and got:
                break
            got.update(hits)
            if len(got) >= _MIN_BLOCK:
                break
        return got

    seen: set[tuple[int, int]] = set()
    for i, toks in ref_tokens.items():
        for j in block(toks, post_cand):
            seen.add((i, j))
    for j, toks in cand_tokens.items():
        for i in block(toks, post_ref):
            seen.add((i, j))
    return iter(seen)


def _relations(doc: MapDocument) -> dict[tuple[str, str], tuple[RelationType, list[str]]]:
    """Ordered statement pair -> (type, ids of the inferences/conflicts carrying it)."""
    kinds: dict[tuple[str, str], set[str]] = {}
    via: dict[tuple[str, str], list[str]] = {}
    conclusion = {i.id: i.conclusion for i in doc.inferences}
    for inf in doc.inferences:
        for p in inf.premises:
            kinds.setdefault((p, inf.conclusion), set()).add("support")
            via.setdefault((p, inf.conclusion), []).append(inf.id)
    for c in doc.conflicts:
        target = conclusion.get(c.target, c.target)
        kinds.setdefault((c.attacker, target), set()).add("attack")
        via.setdefault((c.attacker, target), []).append(c.id)
    out: dict[tuple[str, str], tuple[RelationType, list[str]]] = {}
    for pair, ks in kinds.items():
        t: RelationType = "mixed" if len(ks) > 1 else ("support" if "support" in ks else "attack")
        out[pair] = (t, via[pair])
    return out


def _prf(tp: int, ref_total: int, cand_total: int) -> PrecisionRecall:
    p = tp / cand_total if cand_total else None
    r = tp / ref_total if ref_total else None
    f1 = None
    if p is not None and r is not None:
        f1 = 2 * p * r / (p + r) if p + r else 0.0
    return PrecisionRecall(
        true_positives=tp, reference_total=ref_total, candidate_total=cand_total, precision=p, recall=r, f1=f1
    )


def cohen_kappa(confusion: dict[str, dict[str, int]]) -> tuple[float | None, float | None, float | None]:
    """(observed, expected, kappa) of a square confusion matrix given as nested dicts."""
    labels = sorted(set(confusion) | {c for row in confusion.values() for c in row})
    n = sum(v for row in confusion.values() for v in row.values())
    if n == 0:
        return None, None, None
    observed = sum(confusion.get(k, {}).get(k, 0) for k in labels) / n
    expected = 0.0
    for k in labels:
        row = sum(confusion.get(k, {}).values())
        col = sum(r.get(k, 0) for r in confusion.values())
        expected += (row / n) * (col / n)
    if expected >= 1.0:
        return observed, expected, None
    return observed, expected, (observed - expected) / (1.0 - expected)


def compare_maps(
    reference: MapDocument,
    candidate: MapDocument,
    *,
    confirmed: Iterable[tuple[str, str]] = (),
    rejected: Iterable[tuple[str, str]] = (),
    threshold: float = DEFAULT_THRESHOLD,
) -> MapComparison:
    """Score `candidate` against `reference`.

    Alignment, one-to-one, in this order of precedence: `confirmed` (reference id,
    candidate id) pairs; Equivalence elements of the reference whose `second_map` names
    the candidate (by id or slug), then those of the candidate naming the reference;
    then text-similarity suggestions with score >= `threshold` (0..1), never a pair in
    `rejected`, assigned greedily from the highest score down (ties in reference, then
    candidate order). Greedy is not an optimal assignment, but it is predictable and each
    suggestion's score can be read on its own. An explicit pair that would reuse an
    already matched statement is skipped with a warning.

    Raises `UnknownElement("statement", id)` for a confirmed pair naming a statement that
    does not exist; rejected pairs naming unknown statements are ignored (they may be
    stale). Raises `ValueError` for a threshold outside (0, 1] or a pair both confirmed
    and rejected."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    ref_ids = [s.id for s in reference.statements]
    cand_ids = [s.id for s in candidate.statements]
    ref_pos = {s: n for n, s in enumerate(ref_ids)}
    cand_pos = {s: n for n, s in enumerate(cand_ids)}
    confirmed = list(confirmed)
    rejected_set = set(rejected)
    for r, c in confirmed:
        if r not in ref_pos:
            raise UnknownElement("statement", r)
        if c not in cand_pos:
            raise UnknownElement("statement", c)
        if (r, c) in rejected_set:
            raise ValueError(f"pair ({r}, {c}) is both confirmed and rejected")

    ref_text = _processed(reference)
    cand_text = _processed(candidate)
    warnings: list[str] = []
    r2c: dict[int, int] = {}
    c2r: dict[int, int] = {}
    how: dict[int, MatchHow] = {}
    score: dict[int, float] = {}

    explicit: list[tuple[str, str, MatchHow]] = [(r, c, "confirmed") for r, c in confirmed]
    cand_names, ref_names = _map_names(candidate), _map_names(reference)
    explicit += [
        (e.first, e.second, "equivalence")
        for e in reference.equivalences
        if e.second_map is not None and e.second_map in cand_names
    ]
    explicit += [
        (e.second, e.first, "equivalence")
        for e in candidate.equivalences
        if e.second_map is not None and e.second_map in ref_names
    ]
    for r, c, kind in explicit:
        if r not in ref_pos or c not in cand_pos:
            warnings.append(f"equivalence ({r}, {c}) names a statement missing from its map; ignored")
            continue
        i, j = ref_pos[r], cand_pos[c]
        if r2c.get(i) == j:
            continue
        if i in r2c or j in c2r:
            warnings.append(f"{kind} pair ({r}, {c}) conflicts with an earlier match; ignored")
            continue
        r2c[i], c2r[j], how[i] = j, i, kind
        score[i] = _similarity(ref_text[i], cand_text[j]) / 100

    ref_free = [i for i in range(len(ref_ids)) if i not in r2c]
    cand_free = [j for j in range(len(cand_ids)) if j not in c2r]
    cutoff = threshold * 100
    if len(ref_free) * len(cand_free) <= BRUTE_FORCE_PAIRS:
        pairs: Iterable[tuple[int, int]] = itertools.product(ref_free, cand_free)
    else:
        pairs = _blocked_pairs(ref_text, cand_text, ref_free, cand_free)
    scored: list[tuple[float, int, int]] = []
    for i, j in pairs:
        s = _similarity(ref_text[i], cand_text[j], cutoff)
        if s >= cutoff and (ref_ids[i], cand_ids[j]) not in rejected_set:
            scored.append((-s, i, j))
    scored.sort()
    for neg, i, j in scored:
        if i not in r2c and j not in c2r:
            r2c[i], c2r[j], how[i], score[i] = j, i, "suggested", -neg / 100

    matches = [
        StatementMatch(reference=ref_ids[i], candidate=cand_ids[r2c[i]], how=how[i], score=round(score[i], 4))
        for i in sorted(r2c)
    ]
    ref_to_cand = {ref_ids[i]: cand_ids[j] for i, j in r2c.items()}
    cand_to_ref = {c: r for r, c in ref_to_cand.items()}

    relations, counts, confusion, tp = _relation_agreement(reference, candidate, ref_to_cand, cand_to_ref)
    ref_rel_total = counts.pop("_ref_total")
    cand_rel_total = counts.pop("_cand_total")
    m = len(matches)
    units = m * (m - 1)
    related_units = sum(v for row in confusion.values() for v in row.values())
    confusion.setdefault("none", {})["none"] = units - related_units
    observed, expected, kappa = cohen_kappa(confusion)
    scores = ComparisonScores(
        statements=_prf(m, len(ref_ids), len(cand_ids)),
        relations=_prf(tp, ref_rel_total, cand_rel_total),
        relation_agreement=RelationAgreement(
            unit=_KAPPA_UNIT, units=units, observed=observed, expected=expected, kappa=kappa, confusion=confusion
        ),
    )
    return MapComparison(
        reference_map=reference.id or reference.slug,
        candidate_map=candidate.id or candidate.slug,
        threshold=threshold,
        scorer=SCORER_NAME,
        matches=matches,
        unmatched_reference=[ref_ids[i] for i in range(len(ref_ids)) if i not in r2c],
        unmatched_candidate=[cand_ids[j] for j in range(len(cand_ids)) if j not in c2r],
        relations=relations,
        relation_counts=counts,
        scores=scores,
        warnings=warnings,
    )


def _relation_agreement(
    reference: MapDocument,
    candidate: MapDocument,
    ref_to_cand: dict[str, str],
    cand_to_ref: dict[str, str],
) -> tuple[list[RelationMatch], dict[str, int], dict[str, dict[str, int]], int]:
    ref_rel = _relations(reference)
    cand_rel = _relations(candidate)
    counts = dict.fromkeys(("same", "opposite", "missing", "extra", "unaligned_reference", "unaligned_candidate"), 0)
    confusion: dict[str, dict[str, int]] = {
        a: dict.fromkeys(("support", "attack", "none"), 0) for a in ("support", "attack", "none")
    }
    out: list[RelationMatch] = []
    tp = 0
    for (x, y), (rtype, rvia) in ref_rel.items():
        x2, y2 = ref_to_cand.get(x), ref_to_cand.get(y)
        if x2 is None or y2 is None:
            counts["unaligned_reference"] += 1
            continue
        got = cand_rel.get((x2, y2))
        ctype: RelationType = "none" if got is None else got[0]
        status: RelationStatus = "missing" if got is None else ("same" if ctype == rtype else "opposite")
        counts[status] += 1
        tp += status == "same"
        row = confusion.setdefault(rtype, {})
        row[ctype] = row.get(ctype, 0) + 1
        out.append(
            RelationMatch(
                status=status,
                reference=[x, y],
                candidate=[x2, y2],
                reference_type=rtype,
                candidate_type=ctype,
                reference_via=rvia,
                candidate_via=[] if got is None else got[1],
            )
        )
    for (x2, y2), (ctype, cvia) in cand_rel.items():
        rx, ry = cand_to_ref.get(x2), cand_to_ref.get(y2)
        if rx is None or ry is None:
            counts["unaligned_candidate"] += 1
            continue
        if (rx, ry) in ref_rel:
            continue
        counts["extra"] += 1
        row = confusion["none"]
        row[ctype] = row.get(ctype, 0) + 1
        out.append(
            RelationMatch(
                status="extra",
                reference=[rx, ry],
                candidate=[x2, y2],
                reference_type="none",
                candidate_type=ctype,
                candidate_via=cvia,
            )
        )
    counts["_ref_total"] = len(ref_rel)
    counts["_cand_total"] = len(cand_rel)
    return out, counts, confusion, tp


def json_schema() -> dict[str, Any]:
    """JSON Schema of both comparison results, as shared `$defs`."""
    (author_schema, map_schema), defs = msgspec.json.schema_components([AuthorComparison, MapComparison])
    return {
        "$defs": defs,
        "oneOf": [author_schema, map_schema],
    }
