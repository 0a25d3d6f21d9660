import asyncio
import uuid

from server.db.tables import Answer, Finding, Visit
from tests.factories import visit_body


async def test_concurrent_puts_of_one_uuid_leave_exactly_one_visit(api):
    await api.login("guard")
    uid = str(uuid.uuid4())
    body = visit_body(api.world, answers=[
        {"item": "floor", "value": "fail", "note": "纸屑", "photos": [str(uuid.uuid4())]},
        {"item": "smell", "value": True},
    ])
    responses = await asyncio.gather(*[api.put_visit(uid, body) for _ in range(6)])
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 200, 200, 200, 200, 201], [r.text for r in responses]
    assert len({r.text for r in responses}) == 1  # every reply describes the same stored visit
    assert await Visit.count().run() == 1
    assert await Answer.count().run() == 2
    assert await Finding.count().run() == 1
