"""The column helpers the exporters build text with agree with per-item references.

Each helper works on whole columns at once (joined, escaped, split); the reference is
the same job done one item at a time with the standard library or msgspec."""

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.formats._util import Forbidden, chunks, flat_texts, free_of, json_plain, json_texts, rows_into

_TRICKY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list('ab "\',\\<>&\n\r\t\x00\x01\x1f\x7f\ufffe\u2028é')),
        st.characters(codec="utf-8"),
    ),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TRICKY, max_size=6))
def test_json_texts_decode_back_to_the_texts(texts: list[str]) -> None:
    inside = json_texts(texts)
    assert [msgspec.json.decode(f'"{s}"'.encode()) for s in inside] == texts
    assert inside == [msgspec.json.encode(t).decode()[1:-1] for t in texts]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=3).flatmap(
    lambda w: st.tuples(
        st.lists(st.text(max_size=3), min_size=w + 1, max_size=w + 1),
        st.integers(min_value=0, max_value=5).flatmap(
            lambda n: st.lists(st.lists(st.text(max_size=3), min_size=n, max_size=n), min_size=w, max_size=w)
        ),
    )
))
def test_rows_into_matches_a_loop(case: tuple[list[str], list[list[str]]]) -> None:
    template, columns = case
    parts = ["head"]
    rows_into(parts, template, *columns)
    expected = "head" + "".join(
        template[0] + "".join(col[k] + template[j + 1] for j, col in enumerate(columns))
        for k in range(len(columns[0]))
    )
    assert "".join(parts) == expected


def test_rows_into_refuses_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="one more piece"):
        rows_into([], ["a", "b"], ["x"], ["y"])
    with pytest.raises(ValueError, match="differ in length"):
        rows_into([], ["a", "b", "c"], ["x"], ["y", "z"])


_FORBIDDEN = Forbidden('"<&', '["<&\u2028]')


@settings(max_examples=300, deadline=None)
@given(st.lists(_TRICKY, max_size=4))
def test_free_of_is_exact(strings: list[str]) -> None:
    expected = not any(ch in s for s in strings for ch in '"<&\u2028\x00')
    assert free_of(strings, _FORBIDDEN) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(_TRICKY, max_size=5), st.sampled_from(["", "#", "#<"]))
def test_flat_texts_is_sound_and_usually_exact(texts: list[str], specials: str) -> None:
    exact = all(" ".join(t.split()) == t and not any(ch in t for ch in specials + "\n") for t in texts)
    if flat_texts(texts, specials):
        assert exact
    elif all(texts):
        assert not exact  # only an empty text may give a cautious False


@given(st.integers(min_value=0, max_value=20_000), st.integers(min_value=1, max_value=5_000))
def test_chunks_cover_the_range_in_order(count: int, size: int) -> None:
    parts = chunks(count, size)
    assert [k for part in parts for k in range(count)[part]] == list(range(count))
    assert all(1 <= len(range(count)[part]) <= size for part in parts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_TRICKY, max_size=4), min_size=1, max_size=3))
def test_json_plain_is_exact(columns: list[list[str]]) -> None:
    expected = all(msgspec.json.encode(s) == f'"{s}"'.encode() for column in columns for s in column)
    assert json_plain(*columns) == expected
