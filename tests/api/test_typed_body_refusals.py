"""Bodies are decoded into typed models; a body that does not fit its model is
refused with our own 400 malformed_body (never Litestar's validation shape), in
the user's language, saying what did not fit, and nothing is written."""

import uuid

import pytest

from server.db.tables import DeviceSeen, Incident, User, Visit
from tests.factories import visit_body

HEADERS = {"X-Rounds-Client": "pwa"}


def _bad_bodies(world):
    return {
        "visit_unknown_field": ("PUT", f"/api/v1/visits/{uuid.uuid4()}", visit_body(world, weather="sunny")),
        "visit_answers_not_a_list": ("PUT", f"/api/v1/visits/{uuid.uuid4()}", visit_body(world, answers="all good")),
        "visit_answer_photo_not_uuid": ("PUT", f"/api/v1/visits/{uuid.uuid4()}", visit_body(
            world, answers=[{"item": "floor", "value": "pass", "photos": ["nope"]}])),
        "visit_body_is_a_list": ("PUT", f"/api/v1/visits/{uuid.uuid4()}", []),
        "batch_empty": ("POST", "/api/v1/visits/batch", {"visits": []}),
        "incident_photos_null": ("PUT", f"/api/v1/incidents/{uuid.uuid4()}",
                                 {"kind": "hazard", "occurred_at": "2026-01-01T00:00:00+00:00", "photos": None}),
        "status_pending_negative": ("POST", "/api/v1/sync/status", {"device_id": "d-1", "pending": {"visits": -1}}),
        "login_username_number": ("POST", "/api/v1/session", {"username": 7, "password": "x"}),
    }


@pytest.mark.parametrize("case", [
    "visit_unknown_field", "visit_answers_not_a_list", "visit_answer_photo_not_uuid", "visit_body_is_a_list",
    "batch_empty", "incident_photos_null", "status_pending_negative", "login_username_number",
])
async def test_body_that_does_not_fit_is_malformed_in_our_shape(api, case):
    await api.login("guard")  # language en
    method, path, body = _bad_bodies(api.world)[case]
    # Logging in has no user yet: its language comes from Accept-Language.
    headers = {**HEADERS, "Accept-Language": "en"} if case.startswith("login") else HEADERS
    response = await api.client.request(method, path, json=body, headers=headers)
    assert response.status_code == 400, response.text
    reply = response.json()
    assert set(reply) == {"code", "message", "messages", "detail", "request_id"}
    assert reply["code"] == "malformed_body"
    assert reply["message"] == "The request body is malformed."
    assert reply["messages"] == {"en": "The request body is malformed.", "zh-CN": "请求内容格式错误。"}
    assert reply["detail"]
    assert (await Visit.count().run(), await Incident.count().run(), await DeviceSeen.count().run()) == (0, 0, 0)


async def test_refusal_follows_the_users_language(api):
    await api.login("outsider")  # language zh-CN
    response = await api.put_visit(str(uuid.uuid4()), visit_body(api.world, weather="sunny"))
    assert response.status_code == 400
    assert response.json()["message"] == "请求内容格式错误。"


async def test_language_outside_the_choices_keeps_its_code(api):
    await api.login("guard")
    response = await api.client.patch("/api/v1/session", json={"language": "fr"}, headers=HEADERS)
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert (await User.select(User.language).where(User.username == "guard").first().run())["language"] == "en"
