"""整改 → 复查 in a real Chromium: a supervisor opens a rectification on the
console; the owner's phone shows the task, the fix (note + after-photo) is
made offline and synced; the console shows the fix; a team lead's failed
re-inspection keeps it open (the phone says so), a passed one closes it."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, ROUNDS
from tests.e2e.helpers import (
    fill_checklist,
    login,
    open_typed,
    outbox,
    shot,
    wait_for_sw,
    wait_synced,
)
from tests.e2e.supervisor_seed import Phone

pytestmark = pytest.mark.e2e

WORKER = "fix_e2e_worker"
PASSWORD = "worker-pass-1234"
SPOT = 14  # the demo location this test works at (other tests use other indexes)


def console_login(page, username: str) -> None:
    page.goto("/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "rounds-demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/console")


def test_rectification_fixed_on_the_phone_and_re_inspected(browser, server, photo_file):
    subprocess.run([ROUNDS, "user", "add", WORKER, "--role", "cleaner", "--site", "hq-tower", "--password", PASSWORD],
                   cwd=ROOT, env=server.env, check=True, capture_output=True)
    worker_id = server.query("select id from app_user where username = ?", (WORKER,))[0][0]
    visit_uuid = Phone(server.base_url, WORKER, PASSWORD).visit(SPOT, fail=True)
    fid, item = server.query("select f.id, f.item_id from finding f join visit v on v.id = f.visit "
                             "where v.client_uuid = ?", (visit_uuid,))[0]
    short_code = server.query("select t.short_code from tag t join finding f on f.location = t.location "
                              "where f.id = ? and t.revoked_at is null", (fid,))[0][0]

    # The supervisor opens the rectification on the console.
    desk = browser.new_context(base_url=server.base_url, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    console = desk.new_page()
    console_login(console, "supervisor1")
    console.goto(f"/console/findings/{fid}")
    console.select_option("select[name=owner]", str(worker_id))
    console.fill("input[name=deadline]", f"{date.today() + timedelta(days=1)}T18:00")
    console.fill("form[action$='/rectify'] input[name=note]", "今天下班前清理干净")
    console.click("form[action$='/rectify'] button[type=submit]")
    expect(console.locator("#finding-status")).to_have_attribute("data-status", "rectifying")

    # The owner's phone shows the task; the fix is made offline.
    phone_ctx = browser.new_context(base_url=server.base_url, viewport={"width": 390, "height": 844},
                                    device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN",
                                    service_workers="allow")
    phone = phone_ctx.new_page()
    phone.on("dialog", lambda d: d.accept())
    login(phone, WORKER, PASSWORD)
    wait_for_sw(phone)
    card = phone.locator(f'#fix-list li[data-finding="{fid}"]')
    expect(card).to_be_visible()
    expect(card).to_contain_text("今天下班前清理干净")
    expect(card).to_contain_text("期限")
    shot(phone, "fix-1-task-phone")
    phone_ctx.set_offline(True)
    card.locator("button").click()
    phone.wait_for_selector("#fix-note")
    phone.click("#save-fix")  # nothing filled in: refused on the phone, nothing saved
    expect(phone.locator("#fix-error")).to_contain_text("请填写处理说明")
    expect(phone.locator("#fix-error")).to_contain_text("请拍摄整改后照片")
    phone.fill("#fix-note", "已拖地并清走垃圾")
    phone.set_input_files("#fix-cam", str(photo_file))
    expect(phone.locator("#fix-thumbs .thumb")).to_have_count(1)
    expect(phone.locator("#fix-error")).to_have_text("")  # nothing missing any more
    shot(phone, "fix-2-form-phone")
    phone.click("#save-fix")
    phone.wait_for_selector("#scan-btn")
    expect(card).to_have_attribute("data-stage", "saved")
    rec = next(r for r in outbox(phone) if r["kind"] == "fix")
    assert rec["body"]["finding_id"] == fid and rec["state"] == "saved" and len(rec["body"]["photos"]) == 1
    assert server.query("select count(*) from finding_event where finding = ? and kind = 'fix_submitted'",
                        (fid,))[0][0] == 0
    phone_ctx.set_offline(False)
    wait_synced(phone)
    assert server.query("select note from finding_event where client_uuid = ?", (rec["uuid"],)) == [
        ("已拖地并清走垃圾",)]
    assert server.query("select fix_uuid from photo where client_uuid = ?", (rec["body"]["photos"][0],)) == [
        (rec["uuid"],)]

    # The console shows the fix with its after-photo.
    console.reload()
    expect(console.locator("#finding-stage")).to_have_attribute("data-stage", "fix_submitted")
    event = console.locator('li[data-kind="fix_submitted"]')
    expect(event).to_contain_text("已拖地并清走垃圾")
    expect(event.locator("img")).to_have_count(1)
    assert console.evaluate("() => document.querySelector('li[data-kind=fix_submitted] img').naturalWidth > 0")
    shot(console, "fix-3-finding-desktop", full=True)

    # A team lead re-inspects on their phone: it fails, the finding stays open.
    lead_ctx = browser.new_context(base_url=server.base_url, viewport={"width": 390, "height": 844},
                                   is_mobile=True, has_touch=True, locale="zh-CN", service_workers="block")
    lead = lead_ctx.new_page()
    lead.on("dialog", lambda d: d.accept())
    login(lead, "lead1")

    def reinspect(fail: bool) -> None:
        open_typed(lead, short_code)
        if lead.locator("#round-select").count():  # the location's own checklist, not a round's
            lead.select_option("#round-select", "")
        fill_checklist(lead, photo_file, fail_one=fail)
        lead.click("#save-visit")
        lead.wait_for_selector("#scan-btn")
        wait_synced(lead)

    reinspect(fail=True)
    assert server.query("select status from finding where id = ?", (fid,)) == [("rectifying",)]
    assert server.query("select kind, passed from finding_event where finding = ? and kind = 'reinspection'",
                        (fid,)) == [("reinspection", "no")]
    phone.reload()  # the owner's phone hears of it with the next pack
    expect(card).to_have_attribute("data-stage", "reinspection_failed")
    expect(card).to_contain_text("复查未通过")

    reinspect(fail=False)
    assert server.query("select status from finding where id = ?", (fid,)) == [("closed",)]
    console.reload()
    expect(console.locator("#finding-status")).to_have_attribute("data-status", "closed")
    kinds = console.eval_on_selector_all(".timeline li", "els => els.map(e => [e.dataset.kind, e.dataset.passed])")
    assert kinds == [["rectification", ""], ["fix_submitted", ""], ["reinspection", "no"], ["reinspection", "yes"]]
    shot(console, "fix-4-closed-desktop", full=True)
    phone.reload()
    phone.wait_for_selector("#scan-btn")
    expect(phone.locator("#fix-list")).to_have_count(0)
    for ctx in (desk, phone_ctx, lead_ctx):
        ctx.close()
