"""Several connections PUT one visit UUID at the same instant to a real running
server (uvicorn, its own process and connection pool) on SQLite and on
PostgreSQL: exactly one visit is stored and every reply describes it. The
service-level race (every sender held past the "already stored?" check) is
tests/services/test_visit_ingest_race.py; this is the same promise end to end."""

from __future__ import annotations

import threading
import uuid

import httpx

from tests.api.conftest import HEADERS
from tests.factories import PASSWORD, visit_body

SENDERS = 8


def test_simultaneous_puts_of_one_uuid_leave_exactly_one_visit(live_server):
    base, world = live_server.base_url, live_server.world
    uid = str(uuid.uuid4())
    body = visit_body(world, answers=[
        {"item": "floor", "value": "fail", "note": "纸屑", "photos": [str(uuid.uuid4())]},
        {"item": "smell", "value": True},
    ])
    clients = []
    for _ in range(SENDERS):  # one connection (one phone's retry) each, logged in beforehand
        client = httpx.Client(base_url=base, headers=HEADERS, timeout=30)
        assert client.post("/api/v1/session", json={"username": "guard", "password": PASSWORD}).status_code == 200
        clients.append(client)
    start = threading.Barrier(SENDERS)
    replies: list[httpx.Response] = []

    def send(client: httpx.Client) -> None:
        start.wait()
        replies.append(client.put(f"/api/v1/visits/{uid}", json=body))

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for c in clients:
        c.close()

    codes = sorted(r.status_code for r in replies)
    assert codes == [200] * (SENDERS - 1) + [201], [r.text for r in replies]
    assert len({r.text for r in replies}) == 1  # every reply describes the same stored visit
    assert live_server.count("visit") == 1
    assert live_server.count("answer") == 2
    assert live_server.count("finding") == 1
