"""The database connection dies half-way through writing a visit (after the
visit and answer rows, before the follow-ups and the audit row): the phone
gets 503 `database_unavailable`, no part of the visit remains, and its resend
is stored once.

PostgreSQL only: the server process really ends the connection from inside
the transaction (pg_terminate_backend on its own backend), as when the
database restarts or fails over. SQLite has no separate server whose
connection could drop; its outage is covered in
test_database_outage_during_requests.py."""

import uuid

import pytest

from server.db import engine as db
from server.db.tables import Answer, AuditLog, Visit
from server.lib.database_url import parse_database_url
from server.services import visits
from tests.factories import visit_body


async def test_connection_killed_mid_visit_leaves_nothing_and_resend_works(api, database_url, monkeypatch):
    if not parse_database_url(database_url).is_postgres:
        pytest.skip("needs a database server whose connection can be killed")
    await api.login("team_lead")
    uid, body = str(uuid.uuid4()), visit_body(api.world, round_id=api.world.round_id)
    real = visits.supervision_hooks.concerned_locations
    killed = []

    async def kill_then_continue(**kwargs):
        if not killed:
            killed.append(True)
            # Inside the visit's transaction, on its connection: the rows above are written.
            rows = await db.current().run_ddl('SELECT count(*) AS n FROM "visit"')
            assert [dict(r) for r in rows] == [{"n": 1}]
            await db.current().run_ddl("SELECT pg_terminate_backend(pg_backend_pid())")
        return await real(**kwargs)

    monkeypatch.setattr(visits.supervision_hooks, "concerned_locations", kill_then_continue)
    refused = await api.put_visit(uid, body)
    assert killed and refused.status_code == 503, refused.text
    assert refused.json()["code"] == "database_unavailable"
    assert (await Visit.count().run(), await Answer.count().run(), await AuditLog.count().where(
        AuditLog.action == "visit.create").run()) == (0, 0, 0)

    again = await api.put_visit(uid, body)
    assert again.status_code == 201, again.text
    assert await Visit.count().run() == 1 and await Answer.count().run() == 3
