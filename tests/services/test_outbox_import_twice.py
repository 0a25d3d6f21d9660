"""A phone's exported outbox file imported on the console: every item is stored
as the person who recorded it; importing the same file again stores nothing twice."""

from __future__ import annotations

import uuid

from server.db.tables import Answer, AuditLog, Incident, Photo, Visit
from server.services.accounts import load_user
from server.services.outbox_import import import_outbox
from server.storage.local import LocalStore
from tests.services.outbox_support import counts, failed_visit_with_photo, json_item, outbox_file

SECRET = "test-secret-key-0123456789abcdefghijklmnop"


async def _import(importer, raw, store):
    return await import_outbox(importer, raw, store=store, secret=SECRET, max_photo_bytes=5_000_000,
                               max_pixels=50_000_000)


async def test_import_twice_creates_once_as_the_recorded_user(world, admin, tmp_path):
    store = LocalStore(tmp_path / "blobs", b"k" * 32)
    guard = world.users["guard"]
    items, visit_uuid, photo_uuid = failed_visit_with_photo(world)
    incident = json_item("incident", {"kind": "hazard", "note": "wet floor", "photos": [],
                                      "tag_code": world.tags["a_toilet"]["code"],
                                      "occurred_at": items[1]["request"]["body"]["scanned_at"]})
    raw = outbox_file(guard, "guard", [*items, incident])

    first = await _import(admin, raw, store)
    assert [r.outcome for r in first.results] == ["created", "created", "created"]
    assert first.counts == {"created": 3, "held": 0, "refused": 0}
    assert first.user.id == guard
    visit = await Visit.select().where(Visit.client_uuid == uuid.UUID(visit_uuid)).first().run()
    photo = await Photo.select().where(Photo.client_uuid == uuid.UUID(photo_uuid)).first().run()
    inc = await Incident.select().where(Incident.client_uuid == uuid.UUID(incident["uuid"])).first().run()
    # Recorded as the guard, never as the admin who imported the file.
    assert visit["user"] == photo["user"] == inc["user"] == guard
    assert visit["failed_count"] == 1 and str(photo["visit_uuid"]) == visit_uuid
    assert photo["sha256"] == items[0]["sha256"]
    assert await store.exists(photo["storage_key"])
    after_first = await counts()
    answers_first = await Answer.count().run()
    blobs_first = sorted(p.relative_to(tmp_path) for p in (tmp_path / "blobs").rglob("*") if p.is_file())

    second = await _import(admin, raw, store)
    assert [r.outcome for r in second.results] == ["held", "held", "held"]
    assert second.results[1].result["id"] == visit["id"]
    now = await counts()
    assert {k: now[k] for k in ("visit", "photo", "incident")} == {"visit": 1, "photo": 1, "incident": 1}
    assert now["audit_import"] == after_first["audit_import"] + 1 == 2
    assert await Answer.count().run() == answers_first
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "blobs").rglob("*") if p.is_file()) == blobs_first

    log = await AuditLog.select().where(AuditLog.action == "outbox.import").order_by(AuditLog.id).run()
    assert [e["actor"] for e in log] == [world.users["admin"]] * 2
    assert log[0]["object_id"] == str(guard)


async def test_supervisor_of_the_site_may_import(world, tmp_path):
    store = LocalStore(tmp_path / "blobs", b"k" * 32)
    supervisor = await load_user(world.users["supervisor"])
    items, visit_uuid, _ = failed_visit_with_photo(world, seed=2)
    report = await _import(supervisor, outbox_file(world.users["guard"], "guard", items), store)
    assert report.counts["created"] == 2
    assert (await Visit.select(Visit.user).where(Visit.client_uuid == uuid.UUID(visit_uuid)).first().run())["user"] \
        == world.users["guard"]
