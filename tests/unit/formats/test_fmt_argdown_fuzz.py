"""Argdown-shaped random input: the importer either builds a valid map or raises
FormatError pointing at a line; nothing else may escape (through the API, that would be
a 500). Titles come from a tiny pool so that references, repeats and cycles are common."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain.formats import argdown
from service.domain.formats.base import FormatError
from service.domain.validation import validate

title = st.sampled_from(["A", "B", "C", "P", "Q"])
ref = st.builds(lambda kind, t: f"[{t}]" if kind else f"<{t}>", st.booleans(), title)
relation = st.sampled_from(["+", "-", "_", "><", "<+", "<-", "+>", "->", "_>", "<_"])
text = st.sampled_from(["", ": some text", ": text #tag", ": by Ann {author: Ann}", ": a\\] b"])

relation_line = st.builds(lambda i, r, x: f"{i}{r} {x}", st.sampled_from(["  ", "    ", "      ", ""]), relation, ref)
statement_block = st.builds(
    lambda head, t, rels: "\n".join([head + t, *rels]), ref, text, st.lists(relation_line, max_size=4)
)
pcs_line = st.builds(lambda n, t: f"({n}) [{t}]", st.integers(1, 5), title)
argument_block = st.builds(
    lambda t, x, premises, rule, concl, rels: "\n".join(
        [f"<{t}>{x}", "", *premises, rule, concl, *rels]
    ),
    title,
    text,
    st.lists(pcs_line, min_size=0, max_size=3),
    st.sampled_from(["----", "-- a rule --", "--\nrule: x\n--", ""]),
    pcs_line,
    st.lists(relation_line, max_size=3),
)
misc = st.sampled_from(["// a comment", "<!-- note -->", "# Heading", "===", "#tag", "[A]: text\n\n  + <B>"])
document = st.lists(st.one_of(statement_block, argument_block, misc), min_size=1, max_size=6)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document)
def test_argdown_shaped_input_never_crashes(blocks: list[str]) -> None:
    data = "\n\n".join(blocks).encode()
    try:
        doc = argdown.import_(data).document
    except FormatError as e:
        assert e.message
        return
    assert validate(doc) == []
