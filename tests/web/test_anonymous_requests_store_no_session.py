"""Anonymous traffic (health checks, the app shell, static files, the login
page) stores no session rows; only a login does."""

import re

from server.db.tables import SessionRecord
from tests.factories import PASSWORD

ANONYMOUS = ["/healthz", "/sw.js", "/", "/manifest.webmanifest", "/static/console.css", "/console/login",
             "/t/no-such-label"]


async def test_anonymous_requests_write_no_session_rows(console):
    client = console.client
    client.cookies.clear()
    for _ in range(3):
        for path in ANONYMOUS:
            response = await client.get(path, follow_redirects=False)
            assert response.status_code < 500, path
            assert "session=" not in response.headers.get("set-cookie", ""), path
    refused = await client.get("/api/v1/pack", headers={"X-Rounds-Client": "pwa"})
    assert refused.status_code == 401
    assert await SessionRecord.count().run() == 0

    # the login page still hands out its CSRF cookie, and logging in stores one session
    page = await client.get("/console/login")
    assert client.cookies.get("csrftoken")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    login = await client.post("/console/login", data={
        "username": "supervisor", "password": PASSWORD, "next": "/console", "_csrf_token": token},
        follow_redirects=False)
    assert login.status_code == 303
    assert await SessionRecord.count().run() == 1
    for path in ANONYMOUS:  # a signed-in browser fetching them adds nothing either
        await client.get(path, follow_redirects=False)
    assert await SessionRecord.count().run() == 1


async def test_logout_ends_the_session_for_good(console):
    from server.security.session_store import DatabaseStore

    await console.login("supervisor")
    key = console.client.cookies["session"]
    await console.post("/console/logout", {}, follow_redirects=False)
    assert not await SessionRecord.exists().where(SessionRecord.revoked.eq(False)).run()
    # a request of that session still in flight cannot write it back
    store = DatabaseStore()
    await store.set(key, b'{"uid": %d}' % console.world.users["supervisor"], expires_in=60)
    assert await store.get(key) is None
    page = await console.client.get("/console", headers={"Cookie": f"session={key}"}, follow_redirects=False)
    assert page.status_code in (302, 303)
