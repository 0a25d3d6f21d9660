"""Finding → rectification → fix evidence from the owner's phone → failed
re-inspection → fixed again → passed re-inspection, every attempt kept; and
fixed on the spot."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from server.db.tables import AuditLog, Finding, FindingEvent
from server.domain.errors import RoundsError
from server.services import findings
from server.storage.local import LocalStore
from tests.factories import build_world
from tests.supervision_support import photo, send_visit, user


async def _finding(world) -> int:
    cleaner = await user(world, "cleaner")
    await send_visit(world, cleaner, floor="fail", kind="self_check")
    return (await Finding.select(Finding.id).first().run())["id"]


async def test_rectification_until_re_inspection_passes(engine, tmp_path):
    world = await build_world()
    fid = await _finding(world)
    sup = await user(world, "supervisor")
    cleaner = await user(world, "cleaner")
    lead = await user(world, "team_lead")
    store = LocalStore(tmp_path / "blobs", signing_key=b"k" * 32)

    await findings.open_rectification(sup, fid, owner_id=cleaner.id,
                                      deadline=datetime.now(UTC) + timedelta(hours=4), note="今天下班前")
    assert (await Finding.select().where(Finding.id == fid).first().run())["status"] == "rectifying"
    assert [t["stage"] for t in await findings.rectification_tasks(cleaner)] == ["to_fix"]

    async def fix(note: str) -> None:
        fix_uuid = str(uuid.uuid4())
        after = await photo(cleaner, store, visit_uuid=None, item="floor", fix=fix_uuid)
        created, _ = await findings.submit_fix(cleaner, fix_uuid, {
            "finding_id": fid, "note": note, "photos": [after], "fixed_at": datetime.now(UTC).isoformat()})
        assert created

    await fix("已清扫")  # the owner's fix evidence, from the phone
    assert [t["stage"] for t in await findings.rectification_tasks(cleaner)] == ["fix_submitted"]
    await send_visit(world, lead, floor="fail")  # re-inspection fails: still rectifying, no new finding
    row = await Finding.select().where(Finding.id == fid).first().run()
    assert row["status"] == "rectifying"
    assert await Finding.count().run() == 1
    tasks = await findings.rectification_tasks(cleaner)
    assert tasks[0]["stage"] == "reinspection_failed" and tasks[0]["reinspection_note"] == "垃圾 litter"

    await fix("重新清扫")  # fixed again
    await send_visit(world, lead, floor="pass")  # re-inspection passes: closed
    row = await Finding.select().where(Finding.id == fid).first().run()
    assert row["status"] == "closed" and row["closed_at"] is not None
    assert await findings.rectification_tasks(cleaner) == []

    events = await FindingEvent.select(FindingEvent.kind, FindingEvent.passed, FindingEvent.note).where(
        FindingEvent.finding == fid).order_by(FindingEvent.id).run()
    assert [(e["kind"], e["passed"]) for e in events] == [
        ("rectification", ""), ("fix_submitted", ""), ("reinspection", "no"), ("fix_submitted", ""),
        ("reinspection", "yes")]
    assert events[1]["note"] == "已清扫" and events[3]["note"] == "重新清扫"
    actions = [r["action"] for r in await AuditLog.select(AuditLog.action).run()]
    assert actions.count("finding.fix_submitted") == 2 and actions.count("finding.reinspection") == 2
    assert "finding.rectification" in actions

    detail = await findings.finding_detail(sup, fid, store)
    assert len(detail["events"]) == 5 and detail["item"]["id"] == "floor"
    assert all(p["urls"] for p in detail["events"][1]["photo_links"])  # the after-photo is shown

    # A later failure at that place is a new problem: a new finding.
    await send_visit(world, lead, floor="fail")
    assert await Finding.count().run() == 2


async def test_overdue_rectifications_are_listed_first(engine):
    world = await build_world()
    cleaner = await user(world, "cleaner")
    sup = await user(world, "supervisor")
    for _ in range(3):
        await send_visit(world, cleaner, floor="fail", kind="self_check")
    ids = [r["id"] for r in await Finding.select(Finding.id).order_by(Finding.id).run()]
    await findings.open_rectification(sup, ids[1], owner_id=cleaner.id, deadline=datetime.now(UTC) + timedelta(hours=1))
    later = datetime.now(UTC) + timedelta(hours=3)
    rows = await findings.list_findings(sup, world.site_a, at=later)
    assert rows[0]["id"] == ids[1] and rows[0]["overdue"]
    assert [r["overdue"] for r in rows[1:]] == [False, False]


async def test_fixed_on_the_spot_needs_the_after_photo(engine, tmp_path):
    world = await build_world()
    fid = await _finding(world)
    sup = await user(world, "supervisor")
    with pytest.raises(RoundsError) as exc:
        await findings.fix_on_spot(sup, fid, photo_uuids=[])
    assert exc.value.code == "validation_error"
    store = LocalStore(tmp_path / "blobs", signing_key=b"k" * 32)
    after = await photo(sup, store, visit_uuid=None, item="floor")
    await findings.fix_on_spot(sup, fid, photo_uuids=[after], note="已清扫")
    row = await Finding.select().where(Finding.id == fid).first().run()
    assert row["status"] == "fixed"
    ev = await FindingEvent.select().where(FindingEvent.finding == fid).output(load_json=True).first().run()
    assert ev["kind"] == "fixed_on_spot" and ev["photos"] == [after]
    with pytest.raises(RoundsError) as exc:
        await findings.fix_on_spot(sup, fid, photo_uuids=[after])
    assert exc.value.code == "conflict"


async def test_who_may_act_on_findings(engine):
    world = await build_world()
    fid = await _finding(world)
    deadline = datetime.now(UTC) + timedelta(hours=4)
    for role in ("inspector", "cleaner"):
        with pytest.raises(RoundsError) as exc:
            await findings.open_rectification(await user(world, role), fid, owner_id=world.users["cleaner"],
                                              deadline=deadline)
        assert exc.value.code == "forbidden"
    sup = await user(world, "supervisor")
    for kwargs, code in [({"owner_id": world.outsider, "deadline": deadline}, "validation_error"),
                         ({"owner_id": world.users["cleaner"], "deadline": datetime.now(UTC) - timedelta(hours=1)},
                          "validation_error")]:
        with pytest.raises(RoundsError) as exc:
            await findings.open_rectification(sup, fid, **kwargs)
        assert exc.value.code == code
    assert (await Finding.select().where(Finding.id == fid).first().run())["status"] == "open"
    assert await FindingEvent.count().run() == 0
