"""Only team leads, inspectors, supervisors and managers re-inspect (复查) a
rectification: a field worker's visit there, or the owner's own, is kept in
the history as a field check but neither closes nor fails it."""


import pytest

from server.db.tables import Finding, FindingEvent
from tests.factories import build_world
from tests.supervision_support import rectifying_finding, send_visit, user


async def _state(fid: int) -> tuple[str, list[tuple[str, str]]]:
    row = await Finding.select(Finding.status).where(Finding.id == fid).first().run()
    events = await FindingEvent.select(FindingEvent.kind, FindingEvent.passed).where(
        (FindingEvent.finding == fid) & (FindingEvent.kind != "rectification")).order_by(FindingEvent.id).run()
    return row["status"], [(e["kind"], e["passed"]) for e in events]


async def test_field_staff_and_the_owner_do_not_close_it(engine):
    world = await build_world()
    fid = await rectifying_finding(world)
    await send_visit(world, await user(world, "guard"), floor="pass")  # a guard passing by
    await send_visit(world, await user(world, "cleaner"), floor="pass", kind="self_check")  # the owner
    assert await _state(fid) == ("rectifying", [("field_check", "yes"), ("field_check", "yes")])
    # ...and their failures open no second finding: the rectification tracks it.
    await send_visit(world, await user(world, "technician"), floor="fail")
    assert await Finding.count().run() == 1
    assert (await _state(fid))[0] == "rectifying"


@pytest.mark.parametrize("role", ["team_lead", "inspector", "supervisor", "manager"])
async def test_re_inspector_roles_decide(engine, role):
    world = await build_world()
    fid = await rectifying_finding(world)
    await send_visit(world, await user(world, role), floor="fail")
    assert await _state(fid) == ("rectifying", [("reinspection", "no")])
    await send_visit(world, await user(world, role), floor="pass")
    assert await _state(fid) == ("closed", [("reinspection", "no"), ("reinspection", "yes")])


async def test_an_owner_who_is_a_team_lead_cannot_re_inspect_their_own_fix(engine):
    world = await build_world()
    fid = await rectifying_finding(world, "team_lead")
    await send_visit(world, await user(world, "team_lead"), floor="pass")
    assert await _state(fid) == ("rectifying", [("field_check", "yes")])
    await send_visit(world, await user(world, "inspector"), floor="pass")
    assert (await _state(fid))[0] == "closed"
