"""A rectification reaches its owner's phone in the pack; the phone sends the
after-photo (?fix=<uuid>) and the fix (PUT /api/v1/fixes/<uuid>), resend-safe;
sync/status knows the fix; supervisors see the after-photo; refusals are 4xx
with a code."""

import uuid
from datetime import UTC, datetime, timedelta

from server.db.tables import Finding, FindingEvent
from server.services import findings
from tests.supervision_support import jpeg, send_visit, user

HEADERS = {"X-Rounds-Client": "pwa"}


async def _rectification(api) -> int:
    await send_visit(api.world, await user(api.world, "cleaner"), floor="fail", kind="self_check")
    fid = (await Finding.select(Finding.id).first().run())["id"]
    await findings.open_rectification(await user(api.world, "supervisor"), fid, owner_id=api.world.users["cleaner"],
                                      deadline=datetime.now(UTC) + timedelta(hours=4), note="下班前清理")
    return fid


async def test_pack_photo_fix_resend_and_status(api):
    fid = await _rectification(api)
    await api.login("cleaner")
    pack = (await api.client.get("/api/v1/pack")).json()
    [task] = pack["rectifications"]
    assert task["finding_id"] == fid and task["location_id"] == api.world.locations["a_toilet"]
    assert task["item_id"] == "floor" and task["label_zh"] == "地面无垃圾" and task["note"] == "下班前清理"
    assert task["stage"] == "to_fix" and task["deadline"] and task["fix_uuids"] == []

    fix_uuid, pid = str(uuid.uuid4()), str(uuid.uuid4())
    r = await api.put_photo(pid, jpeg((30, 160, 60)), fix=fix_uuid, item="floor")
    assert r.status_code == 201 and r.json()["photo"]["fix_uuid"] == fix_uuid
    body = {"finding_id": fid, "note": "已清扫干净", "photos": [pid], "fixed_at": datetime.now(UTC).isoformat(),
            "device_id": "d-1"}
    r = await api.client.put(f"/api/v1/fixes/{fix_uuid}", json=body, headers=HEADERS)
    assert r.status_code == 201, r.text
    r2 = await api.client.put(f"/api/v1/fixes/{fix_uuid}", json=body, headers=HEADERS)
    assert r2.status_code == 200 and r2.json() == r.json()
    assert await FindingEvent.count().where(FindingEvent.kind == "fix_submitted").run() == 1
    r = await api.client.put(f"/api/v1/fixes/{fix_uuid}", json={**body, "note": "x"}, headers=HEADERS)
    assert r.status_code == 422 and r.json()["code"] == "idempotency_conflict"

    status = (await api.client.post("/api/v1/sync/status", headers=HEADERS, json={
        "fixes": [fix_uuid, str(uuid.uuid4())]})).json()
    assert status["fixes"] == {fix_uuid: True, **{k: False for k in status["fixes"] if k != fix_uuid}}
    pack = (await api.client.get("/api/v1/pack")).json()
    assert pack["rectifications"][0]["stage"] == "fix_submitted"
    assert pack["rectifications"][0]["fix_uuids"] == [fix_uuid]

    # the supervisor sees the after-photo (it belongs to the finding's site)
    await api.login("supervisor")
    assert (await api.client.get(f"/photos/{pid}/evidence.jpg")).status_code == 200
    await api.login("guard")  # a field worker who is not its owner does not
    assert (await api.client.get(f"/photos/{pid}/evidence.jpg")).status_code == 404


async def test_refusals_have_codes_and_write_nothing(api):
    fid = await _rectification(api)
    await api.login("guard")
    body = {"finding_id": fid, "note": "done", "photos": [str(uuid.uuid4())],
            "fixed_at": datetime.now(UTC).isoformat()}
    r = await api.client.put(f"/api/v1/fixes/{uuid.uuid4()}", json=body, headers=HEADERS)
    assert r.status_code == 403 and r.json()["code"] == "not_finding_owner"
    assert r.json()["messages"]["zh-CN"] and r.json()["messages"]["en"]
    await api.login("cleaner")
    r = await api.client.put(f"/api/v1/fixes/{uuid.uuid4()}", json={**body, "photos": []}, headers=HEADERS)
    assert r.status_code == 422 and r.json()["code"] == "fix_incomplete"
    r = await api.client.put(f"/api/v1/fixes/{uuid.uuid4()}", json=body)  # no replay-safe header
    assert r.status_code == 403 and r.json()["code"] == "cross_site_request"
    r = await api.client.put("/api/v1/fixes/not-a-uuid", json=body, headers=HEADERS)
    assert r.status_code == 400 and r.json()["code"] == "malformed_body"
    # someone else's fix UUID cannot carry my photo
    other_fix = str(uuid.uuid4())
    await api.client.put(f"/api/v1/fixes/{other_fix}", json=body, headers=HEADERS)
    await api.login("guard")
    r = await api.put_photo(str(uuid.uuid4()), jpeg(), fix=other_fix)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    await api.login("cleaner")
    await send_visit(api.world, await user(api.world, "team_lead"), floor="pass")  # closed by re-inspection
    r = await api.client.put(f"/api/v1/fixes/{uuid.uuid4()}", json=body, headers=HEADERS)
    assert r.status_code == 422 and r.json()["code"] == "finding_not_rectifying"
    assert (await api.client.get("/api/v1/pack")).json()["rectifications"] == []
    assert await FindingEvent.count().where(FindingEvent.kind == "fix_submitted").run() == 1
