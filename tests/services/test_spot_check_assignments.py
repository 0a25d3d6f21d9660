"""Spot checks: each inspector's daily list is sampled from recent visits,
the same list on every call (seeded), appears in the inspector's pack, and a
spot-check visit at that place completes it; a disagreement is recorded
against the original visit."""

import uuid
from datetime import UTC, datetime

from server.db.tables import SpotCheckAssignment
from server.domain import sampling
from server.services import spot_checks
from server.services.pack import build_pack
from server.services.visits import ingest_visit
from tests.factories import build_world, visit_body
from tests.supervision_support import SECRET, send_visit, user


async def test_daily_list_pack_and_comparison(engine):
    world = await build_world()
    cleaner = await user(world, "cleaner")
    inspector = await user(world, "inspector")
    original = await send_visit(world, cleaner, kind="self_check")  # floor passes

    day = await spot_checks.ensure_daily(inspector, world.site_a, secret=SECRET)
    rows = await SpotCheckAssignment.select().where(SpotCheckAssignment.inspector == inspector.id).run()
    assert [r["original_visit"] for r in rows] == [original["id"]]
    assert rows[0]["day"] == day and rows[0]["weight"] >= 1
    # Asking again does not draw again.
    await spot_checks.ensure_daily(inspector, world.site_a, secret=SECRET)
    assert await SpotCheckAssignment.count().run() == 1

    pack, _ = await build_pack(inspector, secret=SECRET)
    assert pack["spot_checks"] == [{
        "assignment_id": rows[0]["id"], "location_id": world.locations["a_toilet"],
        "template_version_id": world.versions["a_toilet"], "original_visit_uuid": original["client_uuid"],
        "day": day.isoformat()}]
    cleaner_pack, _ = await build_pack(cleaner, secret=SECRET)
    assert cleaner_pack["spot_checks"] == []

    # The inspector finds litter where the cleaner said the floor was fine.
    spot = await send_visit(world, inspector, floor="fail", kind="spot_check")
    row = await SpotCheckAssignment.select().where(SpotCheckAssignment.id == rows[0]["id"]).output(
        load_json=True).first().run()
    assert row["spot_visit"] == spot["id"] and row["outcome"] == "disagree"
    assert row["disagreements"] == [{"item": "floor", "original_failed": False, "spot_failed": True}]
    pack, _ = await build_pack(inspector, secret=SECRET)
    assert pack["spot_checks"] == []

    cmp = await spot_checks.comparison(await user(world, "supervisor"), row["id"])
    assert [i["item"]["id"] for i in cmp["items"] if i["disagree"]] == ["floor"]


async def test_the_draw_is_reproducible_for_a_seed(engine):
    world = await build_world()
    cleaner = await user(world, "cleaner")
    inspector = await user(world, "inspector")
    for where in ("a_toilet", "a_pump"):
        if where == "a_pump":
            body_answers = [{"item": "pressure", "value": 0.5}, {"item": "leaks", "value": "pass"}]
            tech = await user(world, "technician")
            await ingest_visit(tech, str(uuid.uuid4()), visit_body(
                world, tag_code=world.tags["a_pump"]["code"], template_version_id=world.versions["a_pump"],
                answers=body_answers), secret=SECRET)
        else:
            await send_visit(world, cleaner, kind="self_check")
    pool = await spot_checks.candidates(world.site_a, inspector.id, datetime.now(UTC))
    assert len(pool) == 2
    a = [c.visit_id for c in sampling.sample(pool, 1, seed=7)]
    b = [c.visit_id for c in sampling.sample(list(reversed(pool)), 1, seed=7)]
    assert a == b
