"""People pages: add a person, and the last admin cannot lock themselves out."""

from server.db.tables import User


async def test_add_a_person_and_the_last_admin_is_protected(console):
    await console.login("admin")
    a = console.world.site_a
    bad = await console.post("/console/setup/people", {"username": "li.si", "password": "short", "role": "cleaner"})
    assert bad.status_code == 422 and 'id="err-password"' in bad.text
    ok = await console.post("/console/setup/people", {"username": "li.si", "password": "long-enough-9",
                                                      "role": "cleaner", "display_name": "李四", "language": "zh-CN",
                                                      "department": "cleaning", "sites": [str(a)]},
                            follow_redirects=False)
    assert ok.status_code == 303
    taken = await console.post("/console/setup/people", {"username": "li.si", "password": "long-enough-9",
                                                         "role": "cleaner"})
    assert taken.status_code == 409 and 'data-code="conflict"' in taken.text
    admin_id = console.world.users["admin"]
    refused = await console.post(f"/console/setup/people/{admin_id}/active", {"active": "0"})
    assert refused.status_code == 409 and 'data-code="last_admin"' in refused.text
    assert (await User.select(User.active).where(User.id == admin_id).first().run())["active"] is True
    uid = (await User.select(User.id).where(User.username == "li.si").first().run())["id"]
    off = await console.post(f"/console/setup/people/{uid}/active", {"active": "0"}, follow_redirects=False)
    assert off.status_code == 303
    assert (await console.login("li.si", "long-enough-9")).status_code == 401
