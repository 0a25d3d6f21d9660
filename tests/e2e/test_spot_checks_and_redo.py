"""The pack's extra work lists on the home screen: an inspector's spot checks
(the visit is recorded as a spot check with the assignment's checklist) and the
redo tasks a supervisor sent back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    fill_checklist,
    login,
    outbox,
    pack_json,
    shot,
    wait_for_sw,
    wait_synced,
)

pytestmark = pytest.mark.e2e


def test_spot_check_assignment_decides_kind_and_checklist(context, page, server, photo_file):
    login(page, "inspector1")
    wait_for_sw(page)
    pack = pack_json(page)
    assert pack["spot_checks"], "the demo gives inspectors spot checks"
    expect(page.locator("#spot-list li")).to_have_count(len(pack["spot_checks"]))
    site = pack["sites"][0]
    assignment = pack["spot_checks"][0]
    tag = next(t for t in site["tags"] if t["location_id"] == assignment["location_id"])
    page.fill("#code-input", tag["short_code"])
    page.click("#code-go")
    page.wait_for_selector("#checklist")
    expect(page.locator("#round-box")).to_contain_text("抽查")
    fill_checklist(page, photo_file, fail_one=False)
    page.click("#save-visit")
    page.wait_for_selector("#scan-btn")
    visit = next(r for r in outbox(page) if r["kind"] == "visit")
    assert visit["body"]["kind"] == "spot_check"
    assert visit["body"]["template_version_id"] == assignment["template_version_id"]
    assert "round_id" not in visit["body"]
    wait_synced(page)
    assert server.query("select kind from visit where client_uuid = ?", (visit["uuid"],)) == [("spot_check",)]
    expect(page.locator(f'#spot-list li[data-location="{assignment["location_id"]}"]')).to_have_class("task task-spot task-done")


def test_redo_tasks_are_listed(context, page, server):
    login(page, "cleaner1")
    wait_for_sw(page)
    loc = next(loc for loc in pack_json(page)["sites"][0]["locations"] if loc["template_version_id"])
    page.evaluate(
        """async (loc) => {
             const rec = (await globalThis.RoundsDB.all('packs'))[0];
             rec.pack.redo = [{review_id: 1, visit_uuid: '00000000-0000-4000-8000-000000000001', location_id: loc,
                               template_version_id: 1, item_id: 'c1', reason_code: 'blurry',
                               reason_en: 'Photo is blurry', reason_zh: '照片模糊', note: '请重拍'}];
             await globalThis.RoundsDB.put('packs', rec);
           }""",
        loc["id"],
    )
    context.set_offline(True)
    page.reload()
    expect(page.locator("#redo-list li")).to_have_count(1)
    expect(page.locator("#redo-list")).to_contain_text("照片模糊 · 请重拍")
    expect(page.locator("#redo-list")).to_contain_text(loc["name_zh"])
    shot(page, "home-redo")
