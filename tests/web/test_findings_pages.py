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
