"""Comparison and history over HTTP, through the real app on SQLite and PostgreSQL:
revision diffs, author comparison, map-against-map scores, confirmed alignments, and the
two comparison pages."""

import json
from fractions import Fraction
from typing import Any

import msgspec
import pytest
from support import ROOT, Actors, problem, small_map

from service.domain.diff import diff
from service.domain.formats import native
from service.domain.graph import MapDocument

BELARUS = ROOT / "argument_maps" / "belarus-2020" / "belarus-2020-debate.argmap.json"


async def create(client: Any, actors: Actors, doc: dict[str, Any], token: str | None = None) -> str:
    r = await client.post("/maps", json=doc, headers=actors.h(token or actors.teacher))
    assert r.status_code == 201, r.text
    map_id: str = r.json()["id"]
    return map_id


def edited_copy() -> dict[str, Any]:
    """small_map() with other ids, bob's undercut gone, r1's attack turned into support, and
    one new statement (attacking the claim) that has no counterpart in the original."""
    doc = small_map(title="School uniforms, student version")
    rename = {s["id"]: "x" + s["id"] for s in doc["statements"]}
    doc["statements"] = [dict(s, id=rename[s["id"]]) for s in doc["statements"] if s["id"] != "u1"]
    doc["statements"][3]["kind"] = "premise"
    doc["statements"].append({"id": "xn", "text": "Teachers should wear name badges at all times.", "author": "bob"})
    doc["inferences"] = [
        {"id": "xi1", "premises": ["xp1", "xp2"], "conclusion": "xc1"},
        {"id": "xi2", "premises": ["xr1"], "conclusion": "xc1"},
    ]
    doc["conflicts"] = [{"id": "xk", "attacker": "xn", "target": "xc1"}]
    return doc


# ---- revision diff -------------------------------------------------------------------


async def test_diff_reports_exactly_the_edits_field_by_field(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    mid = await create(client, actors, small_map())
    url = f"/maps/{mid}"
    c1 = {"text": "Uniforms should be compulsory.", "locator": {"source": "src", "page": 3, "paragraph": 1}}
    s9 = {"id": "s9", "text": "Uniforms cost families money.", "author": "bob"}
    edits = [
        client.patch(f"{url}/statements/c1", json=c1, headers=h),
        client.post(f"{url}/statements", json=s9, headers=h),
        client.delete(f"{url}/statements/u1", params={"cascade": "true"}, headers=h),
        client.patch(url, json={"title": "Uniforms at school"}, headers=h),
    ]
    for edit in edits:
        r = await edit
        assert r.status_code in (200, 201), r.text

    r = await client.get(f"{url}/diff", params={"from": 1, "to": 5}, headers=h)
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["before_revision"], d["after_revision"]) == (1, 5)
    assert d["metadata"] == [{"field": "title", "before": "School uniforms", "after": "Uniforms at school"}]
    st = d["statements"]
    assert [s["id"] for s in st["added"]] == ["s9"] and st["added"][0]["text"] == "Uniforms cost families money."
    assert [s["id"] for s in st["removed"]] == ["u1"]
    assert st["changed"] == [
        {
            "id": "c1",
            "changes": [
                {
                    "field": "text",
                    "before": "Schools should require uniforms.",
                    "after": "Uniforms should be compulsory.",
                },
                {"field": "locator.page", "before": 2, "after": 3},
            ],
        }
    ]
    # The cascade took bob's undercut with it; nothing else differs.
    assert [c["id"] for c in d["conflicts"]["removed"]] == ["k2"]
    assert d["conflicts"]["added"] == [] and d["conflicts"]["changed"] == []
    for name in ("authors", "sources", "topics", "inferences", "equivalences"):
        assert d[name] == {"added": [], "removed": [], "changed": [], "reordered": False}, name

    # Defaults: the latest revision against the one before it, i.e. the title edit alone.
    latest = (await client.get(f"{url}/diff", headers=h)).json()
    assert (latest["before_revision"], latest["after_revision"]) == (4, 5)
    assert [c["field"] for c in latest["metadata"]] == ["title"]
    assert latest["statements"] == {"added": [], "removed": [], "changed": [], "reordered": False}
    only_to = (await client.get(f"{url}/diff", params={"to": 3}, headers=h)).json()
    assert (only_to["before_revision"], only_to["after_revision"]) == (2, 3)
    assert [s["id"] for s in only_to["statements"]["added"]] == ["s9"]
    same = (await client.get(f"{url}/diff", params={"from": 3, "to": 3}, headers=h)).json()
    assert same["metadata"] == [] and same["statements"]["changed"] == []


async def test_diff_agrees_with_the_revisions_as_read_across_a_restore(client: Any, actors: Actors) -> None:
    """The diff rebuilds revisions from history itself; whatever pair is asked for, it must
    match the diff of the two documents GET /maps/{id}?revision=N returns, also when a
    restore (a full snapshot) lies between them."""
    h = actors.h(actors.teacher)
    mid = await create(client, actors, small_map())
    url = f"/maps/{mid}"
    steps = [
        client.patch(f"{url}/statements/c1", json={"text": "Uniforms should be compulsory."}, headers=h),
        client.post(f"{url}/statements", json={"id": "s9", "text": "Uniforms cost money."}, headers=h),
        client.patch(url, json={"title": "Uniforms at school"}, headers=h),
        client.post(f"{url}/revisions/1/restore", headers=h),
        client.patch(f"{url}/statements/p1", json={"text": "Uniforms hide income differences."}, headers=h),
        client.post(f"{url}/statements", json={"id": "s10", "text": "Uniforms save time."}, headers=h),
    ]
    for step in steps:
        r = await step
        assert r.status_code in (200, 201), r.text
    last = len(steps) + 1
    docs = {}
    for n in range(1, last + 1):
        r = await client.get(url, params={"revision": n}, headers=h)
        assert r.status_code == 200, r.text
        docs[n] = native.decode(r.content)
    docs[0] = MapDocument(id=mid, revision=0, title="")
    for a in range(0, last + 1):
        for b in range(max(a, 1), last + 1):
            r = await client.get(f"{url}/diff", params={"from": a, "to": b}, headers=h)
            assert r.status_code == 200, (a, b, r.text)
            assert r.json() == msgspec.to_builtins(diff(docs[a], docs[b])), (a, b)
    # One pair by hand: the restore took c1 back and s9 away; p1 and s10 came after it.
    d = (await client.get(f"{url}/diff", params={"from": 3, "to": last}, headers=h)).json()
    assert [c["id"] for c in d["statements"]["changed"]] == ["c1", "p1"]
    assert [s["id"] for s in d["statements"]["removed"]] == ["s9"]
    assert [s["id"] for s in d["statements"]["added"]] == ["s10"]


async def test_diff_from_zero_lists_the_whole_first_revision_as_added(client: Any, actors: Actors) -> None:
    mid = await create(client, actors, small_map())
    d = (await client.get(f"/maps/{mid}/diff", headers=actors.h(actors.teacher))).json()
    assert (d["before_revision"], d["after_revision"]) == (0, 1)
    assert [s["id"] for s in d["statements"]["added"]] == ["c1", "p1", "p2", "r1", "u1"]
    assert [c["id"] for c in d["conflicts"]["added"]] == ["k1", "k2"]


async def test_diff_refuses_wrong_order_and_unknown_revisions(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    mid = await create(client, actors, small_map())
    await client.patch(f"/maps/{mid}", json={"title": "Second"}, headers=h)
    body = problem(await client.get(f"/maps/{mid}/diff", params={"from": 2, "to": 1}, headers=h), 400)
    assert "from (2)" in body["detail"] and "to (1)" in body["detail"]
    body = problem(await client.get(f"/maps/{mid}/diff", params={"from": 1, "to": 9}, headers=h), 404)
    assert "revision 9 (to)" in body["detail"]
    body = problem(await client.get(f"/maps/{mid}/diff", params={"from": 7}, headers=h), 404)
    assert "revision 7 (from)" in body["detail"]
    problem(await client.get(f"/maps/{mid}/diff", params={"from": -1}, headers=h), 400)
    problem(await client.get(f"/maps/{mid}/diff", headers=actors.h(actors.other)), 404)


# ---- authors -------------------------------------------------------------------------


async def test_author_comparison_on_the_small_map(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    mid = await create(client, actors, small_map())
    r = await client.get(
        f"/maps/{mid}/compare/authors",
        params=[("authors", "ann"), ("authors", "bob"), ("topic", "uniforms")],
        headers=h,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["authors"] == ["ann", "bob"] and body["topic"] == "uniforms" and body["overall"] is None
    [sec] = body["topics"]
    assert sec["title"] == "Should uniforms be required?"
    # Worked out by hand from small_map(): bob's r1 rebuts ann's c1, which p1 and p2
    # support; bob's u1 undercuts ann's inference i1 from p1 and p2; c1 is pro, r1 con.
    expected = {
        ("attacks", ("c1", "r1"), ("r1", "k1", "c1")),
        ("attacks", ("p1", "u1"), ("u1", "k2", "i1", "p1")),
        ("attacks", ("p2", "u1"), ("u1", "k2", "i1", "p2")),
        ("supports-attacked", ("p1", "r1"), ("p1", "i1", "c1", "k1", "r1")),
        ("supports-attacked", ("p2", "r1"), ("p2", "i1", "c1", "k1", "r1")),
        ("opposite-stance", ("c1", "r1"), ("c1", "uniforms", "r1")),
    }
    got = {(f["kind"], tuple(f["statements"]), tuple(f["path"])) for f in sec["clashes"]}
    assert got == expected
    assert all(f["authors"] == ["ann", "bob"] for f in sec["clashes"])
    assert sec["agreements"] == []
    positions = {p["author"]: p for p in sec["positions"]}
    assert positions["ann"]["statements"] == ["c1", "p1", "p2"] and positions["bob"]["statements"] == ["r1", "u1"]
    assert positions["ann"]["stances"] == [{"topic": "uniforms", "stance": "pro", "statements": ["c1"]}]
    assert positions["ann"]["unaddressed"] == [] and positions["bob"]["unaddressed"] == []

    everything = (await client.get(f"/maps/{mid}/compare/authors?authors=ann&authors=bob", headers=h)).json()
    assert everything["topic"] is None and [t["topic"] for t in everything["topics"]] == ["uniforms"]
    assert everything["overall"]["topic"] is None and len(everything["overall"]["clashes"]) == 6


async def test_author_comparison_errors(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    mid = await create(client, actors, small_map())
    url = f"/maps/{mid}/compare/authors"
    body = problem(await client.get(url, params=[("authors", "ann"), ("authors", "zed")], headers=h), 404)
    assert "author 'zed'" in body["detail"]
    body = problem(
        await client.get(url, params=[("authors", "ann"), ("authors", "bob"), ("topic", "nope")], headers=h), 404
    )
    assert "topic 'nope'" in body["detail"]
    body = problem(await client.get(url, params=[("authors", "ann")], headers=h), 400)
    assert "two" in body["detail"]
    problem(await client.get(url, params=[("authors", "ann"), ("authors", "ann")], headers=h), 400)
    problem(await client.get(url, headers=h), 400)
    # A private map of someone else is invisible, not forbidden.
    body = problem(
        await client.get(url, params=[("authors", "ann"), ("authors", "bob")], headers=actors.h(actors.other)), 404
    )
    assert "not visible" in body["detail"]


async def test_belarus_acceptance_through_the_api(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    mid = await create(client, actors, json.loads(BELARUS.read_text(encoding="utf-8")))
    url = f"/maps/{mid}/compare/authors"

    r = await client.get(url, params=[("authors", "rust"), ("authors", "marples"), ("topic", "sanctions")], headers=h)
    assert r.status_code == 200, r.text
    [sec] = r.json()["topics"]
    timing = [f for f in sec["clashes"] if "x-sanctions-timing" in f["path"]]
    # x-sanctions-timing: rust-2 ("beware quick sanctions") rebuts marples-6 ("sanctions with bite").
    assert any(f["kind"] == "attacks" and f["path"] == ["rust-2", "x-sanctions-timing", "marples-6"] for f in timing)
    assert all(f["authors"] == ["rust", "marples"] for f in timing)

    r = await client.get(
        url,
        params=[("authors", "reichardt-stepniewski"), ("authors", "laputska"), ("topic", "economic-support")],
        headers=h,
    )
    assert r.status_code == 200, r.text
    [sec] = r.json()["topics"]
    package = [f for f in sec["agreements"] if "x-economic-package" in f["path"]]
    assert [(f["kind"], f["statements"]) for f in package] == [
        ("equivalent", ["reichardt-stepniewski-14", "laputska-21"])
    ]
    assert not any("x-economic-package" in f["path"] for f in sec["clashes"])


# ---- map against map -----------------------------------------------------------------


async def test_compare_maps_scores_derived_by_hand(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    ref = await create(client, actors, small_map())
    cand = await create(client, actors, edited_copy())
    r = await client.post("/compare/maps", json={"reference": ref, "candidate": cand}, headers=h)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["reference_map"] == ref and got["candidate_map"] == cand
    # Four texts are unchanged, so they match with similarity 1; u1 and xn match nothing.
    pairs = {(m["reference"], m["candidate"], m["how"], m["score"]) for m in got["matches"]}
    assert pairs == {(s, "x" + s, "suggested", 1.0) for s in ("c1", "p1", "p2", "r1")}
    assert got["unmatched_reference"] == ["u1"] and got["unmatched_candidate"] == ["xn"]

    sc = got["scores"]
    # Statements: 4 matched of 5 on each side.
    assert sc["statements"]["precision"] == pytest.approx(0.8) and sc["statements"]["recall"] == pytest.approx(0.8)
    assert sc["statements"]["f1"] == pytest.approx(0.8)
    # Relations. Reference: p1->c1 support, p2->c1 support, r1->c1 attack, u1->c1 attack
    # (the undercut counts against the conclusion). Candidate: xp1, xp2, xr1 -> xc1 support,
    # xn -> xc1 attack. Same type for p1 and p2 only: 2 of 4 each way.
    assert (
        sc["relations"]["true_positives"],
        sc["relations"]["reference_total"],
        sc["relations"]["candidate_total"],
    ) == (2, 4, 4)
    assert sc["relations"]["precision"] == pytest.approx(0.5) and sc["relations"]["f1"] == pytest.approx(0.5)
    statuses = sorted((rel["reference"][0], rel["status"]) for rel in got["relations"])
    assert statuses == [("p1", "same"), ("p2", "same"), ("r1", "opposite")]
    # Kappa over the 4*3 = 12 ordered pairs of matched statements: support->support 2,
    # attack->support 1, none->none 9. Observed 11/12; marginals (2,1,9) by (3,0,9) give
    # expected 87/144; kappa = (132-87)/(144-87) = 15/19.
    ag = sc["relation_agreement"]
    assert ag["units"] == 12
    assert ag["observed"] == pytest.approx(float(Fraction(11, 12)))
    assert ag["expected"] == pytest.approx(float(Fraction(87, 144)))
    assert ag["kappa"] == pytest.approx(float(Fraction(15, 19)))

    # A rejected pair is never suggested; a confirmed pair wins over text similarity.
    r = await client.post(
        "/compare/maps",
        json={"reference": ref, "candidate": cand, "rejected": [["p1", "xp1"]], "confirmed": [["u1", "xn"]]},
        headers=h,
    )
    got = r.json()
    assert ("p1", "xp1") not in {(m["reference"], m["candidate"]) for m in got["matches"]}
    assert {"reference": "u1", "candidate": "xn", "how": "confirmed"}.items() <= got["matches"][-1].items()


async def test_compare_maps_revisions_errors_and_permissions(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    ref = await create(client, actors, small_map())
    await client.delete(f"/maps/{ref}/statements/u1", params={"cascade": "true"}, headers=h)
    # The same map at revision 1 against its current state: u1 is gone from the candidate.
    r = await client.post(
        "/compare/maps", json={"reference": ref, "candidate": ref, "reference_revision": 1}, headers=h
    )
    assert r.status_code == 200, r.text
    assert r.json()["unmatched_reference"] == ["u1"] and r.json()["scores"]["statements"]["precision"] == 1.0
    body = problem(
        await client.post(
            "/compare/maps", json={"reference": ref, "candidate": ref, "candidate_revision": 5}, headers=h
        ),
        404,
    )
    assert "candidate map" in body["detail"] and "revision 5" in body["detail"]
    body = problem(
        await client.post(
            "/compare/maps", json={"reference": ref, "candidate": ref, "confirmed": [["c1", "ghost"]]}, headers=h
        ),
        422,
    )
    assert "'ghost'" in body["detail"] and body["errors"][0]["pointer"] == "/confirmed/0/1"
    problem(
        await client.post("/compare/maps", json={"reference": ref, "candidate": ref, "threshold": 0}, headers=h), 400
    )
    problem(await client.post("/compare/maps", json={"reference": ref}, headers=h), 400)

    theirs = await create(client, actors, edited_copy(), token=actors.other)
    # Other may read their own map but not the teacher's private one: 404 either way round.
    for body_ in ({"reference": ref, "candidate": theirs}, {"reference": theirs, "candidate": ref}):
        got = problem(await client.post("/compare/maps", json=body_, headers=actors.h(actors.other)), 404)
        assert ref in got["detail"]
    problem(
        await client.get(
            "/compare/maps/view", params={"reference": ref, "candidate": theirs}, headers=actors.h(actors.other)
        ),
        404,
    )


async def test_confirm_stores_equivalences_in_the_candidate(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    ref = await create(client, actors, small_map())
    cand = await create(client, actors, edited_copy())
    tag = (await client.get(f"/maps/{cand}", headers=h)).headers["etag"]
    r = await client.post(
        "/compare/maps/confirm",
        json={"reference": ref, "candidate": cand, "pairs": [["u1", "xn"], ["c1", "xc1"]]},
        headers={**h, "If-Match": tag},
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["revision"] == 2 and out["existing"] == [] and len(out["created"]) == 2
    assert r.headers["etag"] == f'"{cand}-r2"'

    stored = (await client.get(f"/maps/{cand}", headers=h)).json()
    eqs = {e["id"]: e for e in stored["equivalences"]}
    assert set(eqs) == set(out["created"])
    assert sorted((e["first"], e["second"], e["second_map"]) for e in eqs.values()) == [
        ("xc1", "c1", ref),
        ("xn", "u1", ref),
    ]
    history = (await client.get(f"/maps/{cand}/revisions", headers=h)).json()
    assert history[0]["revision"] == 2 and history[0]["action"] == "confirm alignment"

    # The next comparison picks the stored alignments up without being told.
    got = (await client.post("/compare/maps", json={"reference": ref, "candidate": cand}, headers=h)).json()
    how = {(m["reference"], m["candidate"]): m["how"] for m in got["matches"]}
    assert how[("u1", "xn")] == "equivalence" and how[("c1", "xc1")] == "equivalence"
    assert got["unmatched_reference"] == [] and got["unmatched_candidate"] == []

    # Confirming again creates nothing and leaves the revision alone.
    again = await client.post(
        "/compare/maps/confirm", json={"reference": ref, "candidate": cand, "pairs": [["c1", "xc1"]]}, headers=h
    )
    assert again.json()["created"] == [] and again.json()["existing"] == [
        eqs_id for eqs_id, e in eqs.items() if e["first"] == "xc1"
    ]
    assert again.json()["revision"] == 2

    # Realigning a statement that already has a partner is refused on either side, and
    # nothing is stored: the old equivalence has to go first.
    for pair, side, sid in ((["p1", "xc1"], "candidate", "xc1"), (["c1", "xp1"], "reference", "c1")):
        body = problem(
            await client.post(
                "/compare/maps/confirm", json={"reference": ref, "candidate": cand, "pairs": [pair]}, headers=h
            ),
            409,
        )
        assert f"{side} statement {sid!r} is already aligned" in body["detail"]
        assert body["errors"][0]["pointer"] == f"/pairs/0/{0 if side == 'reference' else 1}"
    assert (await client.get(f"/maps/{cand}", headers=h)).json()["revision"] == 2


async def test_confirm_errors(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    ref = await create(client, actors, small_map())
    cand = await create(client, actors, edited_copy())
    url = "/compare/maps/confirm"
    body = problem(
        await client.post(
            url, json={"reference": ref, "candidate": cand, "pairs": [["c1", "xc1"], ["nope", "xp1"]]}, headers=h
        ),
        422,
    )
    assert "'nope'" in body["detail"] and "reference" in body["detail"] and body["errors"][0]["pointer"] == "/pairs/1/0"
    body = problem(
        await client.post(url, json={"reference": ref, "candidate": cand, "pairs": [["c1", "xzz"]]}, headers=h), 422
    )
    assert "'xzz'" in body["detail"] and "candidate" in body["detail"]
    problem(
        await client.post(
            url, json={"reference": ref, "candidate": cand, "pairs": [["c1", "xc1"], ["p1", "xc1"]]}, headers=h
        ),
        422,
    )
    problem(await client.post(url, json={"reference": ref, "candidate": cand, "pairs": []}, headers=h), 400)
    problem(
        await client.post(
            url,
            json={"reference": ref, "candidate": cand, "pairs": [["c1", "xc1"]]},
            headers={**h, "If-Match": f'"{cand}-r9"'},
        ),
        412,
    )
    # Other cannot see the candidate at all; nothing was stored by any of the above.
    problem(
        await client.post(
            url, json={"reference": ref, "candidate": cand, "pairs": [["c1", "xc1"]]}, headers=actors.h(actors.other)
        ),
        404,
    )
    assert (await client.get(f"/maps/{cand}", headers=h)).json()["revision"] == 1
    # Readable but not editable: the public reference as candidate needs the editor role.
    await client.patch(f"/maps/{ref}", json={"visibility": "public"}, headers=h)
    theirs = await create(client, actors, edited_copy(), token=actors.other)
    problem(
        await client.post(
            url, json={"reference": theirs, "candidate": ref, "pairs": [["xc1", "c1"]]}, headers=actors.h(actors.other)
        ),
        403,
    )


# ---- pages ---------------------------------------------------------------------------

HOSTILE = 'Uniforms <script>alert("x")</script> & "quotes" limit self-expression.'


def hostile_pair() -> tuple[dict[str, Any], dict[str, Any]]:
    ref = small_map()
    ref["statements"][3]["text"] = HOSTILE
    cand = edited_copy()
    cand["statements"][3]["text"] = HOSTILE
    return ref, cand


def assert_safe_page(r: Any) -> str:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    page: str = r.text
    assert (
        "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34;" in page
    )
    assert " style=" not in page and "<style" not in page and "<script" not in page
    assert "/static/compare.css" in page
    return page


async def test_compare_maps_page(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    ref_doc, cand_doc = hostile_pair()
    ref = await create(client, actors, ref_doc)
    cand = await create(client, actors, cand_doc)
    page = assert_safe_page(
        await client.get("/compare/maps/view", params={"reference": ref, "candidate": cand}, headers=h)
    )
    # Matched pairs side by side with their score, both unmatched lists, and the r1 clash
    # named in words.
    assert page.count('class="cmp-pair') >= 5
    assert "100%" in page and "Bullying simply moves to shoes and phones." in page
    assert "Teachers should wear name badges at all times." in page
    assert "Only in the reference" in page and "Only in the candidate" in page
    assert "Clash" in page and "relation clash" in page
    assert "0.79" in page  # kappa 15/19
    static = await client.get("/static/compare.css")
    assert static.status_code == 200 and ".cmp-pair" in static.text


async def test_compare_authors_page(client: Any, actors: Actors) -> None:
    h = actors.h(actors.teacher)
    ref_doc, _ = hostile_pair()
    mid = await create(client, actors, ref_doc)
    r = await client.get(
        f"/maps/{mid}/compare/authors/view", params=[("authors", "ann"), ("authors", "bob")], headers=h
    )
    page = assert_safe_page(r)
    assert "Clash: Attacks" in page and "Clash: Opposite stances" in page
    assert "Schools should require uniforms." in page and "The whole map" in page
    assert "Should uniforms be required?" in page
    problem(
        await client.get(
            f"/maps/{mid}/compare/authors/view", params=[("authors", "ann"), ("authors", "zed")], headers=h
        ),
        404,
    )
