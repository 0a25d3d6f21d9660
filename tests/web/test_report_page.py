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
    assert "totals,visits,1," in csv.text.replace("\r", "")
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
