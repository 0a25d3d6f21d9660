"""Codes that are not active labels are refused on the spot and create nothing:
typed, scanned-link and camera-link alike, online and offline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login, outbox, pack_json, poll, shot, wait_for_sw

pytestmark = pytest.mark.e2e


def nothing_queued(page):
    assert outbox(page) == []
    uid = pack_json(page)["user"]["id"]
    assert page.evaluate(f"globalThis.RoundsDB.get('drafts', {uid})") is None


def test_unknown_and_revoked_codes_are_refused(context, page, server):
    login(page, "inspector1")
    wait_for_sw(page)
    site = pack_json(page)["sites"][0]
    victim = site["tags"][-1]
    server.execute("update tag set revoked_at = CURRENT_TIMESTAMP, revoked_reason = 'e2e' where code = ?", (victim["code"],))
    # The next online start refreshes the pack (ETag changed): the tag is gone.
    page.reload()
    poll(page, "async c => !(await globalThis.RoundsDB.all('packs'))[0].pack.sites[0].tags.some(t => t.code === c)",
         victim["code"])
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#scan-btn")

    for code in (victim["short_code"], "ZZZZZZ"):
        page.fill("#code-input", code)
        page.click("#code-go")
        expect(page.locator("#refused")).to_be_visible()
        expect(page.locator("#refused")).to_contain_text(code)
        shot(page, "refused-" + code)
        page.click("#refused-ok")
        expect(page.locator("#refused")).to_have_count(0)
        nothing_queued(page)

    for code in (victim["code"], "not-a-real-code"):
        page.goto(f"/t/{code}")
        expect(page.locator("#refused")).to_be_visible()
        expect(page.locator("#checklist")).to_have_count(0)
        page.click("#refused-ok")
        nothing_queued(page)

    context.set_offline(False)
    page.fill("#code-input", victim["short_code"])
    page.click("#code-go")
    expect(page.locator("#refused")).to_be_visible()
    nothing_queued(page)
