"""A rejected photo becomes a redo task in the worker's pack; the worker's next
visit at that location resolves it."""

import uuid

import pytest

from server.db.tables import AuditLog, Review
from server.domain.errors import RoundsError
from server.services import review
from tests.factories import visit_body
from tests.supervision_support import jpeg, user

HEADERS = {"X-Rounds-Client": "pwa"}


async def _failed_visit_with_photo(api) -> tuple[str, str]:
    vid, pid = str(uuid.uuid4()), str(uuid.uuid4())
    raw = jpeg()
    r = await api.put_photo(pid, raw, visit=vid, item="floor")
    assert r.status_code == 201, r.text
    body = visit_body(api.world, kind="self_check", answers=[
        {"item": "floor", "value": "fail", "note": "litter", "photos": [pid]},
        {"item": "smell", "value": True}])
    r = await api.put_visit(vid, body)
    assert r.status_code == 201, r.text
    return vid, pid


async def test_rejection_appears_in_the_pack_and_a_new_visit_resolves_it(api):
    await api.login("cleaner")
    vid, pid = await _failed_visit_with_photo(api)
    pack = (await api.client.get("/api/v1/pack")).json()
    assert pack["redo"] == [] and pack["spot_checks"] == []

    visit_id = (await review.Visit.select(review.Visit.id).where(
        review.Visit.client_uuid == uuid.UUID(vid)).first().run())["id"]
    head, left = await review.queue_head(await user(api.world, "supervisor"), api.world.site_a)
    assert str(head["photo_uuid"]) == pid and left == 1
    await review.decide(await user(api.world, "supervisor"), visit_id, pid, "rejected", "blurry", "retake please")
    assert (await review.queue_head(await user(api.world, "supervisor"), api.world.site_a)) == (None, 0)

    before = await api.client.get("/api/v1/pack")
    redo = before.json()["redo"]
    assert redo == [{
        "review_id": redo[0]["review_id"], "visit_uuid": vid, "location_id": api.world.locations["a_toilet"],
        "template_version_id": api.world.versions["a_toilet"], "item_id": "floor", "reason_code": "blurry",
        "reason_zh": "照片模糊或过暗", "reason_en": "Photo blurred or too dark", "note": "retake please"}]
    assert await AuditLog.exists().where(AuditLog.action == "review.rejected").run()

    # The redo: a new visit at that location by the same worker.
    r = await api.put_visit(str(uuid.uuid4()), visit_body(api.world, kind="self_check"))
    assert r.status_code == 201
    after = await api.client.get("/api/v1/pack")
    assert after.json()["redo"] == []
    assert after.headers["etag"] != before.headers["etag"]
    row = await Review.select().where(Review.id == redo[0]["review_id"]).first().run()
    assert row["resolved_at"] is not None and row["resolved_by"] is not None
    audit = await AuditLog.select().where(AuditLog.action == "review.redo_resolved").output(load_json=True).run()
    assert [(a["object_id"], a["actor"], a["detail"]["visit"]) for a in audit] == [
        (str(row["id"]), api.world.users["cleaner"], row["resolved_by"])]


async def test_review_refusals_change_nothing(api):
    await api.login("cleaner")
    vid, pid = await _failed_visit_with_photo(api)
    visit_id = (await review.Visit.select(review.Visit.id).where(
        review.Visit.client_uuid == uuid.UUID(vid)).first().run())["id"]
    sup = await user(api.world, "supervisor")
    for args, code in [
        ((visit_id, pid, "rejected", "nonsense"), "validation_error"),
        ((visit_id, pid, "rejected", "other", ""), "validation_error"),
        ((visit_id, pid, "maybe"), "validation_error"),
        ((visit_id, str(uuid.uuid4()), "approved"), "not_found"),
    ]:
        with pytest.raises(RoundsError) as exc:
            await review.decide(sup, *args)
        assert exc.value.code == code
    with pytest.raises(RoundsError) as exc:
        await review.decide(await user(api.world, "cleaner"), visit_id, pid, "approved")
    assert exc.value.code == "forbidden"
    assert await Review.count().run() == 0
    await review.decide(sup, visit_id, pid, "approved")
    with pytest.raises(RoundsError) as exc:
        await review.decide(sup, visit_id, pid, "rejected", "blurry")
    assert exc.value.code == "conflict" and exc.value.status == 409
    assert await Review.count().run() == 1


async def test_sync_status_records_a_heartbeat(api):
    from server.db.tables import DeviceSeen

    await api.login("guard")
    r = await api.client.post("/api/v1/sync/status", headers=HEADERS, json={
        "visits": [], "device_id": "phone-1", "device_time": "2020-01-01T00:00:00+00:00",
        "pending": {"visits": 2, "photos": 5, "oldest_scanned_at": "2026-11-22T08:00:00+08:00"}})
    assert r.status_code == 200, r.text
    row = await DeviceSeen.select().where(DeviceSeen.device_id == "phone-1").first().run()
    assert row["pending_visits"] == 2 and row["pending_photos"] == 5 and row["clock_skew_seconds"] < -86400
    r = await api.client.post("/api/v1/sync/status", headers=HEADERS, json={"device_id": "phone-1"})
    assert r.status_code == 200
    assert await DeviceSeen.count().run() == 1
    assert (await DeviceSeen.select().first().run())["pending_visits"] == 0
    r = await api.client.post("/api/v1/sync/status", headers=HEADERS, json={"device_id": "x", "pending": {"visits": -1}})
    assert r.status_code == 400 and r.json()["code"] == "malformed_body"
    r = await api.client.get("/api/v1/pack", headers={"X-Rounds-Device": "phone-2"})
    assert r.status_code == 200
    assert (await DeviceSeen.select().where(DeviceSeen.device_id == "phone-2").first().run())["source"] == "pack"
