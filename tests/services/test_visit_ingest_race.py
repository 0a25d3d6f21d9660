"""Two sends of one visit UUID that race past the "already stored?" check at
the same moment: the database's unique index settles it, the losers get the
winner's stored result, and exactly one visit (with its answers, finding and
audit row) exists. A barrier holds every sender until all have passed the
check, so the race path really runs (on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from server.db.tables import Answer, AuditLog, Finding, Visit
from server.services import visits
from server.services.accounts import load_user
from tests.factories import visit_body

SENDERS = 5


def _failed_visit(world) -> dict:
    return visit_body(world, answers=[
        {"item": "floor", "value": "fail", "note": "纸屑", "photos": [str(uuid.uuid4())]},
        {"item": "smell", "value": True},
    ])


def _hold_each_task_once(monkeypatch, name: str, parties: int) -> list[str]:
    """Wrap visits.<name> so each task's first call waits until `parties` tasks
    have made theirs. Returns a log of the calls that waited."""
    original = getattr(visits, name)
    barrier = asyncio.Barrier(parties)
    held: set[asyncio.Task] = set()
    log: list[str] = []

    async def wrapped(*args, **kwargs):
        result = await original(*args, **kwargs)
        task = asyncio.current_task()
        if task not in held:
            held.add(task)
            log.append(name)
            await asyncio.wait_for(barrier.wait(), timeout=20)
        return result

    monkeypatch.setattr(visits, name, wrapped)
    return log


async def test_racing_puts_of_one_uuid_store_one_visit(world, monkeypatch):
    user = await load_user(world.users["guard"])
    uid, body = str(uuid.uuid4()), _failed_visit(world)
    held = _hold_each_task_once(monkeypatch, "_prepare", SENDERS)

    results = await asyncio.gather(*[
        visits.ingest_visit(user, uid, body, secret="s") for _ in range(SENDERS)])

    assert len(held) == SENDERS  # every sender was past the check before anyone wrote
    assert sorted(created for created, _ in results) == [False] * (SENDERS - 1) + [True]
    assert len({repr(result) for _, result in results}) == 1  # losers see the winner's result
    assert await Visit.count().run() == 1
    assert await Answer.count().run() == 2
    assert await Finding.count().run() == 1
    assert await AuditLog.count().where(AuditLog.action == "visit.create").run() == 1


async def test_racing_overlapping_batches_store_each_visit_once(world, monkeypatch):
    user = await load_user(world.users["guard"])
    uids = [str(uuid.uuid4()) for _ in range(6)]
    bodies = {u: visit_body(world, note=u[:8]) for u in uids}
    first = [(u, bodies[u]) for u in uids[:4]]
    second = [(u, bodies[u]) for u in uids[2:]]  # uids[2:4] are in both
    held = _hold_each_task_once(monkeypatch, "_stored_many", 2)

    a, b = await asyncio.gather(visits.ingest_visits(user, first, secret="s"),
                                visits.ingest_visits(user, second, secret="s"))

    assert len(held) == 2
    by_uuid: dict[str, list] = {}
    for outcome in a + b:
        assert outcome.error is None, outcome.error
        by_uuid.setdefault(outcome.client_uuid, []).append(outcome)
    for u, outcomes in by_uuid.items():
        assert sorted(o.status for o in outcomes) in ([201], [200, 201]), (u, outcomes)
        assert len({repr(o.visit) for o in outcomes}) == 1
    assert await Visit.count().run() == 6
    assert await Answer.count().run() == 18
    assert await AuditLog.count().where(AuditLog.action == "visit.create").run() == 6


@pytest.mark.parametrize("changed", ["note", "answers"])
async def test_racing_puts_with_different_bodies_refuse_the_loser(world, monkeypatch, changed):
    user = await load_user(world.users["guard"])
    uid = str(uuid.uuid4())
    body = visit_body(world)
    other = {**body, "note": "other"} if changed == "note" else {
        **body, "answers": [{**a, "value": "fail", "note": "x", "photos": [str(uuid.uuid4())]}
                            if a["item"] == "floor" else a
                            for a in body["answers"]]}
    _hold_each_task_once(monkeypatch, "_prepare", 2)

    results = await asyncio.gather(visits.ingest_visit(user, uid, body, secret="s"),
                                   visits.ingest_visit(user, uid, other, secret="s"),
                                   return_exceptions=True)

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and getattr(errors[0], "code", None) == "idempotency_conflict"
    assert await Visit.count().run() == 1
