from server.db.tables import LoginAttempt
from tests.factories import PASSWORD

H = {"X-Rounds-Client": "pwa"}


async def test_login_sets_an_httponly_session_and_logout_ends_it(api):
    response = await api.login("guard")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert response.json()["user"]["role"] == "guard"
    assert (await api.client.get("/api/v1/session")).status_code == 200
    assert (await api.client.delete("/api/v1/session", headers=H)).status_code == 204
    assert (await api.client.get("/api/v1/session")).status_code == 401


async def test_wrong_password_and_unknown_user_look_the_same(api):
    a = await api.client.post("/api/v1/session", json={"username": "guard", "password": "nope-nope"}, headers=H)
    b = await api.client.post("/api/v1/session", json={"username": "ghost", "password": "nope-nope"}, headers=H)
    assert a.status_code == b.status_code == 401
    assert a.json()["code"] == b.json()["code"] == "bad_credentials"


async def test_login_is_rate_limited(api, settings):
    for _ in range(settings.login_attempts):
        r = await api.client.post("/api/v1/session", json={"username": "guard", "password": "wrong-pass"}, headers=H)
        assert r.status_code == 401
    blocked = await api.client.post("/api/v1/session", json={"username": "guard", "password": PASSWORD}, headers=H)
    assert blocked.status_code == 429 and blocked.json()["code"] == "login_rate_limited"
    assert await LoginAttempt.count().where(LoginAttempt.ok.eq(True)).run() == 0


async def test_language_is_stored(api):
    await api.login("guard")
    r = await api.client.patch("/api/v1/session", json={"language": "zh-CN"}, headers=H)
    assert r.status_code == 200 and r.json()["user"]["language"] == "zh-CN"
    bad = await api.client.patch("/api/v1/session", json={"language": "xx"}, headers=H)
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
