"""The daily patrol report: totals match the visits, CSV carries them, the
supervisor signs off and the manager countersigns, in that order."""

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.db.tables import Finding, Incident, ReportSignoff
from server.domain import schedule
from server.domain.errors import RoundsError
from server.services import findings, reports
from tests.factories import build_world
from tests.supervision_support import SECRET, send_visit, user


async def test_totals_match_the_visits(engine):
    world = await build_world()
    cleaner, lead, sup = [await user(world, r) for r in ("cleaner", "team_lead", "supervisor")]
    for floor in ("pass", "fail", "pass"):
        await send_visit(world, cleaner, floor=floor, kind="self_check")
    await send_visit(world, lead, round_id=world.round_id)
    now = datetime.now(UTC)
    await Incident.insert(Incident(client_uuid=uuid.uuid4(), fingerprint="x", user=world.users["guard"],
                                   site=world.site_a, kind="hazard", note="漏水", occurred_at=now,
                                   received_at=now)).run()
    day = schedule.local_today(now, "Asia/Shanghai")
    r = await reports.daily_report(sup, world.site_a, day, secret=SECRET)
    t = r["totals"]
    assert (t["visits"], t["visits_with_failures"], t["findings_opened"], t["findings_closed"]) == (4, 1, 1, 0)
    assert t["incidents"] == 1 and t["open_carried_forward"] == 1
    assert t["rounds_done"] == 1 and t["occurrences"] == 1 and t["compliance_pct"] == 100.0
    assert not r["final"]

    fid = (await Finding.select(Finding.id).first().run())["id"]
    await findings.open_rectification(sup, fid, owner_id=cleaner.id, deadline=now + timedelta(hours=2))
    await send_visit(world, lead, floor="pass")  # re-inspection passes
    t = (await reports.daily_report(sup, world.site_a, day, secret=SECRET))["totals"]
    assert (t["findings_opened"], t["findings_closed"], t["open_carried_forward"], t["visits"]) == (1, 1, 0, 5)

    rows = list(csv.reader(io.StringIO(reports.to_csv(await reports.daily_report(sup, world.site_a, day,
                                                                                  secret=SECRET), "en"))))
    got = {row[1]: row[3] for row in rows if row[0] == "Totals"}
    assert got["visits"] == "5" and got["incidents"] == "1" and got["findings_closed"] == "1"


async def test_sign_off_then_countersign(engine):
    world = await build_world()
    sup, mgr, lead = [await user(world, r) for r in ("supervisor", "manager", "team_lead")]
    yesterday = schedule.local_today(datetime.now(UTC), "Asia/Shanghai") - timedelta(days=1)
    today = yesterday + timedelta(days=1)

    with pytest.raises(RoundsError) as exc:
        await reports.sign(sup, world.site_a, today, secret=SECRET)
    assert exc.value.code == "validation_error"  # the day is not over
    with pytest.raises(RoundsError) as exc:
        await reports.sign(mgr, world.site_a, yesterday, secret=SECRET)
    assert exc.value.code == "conflict"  # nothing to countersign yet
    with pytest.raises(RoundsError) as exc:
        await reports.sign(lead, world.site_a, yesterday, secret=SECRET)
    assert exc.value.code == "forbidden"

    assert await reports.sign(sup, world.site_a, yesterday, secret=SECRET, note="正常") == "signed"
    with pytest.raises(RoundsError) as exc:
        await reports.sign(sup, world.site_a, yesterday, secret=SECRET)
    assert exc.value.code == "conflict"
    assert await reports.sign(mgr, world.site_a, yesterday, secret=SECRET) == "countersigned"
    rows = await ReportSignoff.select(ReportSignoff.stage).order_by(ReportSignoff.id).run()
    assert [r["stage"] for r in rows] == ["signed", "countersigned"]
    r = await reports.daily_report(mgr, world.site_a, yesterday, secret=SECRET)
    assert [s["stage"] for s in r["signoffs"]] == ["signed", "countersigned"]
