"""`rounds backup` of the embedded default while visits with photos are being
written through the real ingest services, restored into a fresh VAR_DIR:
every visit acknowledged before the backup started is there with all its
answers, photos match their sha256, the audit log is the source's up to the
snapshot, and nothing is half-written."""

from __future__ import annotations

import hashlib
import shutil
import time
import uuid

import anyio
import anyio.to_thread

from server.db import engine as db
from server.db.tables import Answer, AuditLog, Photo, Visit
from server.ops import backup as backup_module
from server.ops.backup import backup, restore
from server.services.accounts import load_user
from server.services.photo_ops import verify
from server.services.photos import ingest_photo
from server.services.visits import ingest_visit
from server.storage import LocalStore
from tests.factories import build_world, visit_body
from tests.photos.conftest import encode, synthetic_photo

SECRET = "test-secret-key-0123456789abcdefghijklmnop"


async def _snapshot_of_tables() -> dict:
    visits = {str(v["client_uuid"]): v for v in await Visit.select().run()}
    answers: dict[int, list] = {}
    for a in await Answer.select().order_by(Answer.id).output(load_json=True).run():
        answers.setdefault(a["visit"], []).append(a)
    audit = await AuditLog.select().order_by(AuditLog.id).output(load_json=True).run()
    photos = {str(p["client_uuid"]): p for p in await Photo.select().run()}
    return {"visits": visits, "answers": answers, "audit": audit, "photos": photos}


async def test_backup_under_concurrent_writes_restores_every_acked_visit(tmp_path, sqlite_template, monkeypatch):
    var = tmp_path / "var"
    var.mkdir()
    database = var / "rounds.sqlite3"
    shutil.copy(sqlite_template, database)
    store = LocalStore(var / "blobs", SECRET.encode())
    archive = tmp_path / "backup.tar"

    # Widen the two windows where a write can fall: before the snapshot and
    # between the snapshot and the copy of the photo folder.
    real_snapshot = backup_module.snapshot_database

    def slow_snapshot(source, target):
        time.sleep(0.7)
        real_snapshot(source, target)
        time.sleep(0.7)

    monkeypatch.setattr(backup_module, "snapshot_database", slow_snapshot)

    # Pooled connections, as the server keeps them: the WAL stays open, so a
    # plain copy of the database file would miss committed visits.
    async with db.connected(f"sqlite:///{database}", pool_size=4):
        world = await build_world()
        guard = await load_user(world.users["guard"])
        acked: list[str] = []
        stop = anyio.Event()

        async def writer() -> None:
            seed = 0
            while not stop.is_set():
                seed += 1
                data = encode(synthetic_photo(seed), "JPEG")
                photo, visit = str(uuid.uuid4()), str(uuid.uuid4())
                await ingest_photo(guard, photo, data, declared_sha256=hashlib.sha256(data).hexdigest(),
                                   store=store, max_bytes=10_000_000, max_pixels=50_000_000, visit=visit,
                                   item_id="floor")
                body = visit_body(world, answers=[{"item": "floor", "value": "fail", "photos": [photo], "note": "litter"},
                                                  {"item": "smell", "value": True},
                                                  {"item": "soap", "value": "full"}])
                created, _ = await ingest_visit(guard, visit, body, secret=SECRET)
                assert created
                acked.append(visit)

        async with anyio.create_task_group() as tg:
            tg.start_soon(writer)
            while len(acked) < 3:
                await anyio.sleep(0.02)
            acked_before = list(acked)
            await anyio.to_thread.run_sync(lambda: backup(database, var / "blobs", archive))
            acked_during = len(acked) - len(acked_before)
            stop.set()
        source = await _snapshot_of_tables()
    assert acked_during > 0, "the writer must have written while the backup ran"

    fresh = tmp_path / "fresh"
    summary = restore(archive, fresh / "rounds.sqlite3", fresh / "blobs")
    restored_store = LocalStore(fresh / "blobs", SECRET.encode())
    async with db.connected(f"sqlite:///{fresh / 'rounds.sqlite3'}"):
        got = await _snapshot_of_tables()
        report = await verify(restored_store)

    assert set(acked_before) <= set(got["visits"])
    # Some visits acked during the backup are (rightly) not in its snapshot.
    assert len(got["visits"]) < len(source["visits"])
    for uid, visit in got["visits"].items():
        assert visit == source["visits"][uid]  # byte-for-byte the source's row
        assert got["answers"][visit["id"]] == source["answers"][visit["id"]]
        assert len(got["answers"][visit["id"]]) == 3  # a visit is never half-written
        photo_uuid = got["answers"][visit["id"]][0]["photos"][0]
        assert photo_uuid in got["photos"]  # its photo row came along...
    # ...and every photo's original is there and matches its sha256.
    assert report.checked == len(got["photos"]) and report.ok == report.checked
    assert not report.missing and not report.corrupt and not report.missing_derivatives
    assert summary.blobs >= 3 * len(got["photos"])
    # The audit log is the source's, up to the snapshot: same rows, same order.
    assert got["audit"] == source["audit"][:len(got["audit"])]
    audited = {a["detail"].get("client_uuid") for a in got["audit"] if a["action"] == "visit.create"}
    assert set(acked_before) <= audited
