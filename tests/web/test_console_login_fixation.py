"""The console login issues a new session id too: a planted one is not kept."""

import re

from server.db.tables import SessionRecord
from tests.factories import PASSWORD

PLANTED = "cd" * 32


async def test_a_planted_session_id_does_not_survive_console_login(console):
    client = console.client
    client.cookies.clear()
    client.cookies.set("session", PLANTED)
    form = await client.get("/console/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text).group(1)
    response = await client.post("/console/login", data={
        "username": "supervisor", "password": PASSWORD, "next": "/console", "_csrf_token": token},
        follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/console"
    issued = response.cookies.get("session")
    assert issued and issued != PLANTED
    assert (await client.get("/console")).status_code == 200
    stolen = await client.get("/console", headers={"Cookie": f"session={PLANTED}"}, follow_redirects=False)
    assert stolen.status_code in (302, 303) and stolen.headers["location"].startswith("/console/login")
    assert not await SessionRecord.exists().where(SessionRecord.key == PLANTED).run()
