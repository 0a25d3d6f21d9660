"""A visit the server refuses (4xx) is kept and shown with the server's reason,
never dropped; "Export waiting items" writes it in the rounds-outbox/1 format."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    fill_checklist,
    login,
    outbox,
    pack_json,
    save_visit,
    shot,
    wait_for_sw,
)

pytestmark = pytest.mark.e2e


def test_refused_visit_is_kept_with_reason_and_exported(context, page, server, photo_file):
    login(page, "cleaner2")
    wait_for_sw(page)
    site = pack_json(page)["sites"][0]
    locs = {loc["id"] for loc in site["locations"] if loc["template_version_id"]}
    tag = [t for t in site["tags"] if t["location_id"] in locs][-2]
    context.set_offline(True)
    page.fill("#code-input", tag["short_code"])
    page.click("#code-go")
    page.wait_for_selector("#checklist")
    fill_checklist(page, photo_file)
    save_visit(page)
    # The label is withdrawn before the phone is back online.
    server.execute("update tag set revoked_at = CURRENT_TIMESTAMP where code = ?", (tag["code"],))
    context.set_offline(False)
    expect(page.locator("#chip")).to_have_attribute("data-state", "attention", timeout=20000)
    page.click("#chip")
    row = page.locator('#outbox-list li[data-kind="visit"]')
    expect(row).to_have_attribute("data-state", "attention")
    expect(row).to_contain_text("revoked_tag")
    expect(row).to_contain_text("此标签已作废")
    shot(page, "outbox-attention")
    visit = next(r for r in outbox(page) if r["kind"] == "visit")
    assert visit["state"] == "attention" and visit["error"]["code"] == "revoked_tag"
    # The photo was accepted (photos may arrive before their visit); the visit is kept.
    with page.expect_download() as dl:
        page.click("#export-btn")
    doc = json.loads(open(dl.value.path(), encoding="utf-8").read())
    assert doc["format"] == "rounds-outbox/1"
    assert doc["user"]["username"] == "cleaner2"
    items = {i["uuid"]: i for i in doc["items"]}
    assert visit["uuid"] in items
    exported = items[visit["uuid"]]
    assert exported["request"]["method"] == "PUT"
    assert exported["request"]["path"] == f"/api/v1/visits/{visit['uuid']}"
    assert exported["request"]["body"] == json.loads(visit["json"])
    assert exported["request"]["headers"]["X-Rounds-Client"] == "pwa"
    assert exported["error"]["code"] == "revoked_tag"
    for item in doc["items"]:
        if item["kind"] == "photo":
            raw = base64.b64decode(item["request"]["body_base64"])
            assert hashlib.sha256(raw).hexdigest() == item["sha256"]
    # Still kept after a reload and another sync attempt.
    page.reload()
    page.wait_for_selector("#scan-btn")
    page.click("#chip")
    page.click("#sync-now")
    page.wait_for_timeout(800)
    assert next(r for r in outbox(page) if r["uuid"] == visit["uuid"])["state"] == "attention"
    server.execute("update tag set revoked_at = NULL where code = ?", (tag["code"],))
    # After the label is restored, "Try again" sends it.
    page.click('#outbox-list li[data-kind="visit"] button')
    expect(page.locator("#all-synced")).to_be_visible(timeout=20000)
