"""The console page that imports a phone's exported outbox file: a result per
item, a clear refusal with a code for a bad file, admins and supervisors only."""

from __future__ import annotations

import re

from server.db.tables import AuditLog, Photo, Visit
from tests.services.outbox_support import failed_visit_with_photo, outbox_file

URL = "/console/outbox-import"


async def _upload(console, raw: bytes, name: str = "rounds-outbox-guard.json"):
    await console.client.get(URL)  # the page sets the CSRF cookie
    return await console.post(URL, files={"file": (name, raw, "application/json")})


def _rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-uuid="([0-9a-f-]+)" data-kind="\w+" data-outcome="(\w+)"', html)


async def test_admin_imports_then_reimports(console):
    world = console.world
    await console.login("admin")
    page = await console.client.get(URL)
    assert page.status_code == 200 and 'name="file"' in page.text
    assert 'href="/console/outbox-import"' in page.text  # in the navigation
    items, visit_uuid, photo_uuid = failed_visit_with_photo(world)
    raw = outbox_file(world.users["guard"], "guard", items)

    first = await _upload(console, raw)
    assert first.status_code == 200, first.text
    assert _rows(first.text) == [(photo_uuid, "created"), (visit_uuid, "created")]
    assert 'data-created="2" data-held="0" data-refused="0"' in first.text
    assert "2 created · 0 already held · 0 refused" in first.text  # admin reads English
    visit = await Visit.select(Visit.id, Visit.user).first().run()
    assert visit["user"] == world.users["guard"]
    assert f'href="/console/visits/{visit["id"]}"' in first.text

    second = await _upload(console, raw)
    assert _rows(second.text) == [(photo_uuid, "held"), (visit_uuid, "held")]
    assert await Visit.count().run() == 1 and await Photo.count().run() == 1
    assert await AuditLog.count().where(AuditLog.action == "outbox.import").run() == 2


async def test_bad_file_is_refused_with_a_code(console):
    await console.login("admin")
    response = await _upload(console, b"this is not an outbox file")
    assert response.status_code == 422
    assert 'data-code="invalid_outbox_file"' in response.text
    assert "nothing was imported" in response.text
    empty = await _upload(console, b"")
    assert empty.status_code == 422 and 'data-code="invalid_outbox_file"' in empty.text
    assert await AuditLog.count().where(AuditLog.action == "outbox.import").run() == 0


async def test_refusal_in_chinese_for_a_chinese_reader(console):
    await console.login("admin")
    await console.post("/console/language", {"language": "zh-CN"})
    response = await _upload(console, b'{"format": "something-else"}')
    assert response.status_code == 422
    assert "未导入任何内容" in response.text


async def test_field_staff_and_other_roles_cannot_import(console):
    items, _, _ = failed_visit_with_photo(console.world)
    raw = outbox_file(console.world.users["guard"], "guard", items)
    await console.login("inspector")
    page = await console.client.get(URL)
    assert page.status_code == 403
    assert 'href="/console/outbox-import"' not in (await console.client.get("/console")).text
    response = await _upload(console, raw)
    assert response.status_code == 403
    assert await Visit.count().run() == 0
    await console.login("supervisor")
    ok = await _upload(console, raw)
    assert ok.status_code == 200 and 'data-created="2"' in ok.text
