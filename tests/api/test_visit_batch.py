"""A phone back in coverage drains its outbox in batches: each visit keeps its
own idempotent outcome, refused ones write nothing, races settle to one row."""

import asyncio
import uuid

from server.db.tables import Answer, AuditLog, Visit
from tests.api.conftest import HEADERS
from tests.factories import visit_body


async def _batch(api, entries):
    response = await api.client.post("/api/v1/visits/batch", headers=HEADERS,
                                     json={"visits": [{"client_uuid": u, "body": b} for u, b in entries]})
    assert response.status_code == 200, response.text
    return response.json()["results"]


async def test_mixed_batch_gives_each_visit_its_own_outcome(api):
    await api.login("guard")
    stored, stored_body = str(uuid.uuid4()), visit_body(api.world)
    assert (await api.put_visit(stored, stored_body)).status_code == 201
    new = [str(uuid.uuid4()) for _ in range(5)]
    twice = new[0]
    entries = [(u, visit_body(api.world, note=f"n{i}")) for i, u in enumerate(new)]
    entries += [
        (stored, stored_body),                                # resend of a stored visit
        (str(uuid.uuid4()), visit_body(api.world, tag_code="nope")),  # refused
        (twice, entries[0][1]),                               # same UUID again, same body
        (twice, {**entries[0][1], "note": "changed"}),        # same UUID again, other body
    ]
    results = await _batch(api, entries)
    assert [r["status"] for r in results] == [201] * 5 + [200, 422, 200, 422]
    assert results[6]["error"]["code"] == "unknown_tag"
    assert results[8]["error"]["code"] == "idempotency_conflict"
    assert results[7]["visit"] == results[0]["visit"]
    assert await Visit.count().run() == 6
    assert await Answer.count().run() == 18
    assert await AuditLog.count().where(AuditLog.action == "visit.create").run() == 6

    again = await _batch(api, entries)
    assert [r["status"] for r in again] == [200] * 6 + [422, 200, 422]
    assert [r.get("visit") for r in again[:5]] == [r["visit"] for r in results[:5]]
    assert await Visit.count().run() == 6


async def test_overlapping_batches_store_each_visit_once(api):
    """Through the API (the test client serves one request at a time); the
    same batches racing for real: tests/services/test_visit_ingest_race.py."""
    await api.login("guard")
    uids = [str(uuid.uuid4()) for _ in range(8)]
    bodies = {u: visit_body(api.world, note=u[:8]) for u in uids}
    first = [(u, bodies[u]) for u in uids[:6]]
    second = [(u, bodies[u]) for u in uids[2:]]
    a, b = await asyncio.gather(_batch(api, first), _batch(api, second))
    statuses = {}
    for r in a + b:
        statuses.setdefault(r["client_uuid"], []).append(r["status"])
    assert all(sorted(s)[-1] in (200, 201) and s.count(201) == 1 for s in statuses.values()), statuses
    assert await Visit.count().run() == 8


async def test_batch_shape_is_checked(api):
    await api.login("guard")
    for payload in ({"visits": []}, {"visits": [{"client_uuid": str(uuid.uuid4())}]},
                    {"visits": [{"client_uuid": str(uuid.uuid4()), "body": {}}] * 101}, {"nope": 1}):
        response = await api.client.post("/api/v1/visits/batch", json=payload, headers=HEADERS)
        assert response.status_code == 400 and response.json()["code"] == "malformed_body"
    assert await Visit.count().run() == 0
