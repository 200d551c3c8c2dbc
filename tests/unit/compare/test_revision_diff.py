"""Revision diff: hand-checked cases and hypothesis properties."""

from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.diff import FieldChange, diff
from service.domain.formats import native
from service.domain.graph import Inference, Locator, MapDocument, Source, Statement


def base() -> MapDocument:
    return MapDocument(
        title="Wages",
        sources=[Source(id="src", title="A book")],
        statements=[
            Statement(id="s1", text="Raise the wage", locator=Locator(source="src", page=3)),
            Statement(id="s2", text="Spending grows"),
            Statement(id="s3", text="Firms suffer"),
        ],
        inferences=[Inference(id="i1", premises=["s2"], conclusion="s1")],
    )


def test_identical_documents_have_an_empty_diff() -> None:
    d = diff(base(), base())
    assert d.is_empty()
    assert d.summary().added == d.summary().removed == d.summary().changed == 0
    assert d.summary().collections == {}


def test_field_changes_use_dotted_paths_for_nested_structs() -> None:
    after = msgspec.structs.replace(
        base(),
        statements=[
            Statement(id="s1", text="Raise the minimum wage", locator=Locator(source="src", page=4)),
            Statement(id="s2", text="Spending grows"),
            Statement(id="s3", text="Firms suffer"),
        ],
    )
    d = diff(base(), after)
    assert [c.id for c in d.statements.changed] == ["s1"]
    assert d.statements.changed[0].changes == [
        FieldChange(field="text", before="Raise the wage", after="Raise the minimum wage"),
        FieldChange(field="locator.page", before=3, after=4),
    ]
    assert d.statements.added == [] and d.statements.removed == []
    assert not d.statements.reordered


def test_a_nested_struct_appearing_is_one_change_holding_its_json() -> None:
    before = base()
    located = Statement(id="s3", text="Firms suffer", locator=Locator(source="src"))
    after = msgspec.structs.replace(before, statements=[*before.statements[:2], located])
    change = diff(before, after).statements.changed[0]
    assert change.id == "s3"
    assert change.changes == [FieldChange(field="locator", before=None, after={"source": "src"})]


def test_added_removed_metadata_and_lists_and_summary() -> None:
    before = base()
    after = msgspec.structs.replace(
        before,
        title="Minimum wages",
        description="new",
        statements=[before.statements[0], before.statements[1], Statement(id="s4", text="Prices rise")],
        inferences=[Inference(id="i1", premises=["s2", "s4"], conclusion="s1")],
    )
    d = diff(before, after)
    assert d.metadata == [
        FieldChange(field="title", before="Wages", after="Minimum wages"),
        FieldChange(field="description", before="", after="new"),
    ]
    assert [s.id for s in d.statements.added] == ["s4"]
    assert [s.id for s in d.statements.removed] == ["s3"]
    assert d.inferences.changed[0].changes == [FieldChange(field="premises", before=["s2"], after=["s2", "s4"])]
    summary = d.summary()
    assert (summary.added, summary.removed, summary.changed, summary.metadata) == (1, 1, 1, 2)
    assert set(summary.collections) == {"statements", "inferences"}
    # The result is plain JSON for the API.
    encoded = msgspec.json.decode(msgspec.json.encode(d))
    assert encoded["statements"]["added"] == [{"id": "s4", "text": "Prices rise"}]


def test_reordering_alone_is_flagged_but_not_a_change() -> None:
    before = base()
    after = msgspec.structs.replace(before, statements=list(reversed(before.statements)))
    d = diff(before, after)
    assert d.is_empty()
    assert d.statements.reordered


def test_revision_numbers_are_reported_not_diffed() -> None:
    before = msgspec.structs.replace(base(), revision=4, id="m1")
    after = msgspec.structs.replace(base(), revision=5, id="m1")
    d = diff(before, after)
    assert d.is_empty()
    assert (d.before_revision, d.after_revision) == (4, 5)


# --- properties -------------------------------------------------------------------------

texts = st.text(alphabet="abcdefgh ", min_size=1, max_size=12).filter(lambda t: t.strip() != "")


@st.composite
def documents(draw: Any) -> MapDocument:
    n = draw(st.integers(min_value=1, max_value=8))
    statements = [
        Statement(
            id=f"s{k}",
            text=draw(texts),
            locator=draw(st.one_of(st.none(), st.builds(lambda p: Locator(source="src", page=p), st.integers(1, 9)))),
        )
        for k in range(n)
    ]
    return MapDocument(title=draw(texts), sources=[Source(id="src", title="S")], statements=statements)


@settings(max_examples=60, deadline=None)
@given(documents())
def test_a_document_against_its_reencoded_self_is_empty(doc: MapDocument) -> None:
    copy = native.decode(native.encode(doc))
    assert diff(doc, copy).is_empty()


@settings(max_examples=100, deadline=None)
@given(documents(), st.data())
def test_a_random_single_edit_is_exactly_what_the_diff_finds(doc: MapDocument, data: Any) -> None:
    k = data.draw(st.integers(0, len(doc.statements) - 1))
    target = doc.statements[k]
    edit = data.draw(st.sampled_from(["text", "page", "remove", "add", "title"]))
    statements = list(doc.statements)
    if edit == "text":
        new_text = target.text + "x"
        statements[k] = msgspec.structs.replace(target, text=new_text)
        after = msgspec.structs.replace(doc, statements=statements)
        d = diff(doc, after)
        assert [c.id for c in d.statements.changed] == [target.id]
        assert d.statements.changed[0].changes == [FieldChange(field="text", before=target.text, after=new_text)]
    elif edit == "page":
        old_page = target.locator.page if target.locator else None
        new_page = (old_page or 0) + 1
        statements[k] = msgspec.structs.replace(target, locator=Locator(source="src", page=new_page))
        after = msgspec.structs.replace(doc, statements=statements)
        d = diff(doc, after)
        expected = (
            FieldChange(field="locator.page", before=old_page, after=new_page)
            if target.locator is not None
            else FieldChange(field="locator", before=None, after={"source": "src", "page": new_page})
        )
        assert d.statements.changed[0].changes == [expected]
    elif edit == "remove":
        del statements[k]
        d = diff(doc, msgspec.structs.replace(doc, statements=statements))
        assert d.statements.removed == [target]
        assert d.statements.changed == [] and d.statements.added == []
    elif edit == "add":
        new = Statement(id="fresh", text="brand new")
        statements.insert(k, new)
        d = diff(doc, msgspec.structs.replace(doc, statements=statements))
        assert d.statements.added == [new]
        assert d.statements.changed == [] and d.statements.removed == []
        assert not d.statements.reordered
    else:
        d = diff(doc, msgspec.structs.replace(doc, title=doc.title + "!"))
        assert d.metadata == [FieldChange(field="title", before=doc.title, after=doc.title + "!")]
        assert d.statements.is_empty()
    summary = d.summary()
    assert summary.added + summary.removed + summary.changed + summary.metadata == 1
