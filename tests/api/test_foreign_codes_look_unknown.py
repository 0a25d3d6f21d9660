"""A guard of site B cannot tell another site's labels and locations from ones
that do not exist: every field lookup answers both the same way (status, code,
messages) and writes nothing."""

import uuid
from datetime import UTC, datetime

from server.db.tables import AuditLog, Incident, Visit
from tests.api.conftest import HEADERS
from tests.factories import visit_body


def _same_refusal(foreign, unknown, code: str) -> None:
    assert foreign.status_code == unknown.status_code == 422, (foreign.text, unknown.text)
    # Everything but the request id (one per request) is the same.
    strip = lambda reply: {k: v for k, v in reply.json().items() if k != "request_id"}  # noqa: E731
    assert strip(foreign) == strip(unknown)
    assert foreign.json()["code"] == code


def _b_visit(world, **overrides) -> dict:
    return visit_body(world, template_version_id=world.versions["b_toilet"], **overrides)


async def _counts() -> tuple[int, ...]:
    return await Visit.count().run(), await Incident.count().run(), await AuditLog.count().run()


async def test_a_foreign_label_is_answered_like_an_unknown_one(api):
    w = api.world
    await api.login("outsider")  # a guard of site B only
    before = await _counts()
    foreign_tag, foreign_short = w.tags["a_toilet"]["code"], w.tags["a_toilet"]["short_code"]

    # scanned code, typed short code, and a revoked label of the other site
    for field_, foreign, unknown in (("tag_code", foreign_tag, "no-such-code"),
                                     ("short_code", foreign_short, "ZZZZ99"),
                                     ("tag_code", w.tags["a_old"]["code"], "no-such-code-2")):
        bodies = [_b_visit(w, **({"tag_code": None} | {field_: value})) for value in (foreign, unknown)]
        answers = [await api.put_visit(str(uuid.uuid4()), body) for body in bodies]
        _same_refusal(*answers, "unknown_tag")

        batch = await api.client.post("/api/v1/visits/batch", headers=HEADERS, json={"visits": [
            {"client_uuid": str(uuid.uuid4()), "body": body} for body in bodies]})
        errors = [r["error"] for r in batch.json()["results"]]
        assert errors[0] == errors[1] and errors[0]["code"] == "unknown_tag"

    # an incident at the other site's label, or at its location id
    def incident(**where) -> dict:
        return {"kind": "hazard", "note": "x", "occurred_at": datetime.now(UTC).isoformat(), **where}

    answers = [await api.client.put(f"/api/v1/incidents/{uuid.uuid4()}", headers=HEADERS, json=incident(**place))
               for place in ({"tag_code": foreign_tag}, {"tag_code": "no-such-code"})]
    _same_refusal(*answers, "unknown_tag")
    answers = [await api.client.put(f"/api/v1/incidents/{uuid.uuid4()}", headers=HEADERS, json=incident(**place))
               for place in ({"location_id": api.world.locations["a_pump"]}, {"location_id": 987654})]
    _same_refusal(*answers, "unknown_location")

    # the label link a camera opens is the same page for both
    pages = [await api.client.get(f"/t/{code}") for code in (foreign_tag, "no-such-code")]
    assert pages[0].status_code == pages[1].status_code == 200
    assert pages[0].content == pages[1].content

    assert await _counts() == before


async def test_own_labels_still_work_for_the_outsider(api):
    await api.login("outsider")
    response = await api.put_visit(str(uuid.uuid4()), _b_visit(api.world, tag_code=api.world.tags["b_toilet"]["code"]))
    assert response.status_code == 201, response.text
