"""An ordered round walked out of order: the visit that skipped ahead carries
the out_of_order integrity flag on the visit detail page, naming the stop that
was still due; walking on in order is not flagged."""

from datetime import UTC, datetime, timedelta

from server.db.tables import Round, RoundCheckpoint, Visit
from tests.supervision_support import send_visit, user


async def _pump_first(world) -> None:
    """The world's ordered round becomes: pump (stop 1), then toilet (stop 2)."""
    toilet_t = (await RoundCheckpoint.select(RoundCheckpoint.template).where(
        RoundCheckpoint.round == world.round_id).first().run())["template"]
    await RoundCheckpoint.insert(RoundCheckpoint(round=world.round_id, location=world.locations["a_pump"],
                                                 template=toilet_t, position=0)).run()


async def test_skipping_ahead_on_an_ordered_round_is_flagged_on_the_visit_page(console):
    world = console.world
    await _pump_first(world)
    lead = await user(world, "team_lead")
    now = datetime.now(UTC)
    skipped = await send_visit(world, lead, round_id=world.round_id, at=now - timedelta(minutes=10))
    back = await send_visit(world, lead, where="a_pump", round_id=world.round_id, at=now - timedelta(minutes=5))
    await console.login("supervisor")
    page = await console.client.get(f"/console/visits/{skipped['id']}")
    assert page.status_code == 200
    assert 'data-flag="out_of_order"' in page.text
    assert "stop 2 of an ordered round, but stop 1 (pump) was not done yet" in page.text
    later = await console.client.get(f"/console/visits/{back['id']}")
    assert 'data-flag="out_of_order"' not in later.text

    # the same walk on a round in any order: nothing to flag
    await Round.update({Round.ordered: False}).where(Round.id == world.round_id).run()
    again = await console.client.get(f"/console/visits/{skipped['id']}")
    assert 'data-flag="out_of_order"' not in again.text


async def test_in_order_walk_and_another_walkers_visits_are_not_flagged(console):
    world = console.world
    await _pump_first(world)
    lead = await user(world, "team_lead")
    other = await user(world, "supervisor")
    now = datetime.now(UTC)
    await send_visit(world, lead, where="a_pump", round_id=world.round_id, at=now - timedelta(minutes=10))
    in_order = await send_visit(world, lead, round_id=world.round_id, at=now - timedelta(minutes=5))
    # someone else's first scan of the day skips stop 1: flagged for them, whatever the lead did
    theirs = await send_visit(world, other, round_id=world.round_id, at=now - timedelta(minutes=2))
    await console.login("supervisor")
    assert 'data-flag="out_of_order"' not in (await console.client.get(f"/console/visits/{in_order['id']}")).text
    assert 'data-flag="out_of_order"' in (await console.client.get(f"/console/visits/{theirs['id']}")).text
    assert await Visit.count().where(Visit.round == world.round_id).run() == 3
