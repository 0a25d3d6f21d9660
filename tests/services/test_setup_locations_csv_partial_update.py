"""Importing an update CSV writes only the columns the file has: parents,
types, departments, responsible people, checklists and names it leaves out
stay as they were."""

from server.db.tables import AuditLog, Location
from server.services import setup_locations


async def test_a_partial_file_changes_only_its_columns(world, admin):
    toilet = world.locations["a_toilet"]
    await setup_locations.update(world.site_a, toilet, {
        "kind": "point", "type": "toilet", "name_zh": "卫生间", "name_en": "Toilet", "department": "cleaning",
        "responsible": world.users["cleaner"], "template": "", "parent": ""}, actor=admin)
    before = await Location.select().where(Location.id == toilet).first().run()
    text = "key,kind,name_en\ntoilet,point,Ground floor toilet\npump,point,pump\n"
    plan = await setup_locations.import_preview(world.site_a, text, actor=admin)
    assert plan.ok and [r.action for r in plan.rows] == ["update", "unchanged"]
    result = await setup_locations.import_commit(world.site_a, text, actor=admin)
    assert result == {"created": 0, "updated": 1}
    after = await Location.select().where(Location.id == toilet).first().run()
    assert after["name_en"] == "Ground floor toilet"
    assert {k: v for k, v in after.items() if k != "name_en"} == {k: v for k, v in before.items() if k != "name_en"}
    audit = await AuditLog.select().where(AuditLog.action == "setup.location.import").output(load_json=True).first().run()
    assert audit["detail"]["changes"] == {"toilet": ["name_en"]} and audit["detail"]["unchanged"] == 1


async def test_a_blank_parent_column_moves_to_the_top_and_shows_the_old_parent(world, admin):
    text = "key,kind,parent_key\ntoilet,point,\n"
    plan = await setup_locations.import_preview(world.site_a, text, actor=admin)
    assert plan.ok and plan.rows[0].changes == {"parent_key": ("f1", "")}
