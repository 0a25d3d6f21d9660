"""JSON has one number type: 12.0 is the integer 12, which the schema's
`integer` allows. Ids and counts sent that way are accepted, not refused."""

import uuid

from server.db.tables import DeviceSeen, Visit
from tests.factories import visit_body

HEADERS = {"X-Rounds-Client": "pwa"}


async def test_visit_with_template_version_as_float_is_accepted(api):
    await api.login("guard")
    body = visit_body(api.world, template_version_id=float(api.world.versions["a_toilet"]))
    response = await api.put_visit(str(uuid.uuid4()), body)
    assert response.status_code == 201, response.text
    assert await Visit.count().run() == 1


async def test_heartbeat_counts_as_floats_are_accepted(api):
    await api.login("guard")
    response = await api.client.post("/api/v1/sync/status", headers=HEADERS,
                                      json={"device_id": "d-1", "pending": {"visits": 3.0, "photos": 0.0}})
    assert response.status_code == 200, response.text
    row = await DeviceSeen.select(DeviceSeen.pending_visits).first().run()
    assert row["pending_visits"] == 3


async def test_fractional_id_is_still_refused(api):
    await api.login("guard")
    body = visit_body(api.world, template_version_id=api.world.versions["a_toilet"] + 0.5)
    response = await api.put_visit(str(uuid.uuid4()), body)
    assert response.status_code == 400 and response.json()["code"] == "malformed_body"
    assert await Visit.count().run() == 0
