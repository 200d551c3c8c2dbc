"""Generated maps for the benchmarks: realistic shape, every table used.

Relations are ~77% supports, 20% attacks and 3% undercuts (the mix the issues name);
every statement has an author and a locator, some take a stance on a topic, and one
inference in ten has two linked premises.
"""

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from service.domain.graph import (  # noqa: E402
    Author,
    Conflict,
    ConflictKind,
    Inference,
    Locator,
    MapDocument,
    Source,
    Stance,
    StanceValue,
    Statement,
    StatementKind,
    Topic,
)

WORDS = ["sanctions", "election", "protest", "regime", "economy", "transition", "dialogue", "pressure", "Moscow", "Brussels", "unity", "strategy", "society", "reform", "elite", "observers", "lawful", "rights", "investment", "timing"]


def generate(n: int, *, relations_per_statement: float = 1.0, seed: int = 7, title: str = "Benchmark map") -> MapDocument:
    rnd = random.Random(seed)
    authors = [Author(id=f"a{k}", name=f"Author {k}") for k in range(8)]
    topics = [Topic(id=f"t{k}", title=f"Question {k}?") for k in range(6)]
    source = Source(id="src", title="A generated source", creators=["Generator"], year=2026)
    kinds = list(StatementKind)
    statements = []
    for k in range(n):
        words = " ".join(rnd.choice(WORDS) for _ in range(12))
        stances = [Stance(topic=f"t{k % 6}", stance=rnd.choice(list(StanceValue)))] if k % 5 == 0 else []
        statements.append(
            Statement(
                id=f"s{k}",
                text=f"Statement {k}: {words}.",
                kind=kinds[k % 4],
                author=f"a{k % 8}",
                locator=Locator(source="src", page=1 + k // 40, paragraph=1 + k % 40),
                stances=stances,
            )
        )
    inferences: list[Inference] = []
    conflicts: list[Conflict] = []
    relations = int(n * relations_per_statement)
    for r in range(relations):
        k = 1 + r % (n - 1)
        parent = f"s{rnd.randrange(k)}"
        roll = rnd.random()
        if roll < 0.77 or not inferences:
            premises = [f"s{k}"]
            if r % 10 == 0 and k + 1 < n and f"s{k + 1}" != parent:
                premises.append(f"s{k + 1}")
            inferences.append(Inference(id=f"i{r}", premises=premises, conclusion=parent, author=f"a{k % 8}"))
        elif roll < 0.97:
            conflicts.append(Conflict(id=f"c{r}", attacker=f"s{k}", target=parent, author=f"a{k % 8}"))
        else:
            target = inferences[rnd.randrange(len(inferences))]
            if f"s{k}" in target.premises:
                continue
            conflicts.append(Conflict(id=f"c{r}", attacker=f"s{k}", target=target.id, kind=ConflictKind.UNDERCUT))
    return MapDocument(
        title=title,
        authors=authors,
        sources=[source],
        topics=topics,
        statements=statements,
        inferences=inferences,
        conflicts=conflicts,
    )
