"""Importing a site as an admin assigns only people that admin may manage: a
username in the file that belongs to another property is left unassigned and
reported, not pulled into the new site."""

from server.db.tables import Location, Round
from server.services import setup_locations, site_transfer


async def test_names_of_people_at_other_sites_are_reported_not_assigned(world, admin):
    await setup_locations.update(world.site_a, world.locations["a_toilet"], {
        "kind": "point", "name_zh": "卫生间", "responsible": world.users["cleaner"]}, actor=admin)
    doc = await site_transfer.export_site(world.site_a)
    pump = next(loc for loc in doc["locations"] if loc["key"] == "pump")
    pump["responsible"] = "outsider"  # a guard of site B only
    doc["rounds"][0]["assignee"] = "outsider"
    summary = await site_transfer.import_site(doc, actor=admin, code="alpha-2", fresh_labels=True)
    assert summary["unknown_users"] == ["outsider"]
    locs = {r["key"]: r for r in await Location.select().where(Location.site == summary["site_id"]).run()}
    assert locs["pump"]["responsible"] is None
    assert locs["toilet"]["responsible"] == world.users["cleaner"]  # a colleague of the admin's is kept
    rnd = await Round.select().where(Round.site == summary["site_id"]).first().run()
    assert rnd["assignee"] is None
