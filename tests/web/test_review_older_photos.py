"""The review queue covers the last 14 days; unreviewed photos older than that
are not dropped silently: the page counts those of the 60 days before and
offers them, newest first; deciding one keeps the reviewer among the older
ones. Beyond that horizon photos are no longer offered, and the page says so."""

import uuid
from datetime import UTC, datetime, timedelta

from server.db.tables import Photo, Review, Visit
from server.services.review import OLDER_DAYS, QUEUE_DAYS
from tests.factories import visit_body
from tests.supervision_support import photo, user


async def _photo_visit(console, age_days: float) -> tuple[int, str]:
    from server.services.visits import ingest_visit

    cleaner = await user(console.world, "cleaner")
    vid = str(uuid.uuid4())
    pid = await photo(cleaner, console.client.app.state.store, vid, "floor", colour=(int(age_days * 7) % 255, 90, 40))
    await ingest_visit(cleaner, vid, visit_body(console.world, kind="self_check", answers=[
        {"item": "floor", "value": "fail", "note": "litter", "photos": [pid]}, {"item": "smell", "value": True}]),
        secret="x")
    # As if it had arrived that long ago.
    await Photo.update({Photo.received_at: datetime.now(UTC) - timedelta(days=age_days)}).where(
        Photo.client_uuid == uuid.UUID(pid)).run()
    row = await Visit.select(Visit.id).where(Visit.client_uuid == uuid.UUID(vid)).first().run()
    return row["id"], pid


async def test_older_photos_are_counted_and_reviewable(console):
    recent = await _photo_visit(console, 1)
    old_a = await _photo_visit(console, QUEUE_DAYS + 3)
    old_b = await _photo_visit(console, QUEUE_DAYS + 1)
    ancient = await _photo_visit(console, QUEUE_DAYS + OLDER_DAYS + 1)
    await console.login("supervisor")
    page = await console.client.get("/console/review")
    assert "1 left to review" in page.text and recent[1] in page.text
    assert 'id="review-older" data-older="2"' in page.text and "older=1" in page.text

    older = await console.client.get("/console/review?older=1")
    assert 'id="review-older-mode"' in older.text and "2 left to review" in older.text
    assert f"older than {QUEUE_DAYS + OLDER_DAYS} days are no longer offered" in older.text
    assert old_b[1] in older.text  # newest of the older ones first
    hx = {"HX-Request": "true", "x-csrftoken": console.csrf()}
    r = await console.client.post("/console/review", headers=hx, data={
        "site": console.world.site_a, "visit_id": old_b[0], "photo": old_b[1], "verdict": "approved", "older": 1})
    assert r.status_code == 200 and old_a[1] in r.text and "1 left to review" in r.text
    assert 'name="older" value="1"' in r.text  # the next decision stays among the older ones
    assert await Review.count().run() == 1
    r = await console.client.post("/console/review", headers=hx, data={
        "site": console.world.site_a, "visit_id": old_a[0], "photo": old_a[1], "verdict": "approved", "older": 1})
    assert "No older photos left to review" in r.text and ancient[1] not in r.text
    page = await console.client.get("/console/review")
    assert 'id="review-older"' not in page.text  # none left in the horizon (the ancient one is past it)
