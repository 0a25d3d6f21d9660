"""With a photo store, the demo's recent failed items carry evidence photos
stored through the real ingest (so the review queue has work), a couple of
them re-submitted on a later visit (so the reuse flag has an example), and a
load that fails half-way leaves nothing behind for `--if-empty` to skip."""

import pytest

from server.db.tables import Answer, Photo, Site, Visit
from server.demo import loader
from server.demo.loader import load_demo
from server.storage.local import LocalStore


async def test_recent_failures_have_their_photos(engine, tmp_path):
    store = LocalStore(tmp_path / "blobs", signing_key=b"k" * 32)
    report = await load_demo(secret="s" * 40, history_days=4, store=store)
    photos = await Photo.select().output(load_json=True).run()
    assert photos and f"{len(photos)} evidence photos" in report
    answers = [a for a in await Answer.select(Answer.visit, Answer.item_id, Answer.photos, Answer.failed).output(
        load_json=True).run() if a["photos"]]
    named = {p for a in answers for p in a["photos"]}
    assert named == {str(p["client_uuid"]) for p in photos}  # every photo is an answer's, and stored
    assert all(a["failed"] for a in answers)
    for p in photos:
        assert await store.exists(p["storage_key"]) and await store.exists(p["thumb_key"])
        assert p["exif_captured_at"]  # the camera's time, beside the phone's
        visit = await Visit.select(Visit.user, Visit.received_at).where(Visit.client_uuid == p["visit_uuid"]).first().run()
        assert visit["user"] == p["user"] and p["received_at"] <= visit["received_at"]
    flagged = [p for p in photos if p["flags"]]
    assert 1 <= len(flagged) <= loader.REUSED_PHOTOS
    assert all(set(p["flags"]) <= {"reused_exact", "reused_near"} for p in flagged), [p["flags"] for p in flagged]
    earlier = {str(p["client_uuid"]) for p in photos}
    assert all(hit["photo"] in earlier for p in flagged for hits in p["flags"].values() for hit in hits)
    assert len(flagged) < len(photos) // 4  # only the planned re-submissions, not false alarms


async def test_a_failed_load_leaves_nothing(engine, tmp_path, monkeypatch):
    store = LocalStore(tmp_path / "blobs", signing_key=b"k" * 32)

    async def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "_store_photos", broken)
    with pytest.raises(RuntimeError):
        await load_demo(secret="s" * 40, history_days=2, store=store)
    assert await Site.count().run() == 0 and await Visit.count().run() == 0
    monkeypatch.undo()
    report = await load_demo(secret="s" * 40, history_days=2, store=store, if_empty=True)
    assert "ready" in report and await Site.count().run() == 1
