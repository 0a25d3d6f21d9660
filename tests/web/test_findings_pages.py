"""Findings pages: list, detail, fixed on the spot with an uploaded
after-photo, rectification with owner and deadline (site wall time)."""

from server.db.tables import AuditLog, Finding, FindingEvent
from tests.supervision_support import jpeg, send_visit, user


async def _finding(console) -> int:
    await send_visit(console.world, await user(console.world, "cleaner"), floor="fail", kind="self_check")
    return (await Finding.select(Finding.id).first().run())["id"]


async def test_rectify_from_the_page(console):
    fid = await _finding(console)
    await console.login("supervisor")
    listing = await console.client.get("/console/findings")
    assert listing.status_code == 200 and f'data-finding="{fid}"' in listing.text
    page = await console.client.get(f"/console/findings/{fid}")
    assert page.status_code == 200 and "/rectify" in page.text and 'capture="environment"' in page.text
    r = await console.post(f"/console/findings/{fid}/rectify", {
        "owner": console.world.users["cleaner"], "deadline": "2099-01-01T18:00", "note": "today"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    row = await Finding.select().where(Finding.id == fid).first().run()
    assert row["status"] == "rectifying" and row["owner"] == console.world.users["cleaner"]
    assert row["deadline"].isoformat().startswith("2099-01-01T10:00")  # 18:00 in Shanghai
    bad = await console.post(f"/console/findings/{fid}/rectify", {
        "owner": console.world.users["cleaner"], "deadline": "not a time"})
    assert bad.status_code == 422


async def test_fixed_on_the_spot_with_an_uploaded_photo(console):
    fid = await _finding(console)
    await console.login("supervisor")
    r = await console.client.post(f"/console/findings/{fid}/fix", data={"note": "已清扫"},
                                  files={"photo": ("after.jpg", jpeg(), "image/jpeg")},
                                  headers={"x-csrftoken": console.csrf()}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert (await Finding.select().where(Finding.id == fid).first().run())["status"] == "fixed"
    assert await FindingEvent.count().where(FindingEvent.kind == "fixed_on_spot").run() == 1
    assert await AuditLog.exists().where(AuditLog.action == "finding.fixed_on_spot").run()
    page = await console.client.get(f"/console/findings/{fid}")
    assert "evidence.jpg" in page.text and "/rectify" not in page.text


async def test_inspector_sees_but_cannot_act(console):
    fid = await _finding(console)
    await console.login("inspector")
    page = await console.client.get(f"/console/findings/{fid}")
    assert page.status_code == 200 and "/rectify" not in page.text
    r = await console.post(f"/console/findings/{fid}/rectify", {
        "owner": console.world.users["cleaner"], "deadline": "2099-01-01T18:00"})
    assert r.status_code == 403
    assert (await Finding.select().where(Finding.id == fid).first().run())["status"] == "open"


async def test_the_owners_fix_from_the_phone_is_shown(console):
    import uuid
    from datetime import UTC, datetime, timedelta

    from server.services import findings

    fid = await _finding(console)
    world = console.world
    await findings.open_rectification(await user(world, "supervisor"), fid, owner_id=world.users["cleaner"],
                                      deadline=datetime.now(UTC) + timedelta(hours=2))
    cleaner = await user(world, "cleaner")
    fix_uuid = str(uuid.uuid4())
    from tests.supervision_support import photo

    after = await photo(cleaner, console.client.app.state.store, None, "floor", colour=(20, 200, 20), fix=fix_uuid)
    missing = str(uuid.uuid4())  # still on the phone
    await findings.submit_fix(cleaner, fix_uuid, {"finding_id": fid, "note": "已拖干净", "photos": [after, missing],
                                                  "fixed_at": datetime.now(UTC).isoformat()})
    await console.login("supervisor")
    page = await console.client.get(f"/console/findings/{fid}")
    assert 'data-kind="fix_submitted"' in page.text and "已拖干净" in page.text
    assert f"/photos/{after}/evidence.jpg" in page.text and "/blobs/thumbs/" in page.text
    assert f'data-photo-missing="{missing}"' in page.text
    assert 'data-stage="fix_submitted"' in page.text
    listing = await console.client.get("/console/findings")
    assert 'data-stage="fix_submitted"' in listing.text
    ev = await console.client.get(f"/photos/{after}/evidence.jpg")
    assert ev.status_code == 200 and ev.headers["content-type"] == "image/jpeg"
