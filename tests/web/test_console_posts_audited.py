"""Every console POST handler writes an audit entry naming who did it. The
handlers are enumerated from the app itself, so a new one without an entry
here fails this test. (The setup pages under /console/setup are the setup
area's and are audited by their services; they are not walked here.)"""

import uuid
from datetime import UTC, datetime, timedelta

from server.db.tables import AuditLog, Finding, Visit
from server.domain import schedule
from server.services import findings
from tests.factories import PASSWORD, visit_body
from tests.services.outbox_support import json_item, outbox_file
from tests.supervision_support import jpeg, photo, send_visit, user


def console_posts(app) -> set[str]:
    out = set()
    for route in app.routes:
        methods = set().union(*(getattr(h, "http_methods", set()) for h in getattr(route, "route_handlers", [])))
        if "POST" in methods and route.path.startswith("/console") and not route.path.startswith("/console/setup"):
            out.add(route.path)
    return out


async def _failed_visit_with_photo(console) -> tuple[int, str, int]:
    from server.services.visits import ingest_visit

    cleaner = await user(console.world, "cleaner")
    vid = str(uuid.uuid4())
    pid = await photo(cleaner, console.client.app.state.store, vid, "floor")
    await ingest_visit(cleaner, vid, visit_body(console.world, kind="self_check", answers=[
        {"item": "floor", "value": "fail", "note": "litter", "photos": [pid]}, {"item": "smell", "value": True}]),
        secret="x")
    visit = await Visit.select(Visit.id).where(Visit.client_uuid == uuid.UUID(vid)).first().run()
    finding = await Finding.select(Finding.id).where(Finding.visit == visit["id"]).first().run()
    return visit["id"], pid, finding["id"]


async def test_every_console_post_handler_is_audited(console):
    world = console.world
    visit_id, pid, fid = await _failed_visit_with_photo(console)
    await send_visit(world, await user(world, "cleaner"), floor="fail", kind="self_check")
    second = (await Finding.select(Finding.id).order_by(Finding.id, ascending=False).first().run())["id"]
    yesterday = schedule.local_today(datetime.now(UTC), "Asia/Shanghai") - timedelta(days=1)
    sup_id = world.users["supervisor"]

    async def login():
        page = await console.client.get("/console/login")
        import re
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
        return await console.client.post("/console/login", data={
            "username": "supervisor", "password": PASSWORD, "next": "/console", "_csrf_token": token},
            follow_redirects=False)

    walk = {
        "/console/login": ("login", login),
        "/console/language": ("user.language", lambda: console.post("/console/language", {"language": "zh-CN"},
                                                                     follow_redirects=False)),
        "/console/review": ("review.approved", lambda: console.post("/console/review", {
            "site": world.site_a, "visit_id": visit_id, "photo": pid, "verdict": "approved"},
            follow_redirects=False)),
        "/console/findings/{finding_id:int}/fix": ("finding.fixed_on_spot", lambda: console.client.post(
            f"/console/findings/{fid}/fix", data={"note": "done"}, files={"photo": ("a.jpg", jpeg(), "image/jpeg")},
            headers={"x-csrftoken": console.csrf()}, follow_redirects=False)),
        "/console/findings/{finding_id:int}/rectify": ("finding.rectification", lambda: console.post(
            f"/console/findings/{second}/rectify", {"owner": world.users["cleaner"], "deadline": "2099-01-01T18:00"},
            follow_redirects=False)),
        "/console/reports/{site_id:int}/{day:str}/sign": ("report.signed", lambda: console.post(
            f"/console/reports/{world.site_a}/{yesterday.isoformat()}/sign", {"note": "ok"},
            follow_redirects=False)),
        "/console/outbox-import": ("outbox.import", lambda: console.client.post(
            "/console/outbox-import", headers={"x-csrftoken": console.csrf()}, follow_redirects=False,
            files={"file": ("rounds-outbox-cleaner.json", outbox_file(world.users["cleaner"], "cleaner", [
                json_item("incident", {"kind": "hazard", "note": "wet floor", "photos": [],
                                       "tag_code": world.tags["a_toilet"]["code"],
                                       "occurred_at": datetime.now(UTC).isoformat()})]), "application/json")})),
        "/console/logout": ("logout", lambda: console.post("/console/logout", {}, follow_redirects=False)),
    }
    assert console_posts(console.client.app) == set(walk), "a console POST handler is not walked here"

    await console.login("supervisor")
    for path, (action, call) in walk.items():
        before = await AuditLog.count().where((AuditLog.action == action) & (AuditLog.actor == sup_id)).run()
        r = await call()
        assert r.status_code < 400, (path, r.status_code, r.text[:300])
        after = await AuditLog.count().where((AuditLog.action == action) & (AuditLog.actor == sup_id)).run()
        assert after == before + 1, (path, action)
    assert (await console.client.get("/console", follow_redirects=False)).status_code in (302, 303)  # logged out
    assert (await findings.finding_detail(await user(world, "supervisor"), fid))["finding"]["status"] == "fixed"
