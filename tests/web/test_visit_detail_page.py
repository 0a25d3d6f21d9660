"""Visit detail: answers with failed items highlighted, photos (thumbnail,
display, evidence), device vs server time, the round window, integrity flags."""

import uuid
from datetime import UTC, datetime, timedelta

from server.db.tables import Visit
from tests.supervision_support import photo, send_visit, user


async def test_visit_detail_shows_times_window_photos_and_flags(console):
    world = console.world
    lead = await user(world, "team_lead")
    store = console.client.app.state.store
    now = datetime.now(UTC)
    vid = str(uuid.uuid4())
    pid = await photo(lead, store, vid, "floor")
    first = await send_visit(world, lead, floor="fail", photos=[pid], round_id=world.round_id, visit_uuid=vid,
                             at=now - timedelta(seconds=30))
    # the same label again 20 s later, and the same photo bytes for another visit
    vid2 = str(uuid.uuid4())
    pid2 = await photo(lead, store, vid2, "floor")
    await send_visit(world, lead, floor="fail", photos=[pid2], visit_uuid=vid2, at=now - timedelta(seconds=10))
    await console.login("supervisor")
    r = await console.client.get(f"/console/visits/{first['id']}")
    assert r.status_code == 200
    html = r.text
    assert 'class="failed" data-item="floor"' in html
    assert "Scanned (device)" in html and "Received (server)" in html
    assert "Team-lead round" in html and "on time" in html
    assert 'data-flag="double_scan"' in html
    assert f"/photos/{pid}/evidence.jpg" in html and "/blobs/thumbs/" in html and "/blobs/display/" in html
    r2 = await console.client.get(f"/console/visits/{(await Visit.select(Visit.id).where(Visit.client_uuid == uuid.UUID(vid2)).first().run())['id']}")
    assert 'data-flag="photo_reused"' in r2.text


async def test_clock_far_from_server_is_flagged(console):
    world = console.world
    lead = await user(world, "team_lead")
    ahead = datetime.now(UTC) + timedelta(hours=2)
    v = await send_visit(world, lead, at=ahead)
    await console.login("supervisor")
    r = await console.client.get(f"/console/visits/{v['id']}")
    assert 'data-flag="clock_skew"' in r.text
    r = await console.client.get(f"/console/sites/{world.site_a}/visits")
    assert f"/console/visits/{v['id']}" in r.text


async def test_other_department_and_site_refused(console):
    world = console.world
    v = await send_visit(world, await user(world, "technician"), kind="patrol")
    await console.login("supervisor")
    assert (await console.client.get("/console/visits/999999")).status_code == 404
    await console.login("team_lead")  # cleaning; the toilet has no department: visible
    assert (await console.client.get(f"/console/visits/{v['id']}")).status_code == 200


async def test_a_disagreeing_spot_check_flags_the_original(console):
    from server.services import spot_checks
    from tests.supervision_support import SECRET

    world = console.world
    original = await send_visit(world, await user(world, "cleaner"), kind="self_check")
    await spot_checks.ensure_daily(await user(world, "inspector"), world.site_a, secret=SECRET)
    spot = await send_visit(world, await user(world, "inspector"), floor="fail", kind="spot_check")
    await console.login("supervisor")
    r = await console.client.get(f"/console/visits/{original['id']}")
    assert 'data-flag="spot_check_disagreed"' in r.text and "counts against this visit" in r.text
    assert "/console/spot-checks/" in r.text
    r = await console.client.get(f"/console/visits/{spot['id']}")
    assert 'data-flag="spot_check_disagreed"' not in r.text  # the spot check itself is not the one at fault
    listing = await console.client.get(f"/console/sites/{world.site_a}/visits")
    assert listing.text.count('data-disputed="yes"') == 1
    board = await console.client.get(f"/console/sites/{world.site_a}/today")
    assert 'data-disagreed="1"' in board.text
