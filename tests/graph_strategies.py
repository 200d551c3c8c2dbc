"""Hypothesis strategies for random *valid* argument maps (`from graph_strategies import maps`)."""

from hypothesis import strategies as st

from service.domain.graph import (
    Author,
    Conflict,
    ConflictKind,
    Equivalence,
    Inference,
    MapDocument,
    Statement,
    StatementKind,
)

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éü", min_size=1, max_size=8)
texts = st.lists(_WORD, min_size=1, max_size=8).map(lambda ws: " ".join(ws) + ".")
names = st.lists(_WORD, min_size=1, max_size=2).map(" ".join)


@st.composite
def maps(draw: st.DrawFn, max_statements: int = 12) -> MapDocument:
    n = draw(st.integers(min_value=1, max_value=max_statements))
    n_auth = draw(st.integers(min_value=0, max_value=3))
    authors = [Author(id=f"a{k}", name=draw(names)) for k in range(n_auth)]
    statements = [
        Statement(
            id=f"s{k}",
            text=draw(texts),
            kind=draw(st.sampled_from(list(StatementKind))),
            author=draw(st.sampled_from([None, *[a.id for a in authors]])),
        )
        for k in range(n)
    ]
    sids = [s.id for s in statements]
    inferences: list[Inference] = []
    if n >= 2:
        for k in range(draw(st.integers(min_value=0, max_value=n))):
            concl = draw(st.sampled_from(sids))
            others = [x for x in sids if x != concl]
            premises = draw(st.lists(st.sampled_from(others), min_size=1, max_size=3, unique=True))
            scheme = draw(st.sampled_from([None, "Expert Opinion", "Analogy"]))
            inferences.append(Inference(id=f"i{k}", premises=premises, conclusion=concl, scheme=scheme))
    conflicts: list[Conflict] = []
    if n >= 2:
        for k in range(draw(st.integers(min_value=0, max_value=n))):
            attacker = draw(st.sampled_from(sids))
            if inferences and draw(st.booleans()):
                target = draw(st.sampled_from([i.id for i in inferences]))
                kind = ConflictKind.UNDERCUT
            else:
                target = draw(st.sampled_from([x for x in sids if x != attacker]))
                kind = draw(st.sampled_from([ConflictKind.REBUT, ConflictKind.UNDERMINE]))
            conflicts.append(Conflict(id=f"c{k}", attacker=attacker, target=target, kind=kind))
    equivalences: list[Equivalence] = []
    if n >= 2:
        for k in range(draw(st.integers(min_value=0, max_value=2))):
            a, b = draw(st.lists(st.sampled_from(sids), min_size=2, max_size=2, unique=True))
            equivalences.append(Equivalence(id=f"e{k}", first=a, second=b))
    return MapDocument(
        title=draw(texts),
        authors=authors,
        statements=statements,
        inferences=inferences,
        conflicts=conflicts,
        equivalences=equivalences,
    )
