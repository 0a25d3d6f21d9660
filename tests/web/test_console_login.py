async def test_console_needs_login_and_a_console_role(console):
    anonymous = await console.client.get("/console", follow_redirects=False)
    assert anonymous.status_code in (302, 303) and anonymous.headers["location"].startswith("/console/login")

    response = await console.login("supervisor")
    assert response.status_code in (302, 303) and response.headers["location"] == "/console"
    home = await console.client.get("/console")
    assert home.status_code == 200 and "Alpha Tower" in home.text and "Beta Tower" not in home.text

    field = await console.login("guard")
    assert field.headers["location"] == "/"  # field staff go to the field app
    assert (await console.client.get("/console")).status_code == 403


async def test_wrong_password_shows_the_form_again_with_a_message(console):
    response = await console.login("supervisor", "wrong-password")
    assert response.status_code == 401 and "用户名或密码错误" in response.text  # default language
    console.client.headers["accept-language"] = "en"
    response = await console.login("supervisor", "wrong-password")
    assert "Wrong username or password" in response.text


async def test_form_posts_without_csrf_token_are_refused(console):
    await console.login("supervisor")
    response = await console.client.post("/console/logout")
    assert response.status_code == 403
    assert (await console.post("/console/logout", follow_redirects=False)).status_code == 303


async def test_language_switch_is_stored_and_used(console):
    await console.login("supervisor")
    await console.post("/console/language", {"language": "zh-CN"})
    assert "您的项目" in (await console.client.get("/console")).text


async def test_logout_and_language_change_are_audited(console):
    from server.db.tables import AuditLog

    await console.login("supervisor")
    sup = console.world.users["supervisor"]
    r = await console.post("/console/language", {"language": "zh-CN"}, follow_redirects=False)
    assert r.status_code == 303
    row = await AuditLog.select().where(AuditLog.action == "user.language").output(load_json=True).first().run()
    assert row["actor"] == sup and row["detail"] == {"from": "en", "to": "zh-CN"}
    bad = await console.post("/console/language", {"language": "fr"})
    assert bad.status_code == 422
    assert await AuditLog.count().where(AuditLog.action == "user.language").run() == 1
    await console.post("/console/logout", {}, follow_redirects=False)
    assert await AuditLog.exists().where((AuditLog.action == "logout") & (AuditLog.actor == sup)).run()
