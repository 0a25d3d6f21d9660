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


async def test_logout_removes_the_session_row(console):
    await console.login("supervisor")
    assert await SessionRecord.count().run() == 1
    await console.post("/console/logout", {}, follow_redirects=False)
    assert await SessionRecord.count().run() == 0
