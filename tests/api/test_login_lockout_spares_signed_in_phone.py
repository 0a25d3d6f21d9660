"""Bad passwords from a stranger still throttle logins for that username, but
cannot lock out a phone that already holds a live session of that user."""

from server.db.tables import LoginAttempt
from tests.api.conftest import HEADERS, clients_at
from tests.factories import PASSWORD


async def _login(api, username: str, password: str = PASSWORD):
    return await api.client.post("/api/v1/session", json={"username": username, "password": password},
                                 headers=HEADERS)


async def test_a_stranger_cannot_lock_a_signed_in_phone_out(settings):
    async with clients_at(settings, "10.0.0.2", "10.0.0.9", "10.0.0.3", "10.0.0.4") as (_, apps):
        phone, stranger, new_phone, other_users_phone = apps
        assert (await _login(phone, "guard")).status_code == 200
        assert (await _login(other_users_phone, "cleaner")).status_code == 200
        for _ in range(settings.login_attempts):
            assert (await _login(stranger, "guard", "wrong-pass")).status_code == 401

        # the throttle still holds for anyone without the user's session ...
        for api in (stranger, new_phone, other_users_phone):
            blocked = await _login(api, "guard")
            assert blocked.status_code == 429 and blocked.json()["code"] == "login_rate_limited"
        # ... but the guard's own phone signs in again (e.g. after the app asks)
        again = await _login(phone, "guard")
        assert again.status_code == 200 and again.json()["user"]["username"] == "guard"
        assert (await phone.client.get("/api/v1/session")).status_code == 200


async def test_the_signed_in_phone_is_still_throttled_by_its_own_address(settings):
    async with clients_at(settings, "10.0.0.2") as (_, [phone]):
        assert (await _login(phone, "guard")).status_code == 200
        for _ in range(settings.login_attempts):
            assert (await _login(phone, "guard", "wrong-pass")).status_code == 401
        blocked = await _login(phone, "guard")
        assert blocked.status_code == 429 and blocked.json()["code"] == "login_rate_limited"
        assert await LoginAttempt.count().where(LoginAttempt.ip == "10.0.0.2").run() == settings.login_attempts + 1
