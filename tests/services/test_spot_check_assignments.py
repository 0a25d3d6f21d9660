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
from tests.factories import build_world
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


async def _more_toilets(world, n: int) -> list[str]:
    """n more toilets on site A, each with its label; returns their tag codes."""
    from server.db.tables import Location, Tag

    now = datetime.now(UTC)
    template = (await Location.select(Location.template).where(
        Location.id == world.locations["a_toilet"]).first().run())["template"]
    codes = []
    for i in range(n):
        loc = (await Location.insert(Location(site=world.site_a, key=f"t{i}", kind="point", type="toilet",
                                              name_zh=f"卫生间{i}", name_en=f"Toilet {i}", template=template,
                                              created_at=now)).run())[0]["id"]
        code = f"extra-{i}-{uuid.uuid4().hex[:10]}"
        await Tag.insert(Tag(site=world.site_a, location=loc, code=code, short_code=f"EX{i:04d}",
                             issued_at=now)).run()
        codes.append(code)
    return codes


async def test_the_draw_is_reproducible_for_a_seed(engine):
    """Twelve places visited, three drawn a day, through the real daily list:
    the same secret, site, inspector and day always give the same list in the
    same order; another secret gives another list."""
    world = await build_world()
    cleaner = await user(world, "cleaner")
    inspector = await user(world, "inspector")
    codes = await _more_toilets(world, 12)
    for i, code in enumerate(codes):
        await send_visit(world, cleaner, kind="self_check", floor="fail" if i % 3 == 0 else "pass",
                         tag_code=code)
    at = datetime.now(UTC)

    async def draw(secret: str) -> list[int]:
        await SpotCheckAssignment.delete(force=True).run()
        day = await spot_checks.ensure_daily(inspector, world.site_a, secret=secret, at=at)
        rows = await SpotCheckAssignment.select().where(SpotCheckAssignment.day == day).order_by(
            SpotCheckAssignment.rank).run()
        return [r["original_visit"] for r in rows]

    first = await draw(SECRET)
    assert len(first) == spot_checks.PER_DAY == 3 and len(set(first)) == 3
    assert await draw(SECRET) == first  # drawn again from scratch: the same list, in the same order
    pool = await spot_checks.candidates(world.site_a, inspector.id, at)
    assert len(pool) == 12
    day = (await SpotCheckAssignment.select(SpotCheckAssignment.day).first().run())["day"]
    seed = sampling.seed_for(SECRET, "spot", world.site_a, inspector.id, day)
    assert [c.visit_id for c in sampling.sample(list(reversed(pool)), 3, seed)] == first
    others = {tuple(await draw(f"another-secret-{i}-0123456789abcdefghijklmnop")) for i in range(5)}
    assert any(o != tuple(first) for o in others)
