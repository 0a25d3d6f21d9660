"""The per-address login throttle believes X-Forwarded-For only from the
proxies named in TRUSTED_PROXIES."""

import dataclasses

from server.db.tables import LoginAttempt
from tests.api.conftest import HEADERS, clients_at
from tests.factories import PASSWORD


async def _login(api, username: str, password: str, forwarded_for: str):
    return await api.client.post("/api/v1/session", json={"username": username, "password": password},
                                 headers={**HEADERS, "X-Forwarded-For": forwarded_for})


async def test_by_default_a_client_cannot_dodge_the_address_limit_with_the_header(settings):
    async with clients_at(settings, "127.0.0.1") as (_, [local]):
        for n in range(settings.login_attempts):
            assert (await _login(local, f"ghost{n}", "wrong-pass", f"203.0.113.{n}")).status_code == 401
        blocked = await _login(local, "guard", PASSWORD, "198.51.100.1")
        assert blocked.status_code == 429
        ips = {r["ip"] for r in await LoginAttempt.select(LoginAttempt.ip).run()}
        assert ips == {"127.0.0.1"}


async def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(settings):
    settings = dataclasses.replace(settings, trusted_proxies=("10.0.0.0/8",))
    async with clients_at(settings, "10.0.0.1", "198.51.100.9") as (_, [proxy, direct]):
        for n in range(settings.login_attempts):
            assert (await _login(proxy, f"ghost{n}", "wrong-pass", "203.0.113.7")).status_code == 401
        # the next client behind the same proxy is not held back by 203.0.113.7's failures
        ok = await _login(proxy, "guard", PASSWORD, "1.2.3.4, 203.0.113.8")
        assert ok.status_code == 200
        assert (await _login(proxy, "cleaner", PASSWORD, "203.0.113.7")).status_code == 429
        # a client that is not a trusted proxy cannot claim another address
        assert (await _login(direct, "ghost-x", "wrong-pass", "203.0.113.8")).status_code == 401
        rows = await LoginAttempt.select(LoginAttempt.ip).order_by(LoginAttempt.id).run()
        assert [r["ip"] for r in rows] == ["203.0.113.7"] * settings.login_attempts + [
            "203.0.113.8", "198.51.100.9"]
