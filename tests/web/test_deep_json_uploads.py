"""JSON documents uploaded through the console (a phone's outbox export, a site
setup document, a checklist template) nested 1,000 deep are refused as not
valid with their page's code, writing nothing, instead of a RecursionError 500."""

from __future__ import annotations

from tests.factories import row_counts

DEEP = b'{"format": ' + b"[" * 1000 + b"]" * 1000 + b"}"


async def test_outbox_file(console):
    await console.login("supervisor")
    await console.client.get("/console/outbox-import")
    before = await row_counts()
    r = await console.post("/console/outbox-import", files={"file": ("rounds-outbox-x.json", DEEP, "application/json")})
    assert r.status_code == 422 and "invalid_outbox_file" in r.text
    assert await row_counts() == before


async def test_site_document(console):
    await console.login("admin")
    await console.client.get("/console/setup/import")
    before = await row_counts()
    r = await console.post("/console/setup/import", {}, files={"file": ("site.json", DEEP, "application/json")})
    assert r.status_code == 422 and 'data-code="invalid_document"' in r.text
    assert await row_counts() == before


async def test_template_document(console):
    await console.login("admin")
    site = console.world.site_a
    await console.client.get(f"/console/setup/sites/{site}/templates")
    before = await row_counts()
    r = await console.post(f"/console/setup/sites/{site}/templates/import", {},
                           files={"file": ("t.json", DEEP, "application/json")})
    assert r.status_code == 422 and 'data-code="invalid_document"' in r.text
    assert await row_counts() == before
