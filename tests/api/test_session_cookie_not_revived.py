"""A request of a session id that was given up while it ran (the phone logged
in again meanwhile) must not put the dead id back into the browser."""

import json

from litestar.connection import ASGIConnection

from server.security.session_store import DatabaseStore
from server.services import sessions
from tests.api.conftest import HEADERS
from tests.factories import PASSWORD


def _finish(app, session_id: str, uid: int) -> dict:
    """The end of a request that loaded `session_id` as live before it was revoked."""
    scope = {"type": "http", "app": app, "headers": [(b"cookie", f"session={session_id}".encode())],
             "rounds.session_live_id": session_id, "rounds.session_loaded_uid": uid, "state": {}}
    return scope


async def test_a_late_reply_of_a_revoked_id_sets_no_cookie(api):
    from server.security.session_backend import RotatingSessionBackend, SessionConfig

    old = (await api.login("guard")).cookies["session"]
    relogin = await api.client.post("/api/v1/session", json={"username": "guard", "password": PASSWORD},
                                    headers=HEADERS)
    assert relogin.status_code == 200 and relogin.cookies["session"] != old

    uid = api.world.users["guard"]
    backend = RotatingSessionBackend(config=SessionConfig(store="sessions"))
    backend.serialize_data = lambda data, scope=None: json.dumps(data).encode()  # no route to serialise for
    message = {"type": "http.response.start", "status": 200, "headers": []}
    scope = _finish(api.client.app, old, uid)
    await backend.store_in_message({"uid": uid}, message, ASGIConnection(scope))
    assert not [v for k, v in message["headers"] if k.lower() == b"set-cookie"]
    assert await DatabaseStore().get(old) is None


async def test_store_set_reports_whether_a_live_row_was_written(api):
    store = DatabaseStore()
    assert await store.set("k1", b'{"uid": 1}', expires_in=600) is True
    assert await store.set("k1", b'{"uid": 1}', expires_in=600) is False  # unchanged: no write
    await sessions.end_session("k1")
    assert await DatabaseStore().set("k1", b'{"uid": 1}', expires_in=600) is False
    assert await store.get("k1") is None
