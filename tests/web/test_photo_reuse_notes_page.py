"""A supervisor sees where else a reused photo was used — "this photo was also
used on <date>, <location>, <person>, visit #n" with a link — on the visit
page and on the review screen; a use on a site they do not supervise is named
only by its date."""

import hashlib
import re
import uuid
from datetime import UTC, datetime, timedelta

from server.db.tables import Photo, User, Visit
from server.services.accounts import load_user
from server.services.photos import ingest_photo
from tests.factories import visit_body
from tests.supervision_support import SECRET, jpeg, photo, send_visit, user


async def _visit_id(vid: str) -> int:
    return (await Visit.select(Visit.id).where(Visit.client_uuid == uuid.UUID(vid)).first().run())["id"]


def _note(html: str, photo_uuid: str) -> str:
    match = re.search(rf'<li class="flag" data-reuse="\w+" data-photo="{photo_uuid}">(.*?)</li>', html, re.S)
    assert match, html[:3000]
    return " ".join(match.group(1).split())


async def test_visit_page_and_review_screen_say_where_the_photo_was_used_before(console):
    world = console.world
    store = console.client.app.state.store
    cleaner, lead = await user(world, "cleaner"), await user(world, "team_lead")
    three_days_ago = datetime.now(UTC) - timedelta(days=3)

    old_vid = str(uuid.uuid4())
    old_pid = await photo(cleaner, store, old_vid, "floor")
    await send_visit(world, cleaner, floor="fail", photos=[old_pid], visit_uuid=old_vid, at=three_days_ago)
    # Out of the 14-day review queue, so the reused copy is the one to review.
    await Photo.update({Photo.received_at: datetime.now(UTC) - timedelta(days=20)}).where(
        Photo.client_uuid == uuid.UUID(old_pid)).run()

    new_vid = str(uuid.uuid4())
    new_pid = await photo(lead, store, new_vid, "floor")  # the same bytes, another person, another day
    await send_visit(world, lead, floor="fail", photos=[new_pid], visit_uuid=new_vid)

    await console.login("supervisor")
    page = await console.client.get(f"/console/visits/{await _visit_id(new_vid)}")
    assert page.status_code == 200
    note = _note(page.text, old_pid)
    when = three_days_ago.astimezone(world_zone()).strftime("%Y-%m-%d %H:%M")
    old_id = await _visit_id(old_vid)
    assert f'This photo was also used on {when}, Alpha Tower · toilet, cleaner, <a href="/console/visits/{old_id}">visit #{old_id}</a>' in note
    assert "(identical file)" in note

    review = await console.client.get("/console/review")
    assert new_pid in review.text
    note = _note(review.text, old_pid)
    assert f"also used on {when}, Alpha Tower · toilet, cleaner," in note and f"visit #{old_id}" in note

    await User.update({User.language: "zh-CN"}).where(User.username == "supervisor").run()
    await console.login("supervisor")
    page = await console.client.get(f"/console/visits/{await _visit_id(new_vid)}")
    note = _note(page.text, old_pid)
    assert f"这张照片也用于 {when}，甲大厦 · toilet，cleaner，" in note and f"检查 #{old_id}" in note
    assert "（完全相同的文件）" in note


async def test_a_use_on_another_site_is_named_only_by_its_date(console):
    world = console.world
    store = console.client.app.state.store
    outsider = await load_user(world.outsider)
    synced, pending = str(uuid.uuid4()), str(uuid.uuid4())
    for colour, vid in (((10, 200, 30), synced), ((200, 10, 30), pending)):
        data = jpeg(colour)
        pid = str(uuid.uuid4())
        await ingest_photo(outsider, pid, data, declared_sha256=hashlib.sha256(data).hexdigest(),
                           store=store, max_bytes=5_000_000, max_pixels=50_000_000, visit=vid)
    # one of the outsider's visits reaches site B; the other is still on the phone
    from server.services.visits import ingest_visit

    await ingest_visit(outsider, synced, visit_body(
        world, tag_code=world.tags["b_toilet"]["code"], template_version_id=world.versions["b_toilet"]),
        secret=SECRET)

    lead = await user(world, "team_lead")
    vid = str(uuid.uuid4())
    pids = [await photo(lead, store, vid, "floor", colour=c) for c in ((10, 200, 30), (200, 10, 30))]
    await ingest_visit(lead, vid, visit_body(world, answers=[
        {"item": "floor", "value": "fail", "note": "x", "photos": pids},
        {"item": "smell", "value": True}]), secret=SECRET)

    await console.login("supervisor")
    page = await console.client.get(f"/console/visits/{await _visit_id(vid)}")
    found = re.findall(r'<li class="flag" data-reuse="exact" data-photo="([^"]*)">(.*?)</li>', page.text, re.S)
    assert len(found) == 2
    for other_photo, note in found:
        assert other_photo == ""  # not even the other site's photo id
        assert "outside the sites you supervise" in note
        assert "outsider" not in note and "Beta" not in note and "/console/visits/" not in note


def world_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")  # site A's zone (tests/factories.py)
