"""The whole-site export (every live label code) and the location CSV export
are written to the audit log: who took a copy of the property, and when."""

from server.db.tables import AuditLog


async def test_site_and_csv_exports_are_audited(console):
    await console.login("admin")
    a = console.world.site_a
    assert not await AuditLog.exists().where(AuditLog.action.is_in(["setup.site.export", "setup.location.export"])).run()
    doc = await console.client.get(f"/console/setup/sites/{a}/export.json")
    assert doc.status_code == 200 and console.world.tags["a_toilet"]["code"] in doc.text
    csv = await console.client.get(f"/console/setup/sites/{a}/locations.csv")
    assert csv.status_code == 200
    rows = await AuditLog.select().where(AuditLog.action.is_in(["setup.site.export", "setup.location.export"])
                                         ).output(load_json=True).run()
    by_action = {r["action"]: r for r in rows}
    assert set(by_action) == {"setup.site.export", "setup.location.export"}
    site_row = by_action["setup.site.export"]
    assert site_row["actor"] == console.world.users["admin"] and site_row["site"] == a
    assert site_row["detail"] == {"tags": 3, "live_tags": 2}
    assert by_action["setup.location.export"]["detail"]["rows"] == 4
    # a refused export (another site) leaves no trace of an export
    assert (await console.client.get(f"/console/setup/sites/{console.world.site_b}/export.json")).status_code == 403
    assert await AuditLog.count().where(AuditLog.action == "setup.site.export").run() == 1
