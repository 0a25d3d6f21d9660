"""PostgreSQL cannot store a NUL character (U+0000) in text or json; SQLite
can. A phone that sent one got a 500 on PostgreSQL and retried the visit
forever. Now the same submission is refused on both engines alike with 422
nul_character (which the field app keeps as "needs attention"), naming the
field, writing nothing, and logged at WARNING with the path and the code."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

import pytest

from tests.factories import PASSWORD, row_counts, visit_body

HEADERS = {"X-Rounds-Client": "pwa"}
NUL = "\u0000"


def _pump(world, **overrides) -> dict:
    return visit_body(world, tag_code=world.tags["a_pump"]["code"], template_version_id=world.versions["a_pump"],
                      answers=[{"item": "pressure", "value": 0.5}, {"item": "leaks", "value": "pass"}], **overrides)


def _toilet_answers(**changes) -> list[dict]:
    answers = {"floor": {"item": "floor", "value": "pass"}, "smell": {"item": "smell", "value": True},
               "soap": {"item": "soap", "value": "full"}, "remark": {"item": "remark", "value": "ok"}}
    for item, change in changes.items():
        answers[item] = {**answers[item], **change}
    return list(answers.values())


def _cases(world) -> dict[str, tuple[str, str, dict, str]]:
    """case -> (method, path, JSON body, field named in the refusal)."""
    visit = f"/api/v1/visits/{uuid.uuid4()}"
    now = datetime.now(UTC).isoformat()
    return {
        "login_username": ("POST", "/api/v1/session", {"username": f"guard{NUL}", "password": PASSWORD},
                           "username"),
        "visit_note": ("PUT", visit, visit_body(world, note=f"a{NUL}b"), "note"),
        "visit_device_id": ("PUT", visit, visit_body(world, device_id=f"phone{NUL}"), "device_id"),
        "answer_note": ("PUT", visit, visit_body(world, answers=_toilet_answers(smell={"note": f"x{NUL}"})),
                        "answers[1].note"),
        "text_answer": ("PUT", visit, visit_body(world, answers=_toilet_answers(remark={"value": f"{NUL}"})),
                        "answers[3].value"),
        "choice_answer": ("PUT", visit, visit_body(world, answers=_toilet_answers(soap={"value": f"full{NUL}"})),
                          "answers[2].value"),
        "number_visit_note": ("PUT", visit, _pump(world, note=NUL), "note"),
        "incident_note": ("PUT", f"/api/v1/incidents/{uuid.uuid4()}", {
            "kind": "hazard", "note": f"wet floor{NUL}", "location_id": world.locations["a_toilet"],
            "occurred_at": now, "device_id": "phone-1", "photos": []}, "note"),
        "fix_note": ("PUT", f"/api/v1/fixes/{uuid.uuid4()}", {
            "finding_id": 1, "note": f"done{NUL}", "photos": [str(uuid.uuid4())], "fixed_at": now,
            "device_id": "phone-1"}, "note"),
        "heartbeat_device_id": ("POST", "/api/v1/sync/status", {
            "visits": [], "device_id": f"phone{NUL}", "pending": {"visits": 1}}, "device_id"),
    }


CASES = ["login_username", "visit_note", "visit_device_id", "answer_note", "text_answer", "choice_answer",
         "number_visit_note", "incident_note", "fix_note", "heartbeat_device_id"]


@pytest.mark.parametrize("case", CASES)
async def test_nul_is_refused_with_422_writing_nothing(api, caplog, case):
    if case != "login_username":
        await api.login("team_lead")
    method, path, body, field = _cases(api.world)[case]
    before = await row_counts()
    with caplog.at_level(logging.INFO, logger="rounds"):
        response = await api.client.request(method, path, json=body, headers=HEADERS)
    assert response.status_code == 422, response.text
    refusal = response.json()
    assert refusal["code"] == "nul_character"
    assert refusal["detail"]["field"] == field
    assert refusal["messages"]["en"] and refusal["messages"]["zh-CN"]
    assert await row_counts() == before
    assert any(r.levelno >= logging.INFO and path in r.getMessage() and "nul_character" in r.getMessage()
               for r in caplog.records), caplog.text


async def test_a_nul_visit_in_a_batch_is_refused_alone(api, caplog):
    """In a batch the bad visit gets its own 422 outcome; the good one is stored."""
    await api.login("team_lead")
    bad, good = str(uuid.uuid4()), str(uuid.uuid4())
    batch = {"visits": [{"client_uuid": bad, "body": visit_body(api.world, note=NUL)},
                        {"client_uuid": good, "body": visit_body(api.world)}]}
    with caplog.at_level(logging.INFO, logger="rounds"):
        response = await api.client.post("/api/v1/visits/batch", json=batch, headers=HEADERS)
    assert response.status_code == 200, response.text
    first, second = response.json()["results"]
    assert (first["status"], first["error"]["code"]) == (422, "nul_character")
    assert second["status"] == 201
    assert any("/api/v1/visits/batch" in r.getMessage() and "nul_character" in r.getMessage() and bad in r.getMessage()
               for r in caplog.records), caplog.text


async def test_nul_in_a_query_parameter_is_refused(api):
    """The photo upload's item id comes in the query string."""
    await api.login("team_lead")
    before = await row_counts()
    response = await api.put_photo(str(uuid.uuid4()), b"\xff\xd8\xff", visit=str(uuid.uuid4()), item=f"floor{NUL}")
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "nul_character"
    assert await row_counts() == before
