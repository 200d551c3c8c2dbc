"""The shipped maps through the database: load, read back unchanged, load again idempotently."""

import shutil
from pathlib import Path
from typing import Any

import msgspec
from support import ROOT, Actors

from service.db.engine import Database
from service.db.loader import load_folder, map_files
from service.domain.formats import native

BELARUS = ROOT / "argument_maps" / "belarus-2020"


def canonical(data: bytes) -> bytes:
    doc = native.decode(data)
    return native.encode(msgspec.structs.replace(doc, id=None, revision=0))


async def test_every_shipped_map_round_trips_through_the_database(client: Any, db: Database, actors: Actors) -> None:
    files = map_files(BELARUS)
    assert len(files) == 7
    report = await load_folder(db, BELARUS, owner_id=actors.teacher_id, visibility="public")
    assert sorted(report.created) == sorted(native.decode(f.read_bytes()).slug for f in files) and not report.failed
    for f in files:
        slug = native.decode(f.read_bytes()).slug
        r = await client.get(f"/maps/{slug}")  # anonymous: the shipped maps are public
        assert r.status_code == 200, r.text
        assert canonical(r.content) == canonical(f.read_bytes()), f"{f.name} changed in the database"
        assert (await client.get(f"/maps/{slug}/view")).status_code == 200
    listed = (await client.get("/maps")).json()
    assert listed["total"] == 7
    debate = next(m for m in listed["items"] if m["slug"] == "belarus-2020-debate")
    assert debate["counts"]["statements"] >= 100


async def test_loading_again_updates_and_never_duplicates(client: Any, db: Database, actors: Actors, tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    shutil.copytree(BELARUS, folder)
    await load_folder(db, folder, owner_id=actors.teacher_id)
    again = await load_folder(db, folder, owner_id=actors.teacher_id)
    assert len(again.unchanged) == 7 and not again.created and not again.updated
    path = folder / "belarus-2020-rust.argmap.json"
    doc = native.decode(path.read_bytes())
    path.write_bytes(native.encode(msgspec.structs.replace(doc, title="Rust, revised")))
    third = await load_folder(db, folder, owner_id=actors.teacher_id)
    assert third.updated == ["belarus-2020-rust"] and len(third.unchanged) == 6
    listed = (await client.get("/maps", params={"limit": 100})).json()
    assert listed["total"] == 7
    rust = (await client.get("/maps/belarus-2020-rust")).json()
    assert rust["title"] == "Rust, revised" and rust["revision"] == 2


async def test_a_broken_file_is_reported_and_loads_nothing_of_itself(db: Database, tmp_path: Path) -> None:
    (tmp_path / "bad.argmap.json").write_text('{"title": "x", "statements": [{"id": "a", "text": "A", "author": "ghost"}]}')
    (tmp_path / "good.argmap.json").write_text('{"title": "fine"}')
    report = await load_folder(db, tmp_path, owner_id=None)
    assert report.created == ["good"]
    assert report.failed[0][0].endswith("bad.argmap.json") and "ghost" in report.failed[0][1]
