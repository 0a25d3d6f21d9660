"""Create, move, retire (with history kept) and restore locations."""

import pytest

from server.db.tables import AuditLog, Location, Round, Tag
from server.domain.errors import RoundsError
from server.services import setup_locations


async def test_create_rename_and_move(world, admin):
    b = await setup_locations.create(world.site_a, {"key": "b2", "kind": "building", "name_zh": "二号楼"}, actor=admin)
    z = await setup_locations.create(world.site_a, {"key": "b2-z", "kind": "zone", "name_en": "Car park",
                                                    "parent": b, "responsible": world.users["guard"],
                                                    "department": "security"}, actor=admin)
    await setup_locations.update(world.site_a, z, {"kind": "zone", "name_zh": "停车场", "name_en": "Car park",
                                                   "parent": "", "department": "security"}, actor=admin)
    row = await Location.select().where(Location.id == z).first().run()
    assert row["parent"] is None and row["name_zh"] == "停车场" and row["responsible"] is None
    assert await AuditLog.exists().where(AuditLog.action == "setup.location.move").run()


@pytest.mark.parametrize("values,field", [
    ({"key": "x y", "kind": "zone", "name_zh": "区"}, "key"),
    ({"key": "x", "kind": "room", "name_zh": "区"}, "kind"),
    ({"key": "x", "kind": "zone"}, "name_zh"),
    ({"key": "x", "kind": "building", "name_zh": "楼", "parent": "PARENT"}, "parent"),
])
async def test_bad_input_names_the_field_and_writes_nothing(world, admin, values, field):
    floor = (await Location.select(Location.id).where(Location.key == "f1").first().run())["id"]
    values = {k: (floor if v == "PARENT" else v) for k, v in values.items()}
    before = await Location.count().run()
    with pytest.raises(RoundsError) as exc:
        await setup_locations.create(world.site_a, values, actor=admin)
    assert exc.value.detail["field"] == field and await Location.count().run() == before


async def test_a_location_cannot_move_under_itself_or_a_checkpoint(world, admin):
    b = await setup_locations.create(world.site_a, {"key": "b2", "kind": "building", "name_zh": "楼"}, actor=admin)
    f = await setup_locations.create(world.site_a, {"key": "b2-f", "kind": "floor", "name_zh": "层", "parent": b},
                                     actor=admin)
    z = await setup_locations.create(world.site_a, {"key": "b2-z", "kind": "zone", "name_zh": "区", "parent": f},
                                     actor=admin)
    with pytest.raises(RoundsError):
        await setup_locations.update(world.site_a, f, {"kind": "floor", "name_zh": "层", "parent": z}, actor=admin)
    with pytest.raises(RoundsError):
        await setup_locations.update(world.site_a, z, {"kind": "zone", "name_zh": "区",
                                                       "parent": world.locations["a_pump"]}, actor=admin)


async def test_retire_keeps_history_revokes_labels_and_refuses_round_checkpoints(world, admin):
    floor = (await Location.select(Location.id).where(
        (Location.key == "f1") & (Location.site == world.site_a)).first().run())["id"]
    with pytest.raises(RoundsError) as exc:
        await setup_locations.retire(world.site_a, floor, actor=admin)  # a_toilet is on the round
    assert exc.value.code == "location_in_use"
    await Round.update({Round.active: False}).where(Round.id == world.round_id).run()
    assert await setup_locations.retire(world.site_a, floor, actor=admin) == 4
    assert await Location.count().where(Location.id.is_in([floor, world.locations["a_toilet"]])).run() == 2  # kept
    assert not await Tag.exists().where((Tag.site == world.site_a) & Tag.revoked_at.is_null()).run()
    assert [r["key"] for r in await setup_locations.tree(world.site_a)] == []
    await setup_locations.restore(world.site_a, floor, actor=admin)
    assert [r["key"] for r in await setup_locations.tree(world.site_a)] == ["f1"]
