"""A signature keeps the report's totals as they stood; when a late sync (or a
finding closed since) moves the live figures, the report shows the signed and
the live value side by side."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.db.tables import ReportSignoff
from server.domain import schedule
from server.services import reports
from tests.factories import build_world
from tests.supervision_support import SECRET, send_visit, user


async def test_live_totals_beside_the_signed_ones(engine):
    world = await build_world()
    sup, lead = await user(world, "supervisor"), await user(world, "team_lead")
    zone = ZoneInfo("Asia/Shanghai")
    yesterday = schedule.local_today(datetime.now(UTC), "Asia/Shanghai") - timedelta(days=1)
    await send_visit(world, lead, at=datetime.combine(yesterday, time(9, 0), tzinfo=zone))
    assert (await reports.daily_report(sup, world.site_a, yesterday, secret=SECRET))["signed_changes"] == []
    await reports.sign(sup, world.site_a, yesterday, secret=SECRET)
    r = await reports.daily_report(sup, world.site_a, yesterday, secret=SECRET)
    assert r["signed_changes"] == [] and r["signoffs"][0]["totals"]["visits"] == 1

    # A phone that was offline yesterday syncs a failed visit of 15:00 today.
    await send_visit(world, lead, floor="fail", at=datetime.combine(yesterday, time(15, 0), tzinfo=zone))
    r = await reports.daily_report(sup, world.site_a, yesterday, secret=SECRET)
    changes = {c["key"]: (c["signed"], c["live"]) for c in r["signed_changes"]}
    assert changes["visits"] == (1, 2) and changes["visits_with_failures"] == (0, 1)
    assert set(changes) == {"visits", "visits_with_failures"}  # only what moved
    stored = await ReportSignoff.select(ReportSignoff.totals).output(load_json=True).first().run()
    assert stored["totals"]["visits"] == 1  # the signature itself is never rewritten
