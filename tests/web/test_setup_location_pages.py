"""Location pages: add with per-field errors, CSV preview (htmx) and import, export."""

from server.db.tables import AuditLog, Location

HEADER = "key,parent_key,kind,type,name_zh,name_en,department,responsible,template\n"


async def test_add_a_location_and_see_field_errors(console):
    await console.login("admin")
    a = console.world.site_a
    bad = await console.post(f"/console/setup/sites/{a}/locations", {"key": "bad key", "kind": "zone", "name_zh": "区"})
    assert bad.status_code == 422 and 'data-code="validation_error"' in bad.text
    assert 'id="err-key"' in bad.text and 'aria-invalid="true"' in bad.text and 'value="区"' in bad.text
    ok = await console.post(f"/console/setup/sites/{a}/locations", {"key": "b2", "kind": "building", "name_zh": "二号楼",
                                                                    "name_en": "Building 2"}, follow_redirects=False)
    assert ok.status_code == 303
    page = await console.client.get(f"/console/setup/sites/{a}/locations")
    assert "Building 2" in page.text and "b2" in page.text


async def test_csv_preview_lists_row_errors_and_import_writes_nothing_until_clean(console):
    await console.login("admin")
    a = console.world.site_a
    before = await Location.count().run()
    bad = HEADER + "b2,,building,,二号楼,B2,,,\nb2-f1,b2,storey,,一层,1F,,,\n"
    preview = await console.post(f"/console/setup/sites/{a}/locations/import/preview", {"text": bad},
                                 headers={"HX-Request": "true"})
    assert preview.status_code == 200 and 'data-ok="false"' in preview.text and "<html" not in preview.text
    assert "kind:" in preview.text and 'id="csv-commit"' not in preview.text
    refused = await console.post(f"/console/setup/sites/{a}/locations/import", {"text": bad})
    assert refused.status_code == 422 and 'data-code="invalid_csv"' in refused.text
    assert await Location.count().run() == before

    good = (HEADER + "b2,,building,,二号楼,B2,,,\nb2-f1,b2,floor,,一层,1F,,,\n").encode("gbk")
    preview = await console.post(f"/console/setup/sites/{a}/locations/import/preview", {},
                                 files={"file": ("locations.csv", good, "text/csv")})
    assert preview.status_code == 200 and 'data-ok="true"' in preview.text and "二号楼" in preview.text
    done = await console.post(f"/console/setup/sites/{a}/locations/import", {"text": good.decode("gbk")},
                              follow_redirects=False)
    assert done.status_code == 303 and await Location.count().run() == before + 2
    assert await AuditLog.exists().where(AuditLog.action == "setup.location.import").run()
    export = await console.client.get(f"/console/setup/sites/{a}/locations.csv")
    assert export.headers["content-type"].startswith("text/csv") and "b2-f1,b2,floor" in export.text


async def test_retire_and_restore_from_the_edit_page(console):
    await console.login("admin")
    a, loc = console.world.site_a, console.world.locations["a_pump"]
    page = await console.client.get(f"/console/setup/sites/{a}/locations/{loc}")
    assert page.status_code == 200
    r = await console.post(f"/console/setup/sites/{a}/locations/{loc}/retire", follow_redirects=False)
    assert r.status_code == 303
    retired = await Location.select(Location.retired_at).where(Location.id == loc).first().run()
    assert retired["retired_at"] is not None
    toilet = console.world.locations["a_toilet"]  # on an active round
    refused = await console.post(f"/console/setup/sites/{a}/locations/{toilet}/retire")
    assert refused.status_code == 409 and 'data-code="location_in_use"' in refused.text


async def test_csv_preview_shows_each_change_old_to_new_in_the_readers_language(console):
    from server.db.tables import User

    await User.update({User.language: "zh-CN"}).where(User.username == "admin").run()
    await console.login("admin")
    a = console.world.site_a
    preview = await console.post(f"/console/setup/sites/{a}/locations/import/preview",
                                 {"text": "key,kind,name_en\ntoilet,point,Ground floor toilet\n"})
    assert preview.status_code == 200
    assert 'data-change="name_en"' in preview.text and "<del>toilet</del> → <ins>Ground floor toilet</ins>" in preview.text
    assert "英文名称" in preview.text
    assert "新增 0 个，更新 1 个，错误 0 处。" in preview.text  # the counts, not a method's repr
    bad = await console.post(f"/console/setup/sites/{a}/locations/import/preview",
                             {"text": 'key,kind,name_zh\ntoilet,point,"open\n'})
    assert "data-file-error" in bad.text and "无法按 CSV 读取该文件" in bad.text
    unknown = await console.post(f"/console/setup/sites/{a}/locations/import/preview",
                                 {"text": "key,kind,colour\ntoilet,point,red\n"})
    assert "未知的列：colour" in unknown.text
