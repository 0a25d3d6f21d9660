"""The daily report's CSV speaks the reader's language (headers, sections,
labels, incident kinds), keeps stable codes in its own column, cannot smuggle
a formula into a spreadsheet, and its export is audited."""

import csv
import io
import uuid
from datetime import UTC, datetime

from server.db.tables import AuditLog, Incident
from server.domain import schedule
from server.services import reports
from tests.factories import build_world
from tests.supervision_support import SECRET, send_visit, user


async def _report_day(world):
    now = datetime.now(UTC)
    await send_visit(world, await user(world, "team_lead"), round_id=world.round_id)
    await Incident.insert(Incident(client_uuid=uuid.uuid4(), fingerprint="x", user=world.users["guard"],
                                   site=world.site_a, location=world.locations["a_toilet"], kind="suspicious_person",
                                   note='=HYPERLINK("http://evil.example","点我")', occurred_at=now,
                                   received_at=now)).run()
    return schedule.local_today(now, "Asia/Shanghai")


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


async def test_csv_in_the_readers_language_with_guarded_cells(engine):
    world = await build_world()
    day = await _report_day(world)
    sup = await user(world, "supervisor")
    report = await reports.daily_report(sup, world.site_a, day, secret=SECRET)

    zh = _rows(reports.to_csv(report, "zh-CN"))
    assert zh[0] == ["类别", "代码", "项目", "数值", "说明"]
    totals = {r[1]: r for r in zh if r[0] == "合计"}
    assert totals["visits"][2] == "检查次数" and totals["visits"][3] == "1"
    [incident] = [r for r in zh if r[0] == "事件"]
    assert incident[1] == "suspicious_person" and incident[2] == "可疑人员"
    assert incident[4].endswith('=HYPERLINK("http://evil.example","点我")')  # kept, but not at the start
    en = _rows(reports.to_csv(report, "en"))
    assert en[0] == ["Section", "Code", "Item", "Value", "Detail"]
    [incident_en] = [r for r in en if r[0] == "Incidents"]
    assert incident_en[2] == "Suspicious person"
    # No cell starts with a formula character.
    for r in zh + en:
        for c in r:
            assert not c.startswith(("=", "+", "@", "\t", "\r")), c
            assert not (c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit()), c


async def test_a_formula_at_the_start_of_a_cell_is_neutralised(engine):
    world = await build_world()
    day = await _report_day(world)
    await Incident.update({Incident.note: ""}, force=True).run()
    from server.db.tables import User

    await User.update({User.display_name: "=cmd|' /C calc'!A0"}).where(User.id == world.users["manager"]).run()
    sup, mgr = await user(world, "supervisor"), await user(world, "manager")
    report = await reports.daily_report(sup, world.site_a, day, secret=SECRET)
    report["signoffs"] = [{"stage": "signed", "name": mgr.display_name, "signed_at": datetime.now(UTC)}]
    [signed] = [r for r in _rows(reports.to_csv(report, "en")) if r[0] == "Sign-off"]
    assert signed[3] == "'=cmd|' /C calc'!A0"


async def test_the_export_is_audited(engine):
    world = await build_world()
    day = await _report_day(world)
    sup = await user(world, "supervisor")
    _, text = await reports.export_csv(sup, world.site_a, day, secret=SECRET)
    assert text.splitlines()[0] == "Section,Code,Item,Value,Detail"  # the supervisor reads English
    row = await AuditLog.select().where(AuditLog.action == "report.export_csv").first().run()
    assert row["actor"] == sup.id and row["site"] == world.site_a and row["object_id"] == day.isoformat()
