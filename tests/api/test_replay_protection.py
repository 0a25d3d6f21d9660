"""The sync API refuses forged cross-site writes without a token that could go
stale in the phone's outbox."""

import uuid

import pytest

from server.db.tables import Visit
from tests.factories import visit_body


@pytest.mark.parametrize("headers", [
    {},
    {"X-Rounds-Client": "pwa", "Origin": "https://evil.example"},
    {"X-Rounds-Client": "pwa", "Sec-Fetch-Site": "cross-site"},
])
async def test_forged_writes_are_refused(api, headers):
    await api.login("guard")
    response = await api.client.put(f"/api/v1/visits/{uuid.uuid4()}", json=visit_body(api.world), headers=headers)
    assert response.status_code == 403
    assert response.json()["code"] == "cross_site_request"
    assert await Visit.count().run() == 0


async def test_same_origin_replay_is_accepted(api):
    await api.login("guard")
    headers = {"X-Rounds-Client": "pwa", "Origin": "http://testserver.local", "Sec-Fetch-Site": "same-origin"}
    response = await api.client.put(f"/api/v1/visits/{uuid.uuid4()}", json=visit_body(api.world), headers=headers)
    assert response.status_code == 201
