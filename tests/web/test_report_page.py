"""Daily patrol report page: printable page, CSV download, sign-off buttons."""

from datetime import UTC, datetime, timedelta

from server.domain import schedule
from tests.supervision_support import send_visit, user


async def test_report_page_csv_and_signoff(console):
    await send_visit(console.world, await user(console.world, "team_lead"), round_id=console.world.round_id)
    site = console.world.site_a
    today = schedule.local_today(datetime.now(UTC), "Asia/Shanghai")
    yesterday = today - timedelta(days=1)
    await console.login("supervisor")
    r = await console.client.get(f"/console/reports?site={site}&day={today.isoformat()}")
    assert r.status_code == 200 and 'id="t-visits">1<' in r.text and "/sign" not in r.text
    csv = await console.client.get(f"/console/reports/{site}/{today.isoformat()}/csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "Totals,visits,Visits,1," in csv.text.replace("\r", "")
    r = await console.client.get(f"/console/reports?site={site}")  # defaults to yesterday
    assert yesterday.isoformat() in r.text and "/sign" in r.text
    s = await console.post(f"/console/reports/{site}/{yesterday.isoformat()}/sign", {"note": "ok"},
                           follow_redirects=False)
    assert s.status_code == 303
    await console.login("manager")
    r = await console.client.get(s.headers["location"])
    assert "Countersign" in r.text
    s = await console.post(f"/console/reports/{site}/{yesterday.isoformat()}/sign", {}, follow_redirects=False)
    assert s.status_code == 303
    r = await console.client.get(s.headers["location"])
    assert r.text.count('class="signed"') == 2
    again = await console.post(f"/console/reports/{site}/{yesterday.isoformat()}/sign", {})
    assert again.status_code == 409
    bad = await console.client.get(f"/console/reports?site={site}&day=2026-13-45")
    assert bad.status_code == 422


async def test_incident_kinds_disagreements_and_signed_changes_are_shown(console):
    import uuid
    from datetime import time
    from zoneinfo import ZoneInfo

    from server.db.tables import Incident
    from server.services import reports, spot_checks
    from tests.supervision_support import SECRET

    world = console.world
    zone = ZoneInfo("Asia/Shanghai")
    yesterday = schedule.local_today(datetime.now(UTC), "Asia/Shanghai") - timedelta(days=1)
    at = datetime.combine(yesterday, time(10, 0), tzinfo=zone)
    await Incident.insert(Incident(client_uuid=uuid.uuid4(), fingerprint="x", user=world.users["guard"],
                                   site=world.site_a, kind="suspicious_person", note="门口徘徊", occurred_at=at,
                                   received_at=at)).run()
    sup = await user(world, "supervisor")
    await reports.sign(sup, world.site_a, yesterday, secret=SECRET)
    await send_visit(world, await user(world, "team_lead"), at=at)  # synced after the signature
    await console.login("supervisor")
    r = await console.client.get(f"/console/reports?site={world.site_a}&day={yesterday.isoformat()}")
    assert 'data-kind="suspicious_person"' in r.text and "Suspicious person" in r.text
    assert "suspicious_person ·" not in r.text  # never the raw code
    assert 'id="signed-changes"' in r.text and 'data-key="visits"' in r.text

    # today: a spot check that disagrees with the cleaner is listed
    cleaner, inspector = await user(world, "cleaner"), await user(world, "inspector")
    await send_visit(world, cleaner, kind="self_check")
    await spot_checks.ensure_daily(inspector, world.site_a, secret=SECRET)
    await send_visit(world, inspector, floor="fail", kind="spot_check")
    today = yesterday + timedelta(days=1)
    r = await console.client.get(f"/console/reports?site={world.site_a}&day={today.isoformat()}")
    assert 'id="t-disagree">1<' in r.text and 'id="disagreements"' in r.text
    await console.post("/console/language", {"language": "zh-CN"}, follow_redirects=False)
    r = await console.client.get(f"/console/reports?site={world.site_a}&day={yesterday.isoformat()}")
    assert "可疑人员" in r.text and "签字后数据有变化" in r.text
