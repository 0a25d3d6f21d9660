"""The checklist editor: items of every kind, per-field errors, publish, versions,
and an old visit still shown against the version it used."""

import re
import uuid
from datetime import UTC, datetime

from server.db.tables import Answer, Template, TemplateVersion, Visit


def _fields(html: str) -> dict:
    """The editor form's current values, as a browser would post them."""
    out: dict = {}
    for name, value in re.findall(r'<input[^>]*name="(items-[^"]+|name_zh|name_en|department)"[^>]*value="([^"]*)"', html):
        out.setdefault(name, []).append(value)
    for name, body in re.findall(r'<textarea[^>]*name="(items-[^"]+)"[^>]*>([^<]*)</textarea>', html):
        out[name] = [body]
    for name, value in re.findall(r'<select[^>]*name="(items-[^"]+)"[^>]*>.*?<option value="([^"]*)" selected', html, re.S):
        out[name] = [value]
    return out


async def test_build_a_checklist_publish_and_old_visits_keep_their_version(console):
    await console.login("admin")
    a = console.world.site_a
    created = await console.post(f"/console/setup/sites/{a}/templates", {"key": "stairs", "name_zh": "楼梯间",
                                                                         "name_en": "Stairwell"}, follow_redirects=False)
    assert created.status_code == 303
    url = created.headers["location"].split("?")[0]
    page = await console.client.get(url)
    assert "No items yet" in page.text
    for kind in ("pass_fail", "number", "choice", "yes_no", "photo"):  # add: re-shown, not saved
        page = await console.post(url, {**_fields(page.text), "op": f"add:{kind}"})
        assert page.status_code == 200
    assert len(re.findall(r'class="item-card', page.text)) == 5
    fields = _fields(page.text)
    fields.update({"items-0-label_zh": ["地面无垃圾"], "items-0-label_en": ["No litter"],
                   "items-1-label_zh": ["温度"], "items-1-label_en": ["Temperature"], "items-1-min": ["30"],
                   "items-1-max": ["10"],  # wrong way round
                   "items-2-label_zh": ["照明"], "items-2-label_en": ["Lights"],
                   "items-2-choices": ["ok | 正常 | OK\nout | 不亮 | Out | fail"],
                   "items-3-label_zh": ["发现隐患"], "items-3-label_en": ["Hazard found"], "items-3-fail_on": ["yes"],
                   "items-4-label_zh": ["全景照片"], "items-4-label_en": ["Overview photo"]})
    refused = await console.post(url, {**fields, "op": "publish"})
    assert refused.status_code == 422 and 'data-code="invalid_template"' in refused.text
    assert 'id="err-items-1-min"' in refused.text and "地面无垃圾" in refused.text  # what was typed is kept
    tid = int(url.rsplit("/", 1)[1])
    assert not await TemplateVersion.exists().where(TemplateVersion.template == tid).run()

    fields.update({"items-1-min": ["0"], "items-1-max": ["60"], "items-1-pass_max": ["40"], "items-1-unit": ["°C"]})
    published = await console.post(url, {**fields, "op": "publish"}, follow_redirects=False)
    assert published.status_code == 303 and "done=published" in published.headers["location"]
    v1 = await TemplateVersion.select().where(TemplateVersion.template == tid).output(load_json=True).first().run()
    assert [i["kind"] for i in v1["items"]] == ["pass_fail", "number", "choice", "yes_no", "photo"]
    assert v1["items"][1]["pass_max"] == 40 and v1["items"][3]["fail_on"] is True

    # a visit made with v1, then v2 drops an item: the visit still shows v1's five items
    now = datetime.now(UTC)
    vid = (await Visit.insert(Visit(client_uuid=uuid.uuid4(), fingerprint="x", user=console.world.users["cleaner"],
                                    site=a, location=console.world.locations["a_toilet"], template_version=v1["id"],
                                    kind="patrol", scanned_at=now, finished_at=now, received_at=now)).run())[0]["id"]
    await Answer.insert(Answer(visit=vid, item_id="i2", kind="number", value="55", failed=True, note="太热")).run()
    page = await console.client.get(url)
    fields = _fields(page.text)
    page = await console.post(url, {**fields, "op": "delete:4"})
    again = await console.post(url, {**_fields(page.text), "op": "publish"}, follow_redirects=False)
    assert again.status_code == 303
    assert await TemplateVersion.count().where(TemplateVersion.template == tid).run() == 2
    visit_page = await console.client.get(f"/console/setup/sites/{a}/visits/{vid}")
    assert visit_page.status_code == 200 and "v1" in visit_page.text and "Overview photo" in visit_page.text
    assert "太热" in visit_page.text and 'class="failed"' in visit_page.text
    versions = await console.client.get(f"/console/setup/sites/{a}/versions/{v1['id']}")
    assert versions.status_code == 200 and "Overview photo" in versions.text


async def test_library_copy_and_json_export_import(console):
    await console.login("admin")
    a = console.world.site_a
    r = await console.post(f"/console/setup/sites/{a}/templates/library/greening", follow_redirects=False)
    assert r.status_code == 303
    tid = (await Template.select(Template.id).where(Template.key == "greening").first().run())["id"]
    export = await console.client.get(f"/console/setup/sites/{a}/templates/{tid}/export.json")
    assert export.json()["format"] == "rounds.template" and len(export.json()["items"]) == 8
    imported = await console.post(f"/console/setup/sites/{a}/templates/import", {},
                                  files={"file": ("t.json", export.content, "application/json")},
                                  follow_redirects=False)
    assert imported.status_code == 303
    broken = await console.post(f"/console/setup/sites/{a}/templates/import", {},
                                files={"file": ("t.json", b"{not json", "application/json")})
    assert broken.status_code == 422 and 'data-code="invalid_document"' in broken.text
    assert await Template.count().where(Template.key.like("greening%")).run() == 2
