"""Nobody reads or writes a site they are not a member of, on any endpoint."""

import uuid

import pytest

from server.db.tables import Incident, Visit
from tests.api.test_photo_upload import jpeg
from tests.factories import visit_body

ENDPOINTS = [
    ("GET", "/api/v1/pack", None),
    ("GET", "/api/v1/session", None),
    ("PUT", f"/api/v1/visits/{uuid.uuid4()}", {}),
    ("PUT", f"/api/v1/incidents/{uuid.uuid4()}", {}),
    ("PUT", f"/api/v1/photos/{uuid.uuid4()}", None),
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


@pytest.mark.parametrize("role", ["guard", "cleaner", "technician", "team_lead", "inspector",
                                  "supervisor", "manager", "admin"])
async def test_no_role_writes_to_a_site_it_is_not_a_member_of(api, role):
    await api.login(role)
    kind = "patrol"
    response = await api.put_visit(str(uuid.uuid4()), visit_body(
        api.world, tag_code=api.world.tags["b_toilet"]["code"],
        template_version_id=api.world.versions["b_toilet"], kind=kind))
    assert response.status_code == 403 and response.json()["code"] == "site_forbidden"
    now = "2026-11-22T08:00:00+00:00"
    response = await api.client.put(
        f"/api/v1/incidents/{uuid.uuid4()}", headers={"X-Rounds-Client": "pwa"},
        json={"kind": "hazard", "note": "x", "tag_code": api.world.tags["b_pump"]["code"],
              "occurred_at": now})
    assert response.status_code in (403, 422)
    assert response.json()["code"] in ("site_forbidden", "invalid_time")
    assert await Visit.count().run() == 0 and await Incident.count().run() == 0


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
