from server.db.tables import Tag


async def test_unchanged_pack_costs_a_304_and_a_revoked_tag_changes_it(api):
    await api.login("team_lead")
    first = await api.client.get("/api/v1/pack")
    assert first.status_code == 200
    etag = first.headers["etag"]
    pack = first.json()
    site = pack["sites"][0]
    assert site["code"] == "alpha" and site["timezone"] == "Asia/Shanghai"
    assert {t["short_code"] for t in site["tags"]} == {api.world.tags["a_toilet"]["short_code"],
                                                       api.world.tags["a_pump"]["short_code"]}
    assert all(loc["path_en"].startswith("1F") for loc in site["locations"] if loc["kind"] == "point")
    lead_round = [r for r in site["rounds"] if r["id"] == api.world.round_id][0]
    assert lead_round["today"] and lead_round["checkpoints"][0]["template_version_id"] == api.world.versions["a_toilet"]
    items = {t["id"]: t for t in pack["templates"]}[api.world.versions["a_toilet"]]["items"]
    assert [i["id"] for i in items] == ["floor", "smell", "soap", "remark"]

    again = await api.client.get("/api/v1/pack", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""

    await Tag.update({Tag.revoked_at: Tag.issued_at}).where(
        Tag.code == api.world.tags["a_toilet"]["code"]).run()
    changed = await api.client.get("/api/v1/pack", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    codes = {t["code"] for t in changed.json()["sites"][0]["tags"]}
    assert api.world.tags["a_toilet"]["code"] not in codes


async def test_guard_does_not_get_the_team_leads_round(api):
    await api.login("guard")
    pack = (await api.client.get("/api/v1/pack")).json()
    assert [r["id"] for r in pack["sites"][0]["rounds"]] == []
