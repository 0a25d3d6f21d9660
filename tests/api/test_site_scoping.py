"""Nobody reads or writes a site they are not a member of, on any endpoint."""

import uuid
from datetime import UTC, datetime

import pytest

from server.db.tables import Answer, AuditLog, Incident, Photo, Visit
from tests.api.test_photo_upload import jpeg
from tests.factories import visit_body

ROLES = ["guard", "cleaner", "technician", "team_lead", "inspector", "supervisor", "manager", "admin"]

ENDPOINTS = [
    ("GET", "/api/v1/pack", None),
    ("GET", "/api/v1/session", None),
    ("PUT", f"/api/v1/visits/{uuid.uuid4()}", {}),
    ("PUT", f"/api/v1/incidents/{uuid.uuid4()}", {}),
    ("PUT", f"/api/v1/photos/{uuid.uuid4()}", None),
    ("POST", "/api/v1/visits/batch", {"visits": []}),
    ("GET", f"/api/v1/photos/{uuid.uuid4()}", None),
    ("POST", "/api/v1/sync/status", {}),
    ("PATCH", "/api/v1/session", {}),
]


@pytest.mark.parametrize("method,path,body", ENDPOINTS)
async def test_every_api_endpoint_needs_a_session(api, method, path, body):
    response = await api.client.request(method, path, json=body, headers={"X-Rounds-Client": "pwa"})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_pack_holds_only_the_users_sites(api):
    await api.login("outsider")
    pack = (await api.client.get("/api/v1/pack")).json()
    assert [s["code"] for s in pack["sites"]] == ["beta"]
    codes = {t["code"] for t in pack["sites"][0]["tags"]}
    assert api.world.tags["a_toilet"]["code"] not in codes
    assert {t["template_id"] for t in pack["templates"]} and all(
        t["id"] in (api.world.versions["b_toilet"], api.world.versions["b_pump"]) for t in pack["templates"])


async def _site_b_records(api) -> dict:
    """What the outsider (a guard of site B only) recorded there: a visit with a
    photo and an incident."""
    await api.login("outsider")
    visit, photo, incident = (str(uuid.uuid4()) for _ in range(3))
    body = visit_body(api.world, tag_code=api.world.tags["b_toilet"]["code"],
                      template_version_id=api.world.versions["b_toilet"],
                      answers=[{"item": "floor", "value": "fail", "note": "x", "photos": [photo]},
                               {"item": "smell", "value": True}])
    assert (await api.put_visit(visit, body)).status_code == 201
    assert (await api.put_photo(photo, jpeg(), visit=visit, item="floor")).status_code == 201
    response = await api.client.put(f"/api/v1/incidents/{incident}", headers={"X-Rounds-Client": "pwa"},
                                    json={"kind": "hazard", "note": "x", "tag_code": api.world.tags["b_pump"]["code"],
                                          "occurred_at": datetime.now(UTC).isoformat()})
    assert response.status_code == 201, response.text
    return {"visit": visit, "photo": photo, "incident": incident}


async def _counts() -> tuple[int, ...]:
    return (await Visit.count().run(), await Answer.count().run(), await Photo.count().run(),
            await Incident.count().run(), await AuditLog.count().run())


@pytest.mark.parametrize("role", ROLES)
async def test_no_role_reaches_a_site_it_is_not_a_member_of(api, role):
    theirs = await _site_b_records(api)
    await api.login(role)
    before = await _counts()
    h = {"X-Rounds-Client": "pwa"}
    b_visit = visit_body(api.world, tag_code=api.world.tags["b_toilet"]["code"],
                         template_version_id=api.world.versions["b_toilet"])

    # write a visit there: one by one, in a batch, by typed short code (its
    # labels look unknown: see test_foreign_codes_look_unknown)
    response = await api.put_visit(str(uuid.uuid4()), b_visit)
    assert response.status_code == 422 and response.json()["code"] == "unknown_tag"
    typed = {k: v for k, v in b_visit.items() if k != "tag_code"} | {
        "short_code": api.world.tags["b_toilet"]["short_code"], "scan_method": "typed"}
    response = await api.put_visit(str(uuid.uuid4()), typed)
    assert response.status_code == 422 and response.json()["code"] == "unknown_tag"
    response = await api.client.post("/api/v1/visits/batch", headers=h, json={"visits": [
        {"client_uuid": str(uuid.uuid4()), "body": b_visit}]})
    assert response.status_code == 200
    assert [r["error"]["code"] for r in response.json()["results"]] == ["unknown_tag"]
    # report an incident there
    response = await api.client.put(f"/api/v1/incidents/{uuid.uuid4()}", headers=h, json={
        "kind": "hazard", "note": "x", "tag_code": api.world.tags["b_pump"]["code"],
        "occurred_at": datetime.now(UTC).isoformat()})
    assert response.status_code == 422 and response.json()["code"] == "unknown_tag"
    # see or extend what was recorded there
    response = await api.client.get(f"/api/v1/photos/{theirs['photo']}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = await api.client.get(f"/photos/{theirs['photo']}/evidence.jpg")
    assert response.status_code == 404
    response = await api.put_photo(str(uuid.uuid4()), jpeg(), visit=theirs["visit"], item="floor")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    # the sync status and the pack say nothing of it
    status = (await api.client.post("/api/v1/sync/status", headers=h, json={
        "visits": [theirs["visit"]], "photos": [theirs["photo"]], "incidents": [theirs["incident"]]})).json()
    assert status == {"visits": {theirs["visit"]: False}, "photos": {theirs["photo"]: False},
                      "incidents": {theirs["incident"]: False}}
    pack = (await api.client.get("/api/v1/pack")).json()
    assert [site["code"] for site in pack["sites"]] == ["alpha"]
    assert api.world.tags["b_toilet"]["code"] not in {t["code"] for t in pack["sites"][0]["tags"]}
    assert api.world.versions["b_toilet"] not in {t["id"] for t in pack["templates"]}

    assert await _counts() == before  # nothing written by any refusal


async def test_field_roles_cannot_file_spot_checks(api):
    await api.login("guard")
    response = await api.put_visit(str(uuid.uuid4()), visit_body(api.world, kind="spot_check"))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    await api.login("inspector")
    response = await api.put_visit(str(uuid.uuid4()), visit_body(api.world, kind="spot_check"))
    assert response.status_code == 201


async def test_sync_status_reveals_only_own_items(api):
    await api.login("guard")
    mine = str(uuid.uuid4())
    assert (await api.put_visit(mine, visit_body(api.world))).status_code == 201
    await api.login("cleaner")
    status = (await api.client.post("/api/v1/sync/status", json={"visits": [mine]},
                                    headers={"X-Rounds-Client": "pwa"})).json()
    assert status["visits"] == {mine: False}
    await api.login("guard")
    status = (await api.client.post("/api/v1/sync/status", json={"visits": [mine], "photos": []},
                                    headers={"X-Rounds-Client": "pwa"})).json()
    assert status["visits"] == {mine: True}


async def test_photo_cannot_be_attached_to_someone_elses_visit(api):
    await api.login("guard")
    visit = str(uuid.uuid4())
    assert (await api.put_visit(visit, visit_body(api.world))).status_code == 201
    await api.login("cleaner")
    response = await api.put_photo(str(uuid.uuid4()), jpeg(), visit=visit)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
