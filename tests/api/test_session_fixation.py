"""Every login issues a new, server-generated session id: an id the client
brings (planted by an attacker, or revoked by an admin) is never kept."""

from server.db.tables import SessionRecord
from server.security.session_store import DatabaseStore
from server.services import sessions
from tests.factories import PASSWORD

H = {"X-Rounds-Client": "pwa"}
PLANTED = "ab" * 32  # looks exactly like a real id: 32 random bytes in hex


async def _me_with(api, session_id: str):
    """A request from someone else's browser holding only `session_id`."""
    return await api.client.get("/api/v1/session", headers={"Cookie": f"session={session_id}"})


async def test_a_planted_session_id_does_not_survive_login(api):
    api.client.cookies.clear()
    api.client.cookies.set("session", PLANTED)  # planted before the victim logs in
    response = await api.client.post("/api/v1/session", json={"username": "guard", "password": PASSWORD},
                                     headers=H)
    assert response.status_code == 200
    issued = response.cookies.get("session")
    assert issued and issued != PLANTED and len(issued) == 64
    assert (await api.client.get("/api/v1/session")).status_code == 200
    # whoever planted the id is not signed in as the victim
    stolen = await _me_with(api, PLANTED)
    assert stolen.status_code == 401 and stolen.json()["code"] == "not_authenticated"
    assert not await SessionRecord.exists().where(SessionRecord.key == PLANTED).run()


async def test_logging_in_again_on_a_signed_in_client_moves_to_a_new_id(api):
    first = (await api.login("guard")).cookies["session"]
    again = await api.client.post("/api/v1/session", json={"username": "guard", "password": PASSWORD}, headers=H)
    assert again.status_code == 200
    second = again.cookies["session"]
    assert second != first
    assert (await _me_with(api, first)).status_code == 401
    assert (await _me_with(api, second)).status_code == 200
    # a request of the old id still in flight cannot write it back to life
    store = DatabaseStore()
    await store.set(first, b'{"uid": %d}' % api.world.users["guard"], expires_in=60)
    assert await store.get(first) is None


async def test_a_phone_whose_sessions_an_admin_ended_can_log_in_again(api):
    old = (await api.login("guard")).cookies["session"]
    await sessions.end_sessions(api.world.users["guard"])
    rows = await SessionRecord.count().run()

    # the next request is a clean 401 the app already handles, and writes nothing
    ended = await api.client.get("/api/v1/pack", headers=H)
    assert ended.status_code == 401 and ended.json()["code"] == "not_authenticated"
    assert "session=" not in ended.headers.get("set-cookie", "")
    assert await SessionRecord.count().run() == rows

    # the same phone signs in again, its dead cookie still in the jar
    assert api.client.cookies.get("session") == old
    relogin = await api.client.post("/api/v1/session", json={"username": "guard", "password": PASSWORD}, headers=H)
    assert relogin.status_code == 200 and relogin.cookies["session"] != old
    assert (await api.client.get("/api/v1/session")).status_code == 200
    assert (await api.client.get("/api/v1/pack", headers=H)).status_code == 200
