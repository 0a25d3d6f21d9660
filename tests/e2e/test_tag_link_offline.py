"""The phone's own camera app opens BASE_URL/t/<code>: with no network the
service worker serves the app and the right checklist opens."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login, pack_json, shot, wait_for_sw

pytestmark = pytest.mark.e2e


def test_tag_link_opens_the_right_checklist_offline(context, page, server):
    login(page, "cleaner1")
    wait_for_sw(page)
    site = pack_json(page)["sites"][0]
    locs = {loc["id"]: loc for loc in site["locations"]}
    tag = next(t for t in reversed(site["tags"]) if locs[t["location_id"]]["template_version_id"])
    loc = locs[tag["location_id"]]
    context.set_offline(True)
    page.goto(f"/t/{tag['code']}")
    page.wait_for_selector("#checklist")
    expect(page.locator("#visit-place")).to_have_text(loc["path_zh"])
    assert page.evaluate("location.pathname") == f"/t/{tag['code']}"
    shot(page, "tag-link-offline")
    # A reload on the same link (still offline) resumes the same checklist.
    uid = pack_json(page)["user"]["id"]
    uuid = page.evaluate(f"globalThis.RoundsDB.get('drafts', {uid}).then(d => d.uuid)")
    page.reload()
    page.wait_for_selector("#checklist")
    expect(page.locator("#visit-place")).to_have_text(loc["path_zh"])
    assert page.evaluate(f"globalThis.RoundsDB.get('drafts', {uid}).then(d => d.uuid)") == uuid
    draft = page.evaluate(f"globalThis.RoundsDB.get('drafts', {uid})")
    assert draft["scan_method"] == "link" and draft["tag_code"] == tag["code"]
    assert draft["template_version_id"] in {t["id"] for t in pack_json(page)["templates"]}
