"""`rounds serve` with no TRUSTED_PROXIES: a local client's X-Forwarded-For
does not change the address the login throttle counts."""

import httpx

from tests.api.conftest import HEADERS


def test_a_local_client_cannot_choose_its_address_by_header(live_server):
    with httpx.Client(base_url=live_server.base_url, headers=HEADERS, timeout=30) as client:
        reply = client.post("/api/v1/session", json={"username": "guard", "password": "wrong-pass"},
                            headers={"X-Forwarded-For": "203.0.113.7"})
        assert reply.status_code == 401
    assert live_server.count("login_attempt") == 1
    assert _attempt_ips(live_server) == ["127.0.0.1"]


def _attempt_ips(live_server) -> list[str]:
    import asyncio

    from server.db import engine as db

    async def run() -> list[str]:
        async with db.connected(live_server.database_url) as engine:
            return [r["ip"] for r in await engine.run_ddl('SELECT "ip" FROM "login_attempt"')]

    return asyncio.run(run())
