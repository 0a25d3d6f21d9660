"""Round pages: create with a schedule, build the route, preview seven days."""

import re

from server.db.tables import Round, RoundCheckpoint, Template


async def test_create_a_round_with_route_and_preview(console):
    await console.login("admin")
    a = console.world.site_a
    form = {"key": "night", "name_zh": "夜间巡逻", "name_en": "Night patrol", "kind": "patrol",
            "assigned_role": "guard", "ordered": "1", "type": "daily", "windows": "22:00-23:00\n02:00-03:00",
            "grace_minutes": "20"}
    bad = await console.post(f"/console/setup/sites/{a}/rounds", {**form, "windows": "late evening"})
    assert bad.status_code == 422 and 'data-code="invalid_schedule"' in bad.text and 'id="err-windows"' in bad.text
    preview = await console.post(f"/console/setup/sites/{a}/rounds/preview", form, headers={"HX-Request": "true"})
    assert preview.status_code == 200 and len(re.findall(r'class="occ"', preview.text)) == 14
    assert 'data-start="22:00"' in preview.text and "14" in preview.text
    created = await console.post(f"/console/setup/sites/{a}/rounds", form, follow_redirects=False)
    assert created.status_code == 303
    rid = (await Round.select(Round.id).where(Round.key == "night").first().run())["id"]
    toilet = (await Template.select(Template.id).where((Template.site == a) & (Template.key == "toilet")).first().run())["id"]
    url = f"/console/setup/sites/{a}/rounds/{rid}/checkpoints"
    page = await console.post(url, {"op": "add"})
    assert page.status_code == 200 and page.text.count('name="location"') == 1
    missing = await console.post(url, {"op": "save", "location": "", "template": ""})
    assert missing.status_code == 422
    saved = await console.post(url, {"op": "save", "location": [str(console.world.locations["a_pump"]),
                                                                str(console.world.locations["a_toilet"])],
                                     "template": [str(toilet), str(toilet)]}, follow_redirects=False)
    assert saved.status_code == 303
    assert await RoundCheckpoint.count().where(RoundCheckpoint.round == rid).run() == 2
    page = await console.client.get(f"/console/setup/sites/{a}/rounds/{rid}")
    assert page.status_code == 200 and "twice a day" in page.text
