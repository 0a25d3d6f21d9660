"""Every refusal has its code, a message in both languages, and writes nothing."""

import uuid

import pytest

from server.db.tables import Answer, AuditLog, Finding, Visit
from tests.factories import visit_body


def _cases(world):
    photo = str(uuid.uuid4())
    return {
        "unknown_tag": visit_body(world, tag_code="no-such-code"),
        "unknown_tag_typed": visit_body(world, tag_code=None, short_code="ZZZZZZ"),
        "revoked_tag": visit_body(world, tag_code=world.tags["a_old"]["code"]),
        "site_forbidden": visit_body(world, tag_code=world.tags["b_toilet"]["code"],
                                     template_version_id=world.versions["b_toilet"]),
        "unknown_template_version": visit_body(world, template_version_id=99999),
        "unknown_template_version_other_site": visit_body(world, template_version_id=world.versions["b_toilet"]),
        "required_answer_missing": visit_body(world, answers=[{"item": "floor", "value": "pass"}]),
        "number_out_of_range": visit_body(
            world, tag_code=world.tags["a_pump"]["code"], template_version_id=world.versions["a_pump"],
            answers=[{"item": "pressure", "value": 9.5}, {"item": "leaks", "value": "pass"}]),
        "photo_required": visit_body(world, answers=[
            {"item": "floor", "value": "fail", "note": "dirty"}, {"item": "smell", "value": True}]),
        "note_required": visit_body(world, answers=[
            {"item": "floor", "value": "fail", "photos": [photo]}, {"item": "smell", "value": True}]),
        "invalid_answer": visit_body(world, answers=[
            {"item": "floor", "value": 3}, {"item": "smell", "value": True}]),
        "unknown_item": visit_body(world, answers=[
            {"item": "floor", "value": "pass"}, {"item": "smell", "value": True}, {"item": "nope", "value": 1}]),
        "invalid_kind": visit_body(world, kind="picnic"),
        "invalid_time": visit_body(world, scanned_at="yesterday"),
        "malformed_body": {"tag_code": world.tags["a_toilet"]["code"]},
        "malformed_unknown_field": visit_body(world, extra_field=1),
        "unknown_round": visit_body(world, round_id=424242),
    }


EXPECTED = {
    "unknown_tag_typed": "unknown_tag",
    "site_forbidden": "unknown_tag",  # another site's label looks unknown
    "unknown_template_version_other_site": "unknown_template_version",
    "malformed_unknown_field": "malformed_body",
}


async def _counts():
    return (await Visit.count().run(), await Answer.count().run(), await Finding.count().run(),
            await AuditLog.count().run())


@pytest.mark.parametrize("case", [
    "unknown_tag", "unknown_tag_typed", "revoked_tag", "site_forbidden", "unknown_template_version",
    "unknown_template_version_other_site", "required_answer_missing", "number_out_of_range",
    "photo_required", "note_required", "invalid_answer", "unknown_item", "invalid_kind", "invalid_time",
    "malformed_body", "malformed_unknown_field", "unknown_round",
])
async def test_rejection_has_code_and_writes_nothing(api, case):
    await api.login("guard")
    before = await _counts()
    response = await api.put_visit(str(uuid.uuid4()), _cases(api.world)[case])
    assert 400 <= response.status_code < 500, response.text
    body = response.json()
    assert body["code"] == EXPECTED.get(case, case)
    assert body["messages"]["en"] and body["messages"]["zh-CN"]
    assert await _counts() == before


async def test_non_json_body_is_malformed(api):
    await api.login("guard")
    response = await api.client.put(f"/api/v1/visits/{uuid.uuid4()}", content=b"{not json",
                                    headers={"X-Rounds-Client": "pwa", "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_body"


async def test_bad_uuid_is_malformed(api):
    await api.login("guard")
    response = await api.put_visit("not-a-uuid", visit_body(api.world))
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_body"
    assert await Visit.count().run() == 0


async def test_message_follows_the_users_language(api):
    await api.login("outsider")  # language zh-CN
    response = await api.put_visit(str(uuid.uuid4()), visit_body(api.world, tag_code="nope"))
    assert response.json()["message"] == "无法识别此标签。"
