"""Every item kind's answer survives the round trip: a visit with one answer
of each kind is sent as the phone sends it (photos first, then the visit),
then every page and reply that shows answers is opened and must answer 200
and show the value. On SQLite the number answer used to come back as a float
that Piccolo's JSON decoding refused: the visit page was a 500.

Parametrized over item kinds x pages x engines (only the pages that show a
given kind: a finding exists only for an item that can fail, the review queue
and the evidence print only for answers with a photo)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from server.db.tables import Finding, Location, Template, TemplateVersion, Visit
from tests.factories import PASSWORD
from tests.supervision_support import jpeg

HEADERS = {"X-Rounds-Client": "pwa"}
ITEMS = [
    {"id": "pf", "kind": "pass_fail", "label_zh": "门关闭", "label_en": "Door shut", "photo_on_fail": True,
     "points": 1},
    {"id": "yn", "kind": "yes_no", "label_zh": "无渗水", "label_en": "No seepage", "fail_on": False, "points": 1},
    {"id": "num", "kind": "number", "label_zh": "出水压力", "label_en": "Outlet pressure", "unit": "MPa",
     "min": 0, "max": 2.5, "pass_min": 0.2, "pass_max": 0.8, "points": 2},
    {"id": "txt", "kind": "text", "label_zh": "备注", "label_en": "Remarks", "required": False},
    {"id": "ch", "kind": "choice", "label_zh": "油位", "label_en": "Oil level",
     "choices": [{"value": "ok", "label_zh": "正常", "label_en": "OK", "fails": False},
                 {"value": "low", "label_zh": "偏低", "label_en": "Low", "fails": True}]},
    {"id": "ph", "kind": "photo", "label_zh": "仪表照片", "label_en": "Gauge photo"},
    {"id": "sig", "kind": "signature", "label_zh": "签名", "label_en": "Signature"},
]
KINDS = [i["kind"] for i in ITEMS]
ITEM_OF = {i["kind"]: i for i in ITEMS}
# The value each kind sends. The text answer is "true" on purpose: decoded one
# time too many it would turn into the boolean and be shown as "Yes".
VALUES = {"pass_fail": "fail", "yes_no": False, "number": 0.95, "text": "true", "choice": "low",
          "photo": None, "signature": None}
NOTES = {"pass_fail": "门未关 door open", "yes_no": "渗水 seepage", "number": "压力高 high", "choice": "加油 refill"}
FAILS = {"pass_fail", "yes_no", "number", "choice"}
WITH_PHOTO = {"pass_fail", "photo", "signature"}
# What the console shows for each value (an English-speaking supervisor).
SHOWN = {"pass_fail": "Fail", "yes_no": "No", "number": "0.95", "text": "true", "choice": "low"}
SHOWN_SETUP = {"pass_fail": "fail", "yes_no": "✗", "number": "0.95", "text": "true", "choice": "low"}


async def _api_login(console, username: str) -> None:
    console.client.cookies.clear()
    r = await console.client.post("/api/v1/session", json={"username": username, "password": PASSWORD},
                                  headers=HEADERS)
    assert r.status_code == 200, r.text


async def _send(console, first_photo: str) -> dict:
    """The phone's round trip: photos (the tested kind's first, so it heads the
    review queue), then the visit; the resend and the sync status as well."""
    import hashlib

    world = console.world
    now = datetime.now(UTC)
    template = (await Template.insert(Template(site=world.site_a, key="plant", name_zh="机房", name_en="Plant room",
                                               department="", created_at=now)).run())[0]["id"]
    version = (await TemplateVersion.insert(TemplateVersion(
        template=template, version=1, name_zh="机房", name_en="Plant room", items=ITEMS, checksum="z",
        published_at=now)).run())[0]["id"]
    # The pump room is checked with it, so the phone's pack carries the version.
    await Location.update({Location.template: template}).where(Location.id == world.locations["a_pump"]).run()
    await _api_login(console, "team_lead")
    visit_uuid = str(uuid.uuid4())
    photos: dict[str, str] = {}
    for n, kind in enumerate(sorted(WITH_PHOTO, key=lambda k: k != first_photo)):
        pid, data = str(uuid.uuid4()), jpeg((60 * n, 120, 200 - 60 * n))
        r = await console.client.put(f"/api/v1/photos/{pid}", content=data, params={
            "visit": visit_uuid, "item": ITEM_OF[kind]["id"]}, headers={
            **HEADERS, "Content-Type": "image/jpeg", "X-Content-SHA256": hashlib.sha256(data).hexdigest()})
        assert r.status_code == 201, r.text
        photos[kind] = pid
    answers = []
    for item in ITEMS:
        answer = {"item": item["id"], "value": VALUES[item["kind"]]}
        if item["kind"] in NOTES:
            answer["note"] = NOTES[item["kind"]]
        if item["kind"] in photos:
            answer["photos"] = [photos[item["kind"]]]
        answers.append(answer)
    body = {"tag_code": world.tags["a_pump"]["code"], "template_version_id": version, "kind": "patrol",
            "scan_method": "scan", "scanned_at": now.isoformat(), "finished_at": now.isoformat(),
            "device_id": "phone-1", "note": "", "answers": answers}
    first = await console.client.put(f"/api/v1/visits/{visit_uuid}", json=body, headers=HEADERS)
    assert first.status_code == 201, first.text
    visit_id = (await Visit.select(Visit.id).where(Visit.client_uuid == uuid.UUID(visit_uuid)).first().run())["id"]
    findings = {f["item_id"]: f["id"] for f in await Finding.select(Finding.id, Finding.item_id).where(
        Finding.visit == visit_id).run()}
    return {"visit_uuid": visit_uuid, "visit_id": visit_id, "body": body, "first": first.json(),
            "photos": photos, "findings": findings, "day": now.astimezone(ZoneInfo("Asia/Shanghai")).date()}


async def _console(console, username: str = "supervisor"):
    r = await console.login(username)
    assert r.status_code in (200, 303), r.text


async def page_visit(console, ctx, kind):
    await _console(console)
    r = await console.client.get(f"/console/visits/{ctx['visit_id']}")
    assert r.status_code == 200, r.text[-2000:]
    row = r.text.split(f'data-item="{ITEM_OF[kind]["id"]}"', 1)[1].split("</tr>", 1)[0]
    if kind in SHOWN:
        assert f">{SHOWN[kind]}" in row, row
    if kind == "number":
        assert "0.95 MPa" in row
    if kind in NOTES:
        assert NOTES[kind] in row
    if kind in ctx["photos"]:
        assert f"/photos/{ctx['photos'][kind]}/evidence.jpg" in row


async def page_setup_visit(console, ctx, kind):
    await _console(console, "admin")
    r = await console.client.get(f"/console/setup/sites/{console.world.site_a}/visits/{ctx['visit_id']}")
    assert r.status_code == 200, r.text[-2000:]
    assert ITEM_OF[kind]["label_en"] in r.text or ITEM_OF[kind]["label_zh"] in r.text
    if kind in SHOWN_SETUP:
        assert SHOWN_SETUP[kind] in r.text


async def page_finding(console, ctx, kind):
    await _console(console)
    fid = ctx["findings"][ITEM_OF[kind]["id"]]
    r = await console.client.get(f"/console/findings/{fid}")
    assert r.status_code == 200, r.text[-2000:]
    assert SHOWN[kind] in r.text and NOTES[kind] in r.text
    listing = await console.client.get(f"/console/findings?site={console.world.site_a}")
    assert listing.status_code == 200 and f"/console/findings/{fid}" in listing.text


async def page_review(console, ctx, kind):
    await _console(console)
    r = await console.client.get("/console/review")
    assert r.status_code == 200, r.text[-2000:]
    assert ctx["photos"][kind] in r.text
    assert ITEM_OF[kind]["label_en"] in r.text
    if kind in SHOWN:
        assert SHOWN[kind] in r.text


async def page_evidence(console, ctx, kind):
    await _console(console)
    r = await console.client.get(f"/photos/{ctx['photos'][kind]}/evidence.jpg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/jpeg")


async def page_report(console, ctx, kind):
    await _console(console)
    r = await console.client.get(f"/console/reports?site={console.world.site_a}&day={ctx['day']}")
    assert r.status_code == 200, r.text[-2000:]
    assert ITEM_OF[kind]["label_en"] in r.text or ITEM_OF[kind]["label_zh"] in r.text


async def page_csv(console, ctx, kind):
    await _console(console)
    r = await console.client.get(f"/console/reports/{console.world.site_a}/{ctx['day']}/csv")
    assert r.status_code == 200, r.text[-2000:]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert any(ITEM_OF[kind]["label_en"] in cell or ITEM_OF[kind]["label_zh"] in cell for row in rows for cell in row)


async def page_board(console, ctx, kind):
    await _console(console)
    site = console.world.site_a
    for url in (f"/console/sites/{site}/today", f"/console/sites/{site}/visits", "/console"):
        r = await console.client.get(url)
        assert r.status_code == 200, (url, r.text[-2000:])
    visits = await console.client.get(f"/console/sites/{site}/visits")
    assert f"/console/visits/{ctx['visit_id']}" in visits.text


async def page_sync(console, ctx, kind):
    """The phone's own replies: the pack carries the item, a resend is answered
    from the stored visit (200, same reply), the status knows the visit."""
    await _api_login(console, "team_lead")
    pack = await console.client.get("/api/v1/pack")
    assert pack.status_code == 200
    assert f'"id":"{ITEM_OF[kind]["id"]}"' in pack.text.replace(" ", "")
    again = await console.client.put(f"/api/v1/visits/{ctx['visit_uuid']}", json=ctx["body"], headers=HEADERS)
    assert again.status_code == 200 and again.json() == ctx["first"]
    status = await console.client.post("/api/v1/sync/status", json={"visits": [ctx["visit_uuid"]]}, headers=HEADERS)
    assert status.status_code == 200 and status.json()["visits"] == {ctx["visit_uuid"]: True}


PAGES = {
    "visit": (page_visit, KINDS),
    "setup_visit": (page_setup_visit, KINDS),
    "finding": (page_finding, [k for k in KINDS if k in FAILS]),
    "review": (page_review, [k for k in KINDS if k in WITH_PHOTO]),
    "evidence": (page_evidence, [k for k in KINDS if k in WITH_PHOTO]),
    "report": (page_report, [k for k in KINDS if k in FAILS]),
    "csv": (page_csv, [k for k in KINDS if k in FAILS]),
    "board": (page_board, KINDS),
    "sync": (page_sync, KINDS),
}
CASES = [(kind, page) for page, (_, kinds) in PAGES.items() for kind in kinds]


@pytest.mark.parametrize(("kind", "page"), CASES, ids=[f"{k}-{p}" for k, p in CASES])
async def test_answer_shown(console, kind, page):
    ctx = await _send(console, first_photo=kind if kind in WITH_PHOTO else "photo")
    await PAGES[page][0](console, ctx, kind)
