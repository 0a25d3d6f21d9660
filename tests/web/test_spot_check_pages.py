"""Spot-check pages: the inspector's list is made on first visit; the
comparison shows original vs spot check item by item."""

from server.db.tables import SpotCheckAssignment
from tests.supervision_support import send_visit, user


async def test_inspector_list_and_comparison(console):
    world = console.world
    await send_visit(world, await user(world, "cleaner"), kind="self_check")
    await console.login("inspector")
    r = await console.client.get("/console/spot-checks")
    assert r.status_code == 200 and "data-assignment=" in r.text
    aid = (await SpotCheckAssignment.select(SpotCheckAssignment.id).first().run())["id"]
    await send_visit(world, await user(world, "inspector"), floor="fail", kind="spot_check")
    r = await console.client.get(f"/console/spot-checks/{aid}")
    assert r.status_code == 200 and 'data-item="floor" data-disagree="yes"' in r.text
    await console.login("supervisor")
    r = await console.client.get("/console/spot-checks")
    assert "Disagrees" in r.text
    await console.login("team_lead")
    assert (await console.client.get(f"/console/spot-checks/{aid}")).status_code == 403


async def test_empty_state(console):
    await console.login("inspector")
    r = await console.client.get("/console/spot-checks")
    assert r.status_code == 200 and "No spot checks yet" in r.text
