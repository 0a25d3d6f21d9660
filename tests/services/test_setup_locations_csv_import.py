"""CSV import: a file with errors writes nothing; a clean file writes it all."""

import pytest

from server.db.tables import AuditLog, Location
from server.domain.errors import RoundsError
from server.services import setup_locations

HEADER = "key,parent_key,kind,type,name_zh,name_en,department,responsible,template\n"


async def test_a_file_with_one_bad_row_writes_nothing(world, admin):
    before = await Location.count().run()
    text = HEADER + ("b2,,building,building,二号楼,Building 2,,,\n"
                     "b2-f1,b2,floor,floor,一层,1F,,,\n"
                     "b2-f1-wc,b2-f1,point,toilet,卫生间,Toilet,cleaning,nobody,toilet\n")  # unknown user
    plan = await setup_locations.import_preview(world.site_a, text, actor=admin)
    assert not plan.ok and plan.counts()["errors"] == 1
    with pytest.raises(RoundsError) as exc:
        await setup_locations.import_commit(world.site_a, text, actor=admin)
    assert exc.value.code == "invalid_csv" and exc.value.status == 422
    assert await Location.count().run() == before
    assert not await AuditLog.exists().where(AuditLog.action == "setup.location.import").run()


async def test_a_clean_file_creates_and_updates_in_one_go(world, admin):
    text = HEADER + ("b2-f1-wc,b2-f1,point,toilet,卫生间,Toilet,cleaning,cleaner,toilet\n"  # child before parent
                     "b2,,building,building,二号楼,Building 2,,,\n"
                     "b2-f1,b2,floor,floor,一层,1F,,,\n"
                     "toilet,f1,point,toilet,一层卫生间,1F toilet (renamed),cleaning,,toilet\n")
    result = await setup_locations.import_commit(world.site_a, text, actor=admin)
    assert result == {"created": 3, "updated": 1}
    rows = {r["key"]: r for r in await Location.select().where(Location.site == world.site_a).run()}
    assert rows["b2-f1-wc"]["parent"] == rows["b2-f1"]["id"] and rows["b2-f1"]["parent"] == rows["b2"]["id"]
    assert rows["b2-f1-wc"]["responsible"] == world.users["cleaner"] and rows["b2-f1-wc"]["template"] is not None
    assert rows["toilet"]["name_en"] == "1F toilet (renamed)"
    assert await AuditLog.exists().where(AuditLog.action == "setup.location.import").run()
    # export -> import again is a no-op update of the same rows
    exported = await setup_locations.export_csv(world.site_a, actor=admin)
    again = await setup_locations.import_preview(world.site_a, exported, actor=admin)
    assert again.ok and again.counts()["create"] == 0


async def test_the_site_of_another_admin_is_refused(world, admin):
    with pytest.raises(RoundsError) as exc:
        await setup_locations.import_preview(world.site_b, HEADER, actor=admin)
    assert exc.value.code == "site_forbidden"
