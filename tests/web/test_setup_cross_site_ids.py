"""An id typed into a setup form or URL that belongs to another site is
refused, and nothing is written: the source of a template copy, a location's
parent, responsible person or checklist, a round's walker, a route's stops."""

from server.db.tables import Location, Round, Template


async def _count_templates(site_id: int) -> int:
    return await Template.count().where(Template.site == site_id).run()


async def test_copying_a_template_out_of_a_site_the_admin_does_not_belong_to_is_refused(console):
    await console.login("admin")
    w = console.world
    b_template = (await Template.select(Template.id).where(Template.site == w.site_b).first().run())["id"]
    before = await _count_templates(w.site_a)
    response = await console.post(f"/console/setup/sites/{w.site_b}/templates/{b_template}/copy",
                                  {"to_site": str(w.site_a)}, follow_redirects=False)
    assert response.status_code == 403 and "site_forbidden" in response.text
    assert await _count_templates(w.site_a) == before
    # the same template id under the admin's own site in the URL is not found there either
    a_url = await console.post(f"/console/setup/sites/{w.site_a}/templates/{b_template}/copy", {},
                               follow_redirects=False)
    assert a_url.status_code == 404
    assert await _count_templates(w.site_a) == before
    # copying within the admin's own site still works
    a_template = (await Template.select(Template.id).where(Template.site == w.site_a).first().run())["id"]
    ok = await console.post(f"/console/setup/sites/{w.site_a}/templates/{a_template}/copy", {},
                            follow_redirects=False)
    assert ok.status_code == 303 and await _count_templates(w.site_a) == before + 1


async def test_a_location_cannot_point_at_another_sites_parent_person_or_checklist(console):
    await console.login("admin")
    w = console.world
    a = w.site_a
    b_floor = (await Location.select(Location.id).where(
        (Location.site == w.site_b) & (Location.kind == "floor")).first().run())["id"]
    b_template = (await Template.select(Template.id).where(Template.site == w.site_b).first().run())["id"]
    base = {"key": "x1", "kind": "point", "name_zh": "甲"}
    before = await Location.count().run()
    cases = [({"parent": str(b_floor)}, "parent"), ({"responsible": str(w.outsider)}, "responsible"),
             ({"template": str(b_template)}, "template"), ({"parent": "abc"}, "parent"),
             ({"responsible": "1 OR 1=1"}, "responsible")]
    for extra, field in cases:
        response = await console.post(f"/console/setup/sites/{a}/locations", {**base, **extra})
        assert response.status_code == 422, extra
        assert f'id="err-{field}"' in response.text, extra
    assert await Location.count().run() == before
    # editing an existing location: the same checks
    toilet = w.locations["a_toilet"]
    edit = await console.post(f"/console/setup/sites/{a}/locations/{toilet}",
                              {"kind": "point", "name_zh": "卫生间", "responsible": str(w.outsider)})
    assert edit.status_code == 422
    assert (await Location.select(Location.responsible).where(Location.id == toilet).first().run())[
        "responsible"] is None
    # a member of the site is accepted
    ok = await console.post(f"/console/setup/sites/{a}/locations",
                            {**base, "responsible": str(w.users["cleaner"])}, follow_redirects=False)
    assert ok.status_code == 303


async def test_a_round_walker_must_work_at_the_site(console):
    await console.login("admin")
    w = console.world
    form = {"key": "r-x", "name_zh": "夜巡", "kind": "patrol", "assigned_role": "", "type": "daily",
            "windows": "20:00-21:00"}
    before = await Round.count().run()
    refused = await console.post(f"/console/setup/sites/{w.site_a}/rounds", {**form, "assignee": str(w.outsider)})
    assert refused.status_code == 422 and 'id="err-assignee"' in refused.text
    junk = await console.post(f"/console/setup/sites/{w.site_a}/rounds", {**form, "assignee": "x"})
    assert junk.status_code == 422
    assert await Round.count().run() == before
    ok = await console.post(f"/console/setup/sites/{w.site_a}/rounds", {**form, "assignee": str(w.users["guard"])},
                            follow_redirects=False)
    assert ok.status_code == 303


async def test_a_route_stop_from_another_site_is_refused(console):
    await console.login("admin")
    w = console.world
    a_template = (await Template.select(Template.id).where(
        (Template.site == w.site_a) & (Template.key == "toilet")).first().run())["id"]
    response = await console.post(f"/console/setup/sites/{w.site_a}/rounds/{w.round_id}/checkpoints",
                                  {"location": str(w.locations["b_toilet"]), "template": str(a_template),
                                   "op": "save"})
    assert response.status_code == 422


async def test_csv_responsible_must_be_a_member_of_the_site(console):
    await console.login("admin")
    a = console.world.site_a
    text = "key,kind,name_zh,responsible\nnew-wc,point,新卫生间,outsider\n"
    preview = await console.post(f"/console/setup/sites/{a}/locations/import/preview", {"text": text})
    assert "responsible:" in preview.text and 'id="csv-commit"' not in preview.text
    refused = await console.post(f"/console/setup/sites/{a}/locations/import", {"text": text})
    assert refused.status_code == 422
    assert not await Location.exists().where(Location.key == "new-wc").run()
