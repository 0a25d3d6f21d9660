import uuid

from server.db.tables import Answer, Visit
from tests.factories import visit_body


async def test_same_uuid_with_a_different_body_is_refused(api):
    await api.login("guard")
    uid = str(uuid.uuid4())
    assert (await api.put_visit(uid, visit_body(api.world))).status_code == 201

    changed = visit_body(api.world, note="edited afterwards")
    response = await api.put_visit(uid, changed)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "idempotency_conflict"
    assert body["messages"]["zh-CN"] and body["messages"]["en"]
    assert await Visit.count().run() == 1
    assert await Visit.select(Visit.note).first().run() == {"note": ""}
    assert await Answer.count().run() == 3


async def test_same_uuid_from_another_user_is_refused(api):
    await api.login("guard")
    uid = str(uuid.uuid4())
    body = visit_body(api.world)
    assert (await api.put_visit(uid, body)).status_code == 201
    await api.login("cleaner")
    response = await api.put_visit(uid, body)
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_conflict"
    assert await Visit.count().run() == 1
