"""The pack's extra work lists on the home screen: an inspector's spot checks
(the visit is recorded as a spot check with the assignment's checklist) and the
redo tasks a supervisor sent back."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, ROUNDS
from tests.e2e.helpers import (
    fill_checklist,
    login,
    open_typed,
    outbox,
    pack_json,
    shot,
    wait_for_sw,
    wait_synced,
)
from tests.e2e.supervisor_seed import Phone

pytestmark = pytest.mark.e2e

REDO_WORKER = "redo_e2e_worker"
REDO_PASSWORD = "worker-pass-1234"
REDO_SPOT = 16  # the demo location this test works at (other tests use other indexes)


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


def test_a_rejected_photo_comes_back_as_a_redo_task(browser, context, page, server, photo_file):
    """A real rejection on the console's review page reaches the worker's phone
    as a redo task; the worker's next visit there resolves it (audited)."""
    subprocess.run([ROUNDS, "user", "add", REDO_WORKER, "--role", "cleaner", "--site", "hq-tower",
                    "--password", REDO_PASSWORD], cwd=ROOT, env=server.env, check=True, capture_output=True)
    visit_uuid = Phone(server.base_url, REDO_WORKER, REDO_PASSWORD).visit(REDO_SPOT, fail=True)
    visit_id, location_id = server.query("select id, location from visit where client_uuid = ?", (visit_uuid,))[0]
    photo_uuid = server.query("select client_uuid from photo where visit_uuid = ? order by id", (visit_uuid,))[0][0]

    # The supervisor rejects it through the review page's form handler (CSRF and all).
    desk = browser.new_context(base_url=server.base_url, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sup = desk.new_page()
    sup.goto("/console/login")
    sup.fill("input[name=username]", "supervisor1")
    sup.fill("input[name=password]", "rounds-demo")
    sup.click("button[type=submit]")
    sup.wait_for_url("**/console")
    sup.goto("/console/review")
    csrf = next(c["value"] for c in desk.cookies() if c["name"] == "csrftoken")
    site = server.query("select id from site where code = 'hq-tower'")[0][0]
    r = sup.request.post("/console/review", headers={"x-csrftoken": csrf, "HX-Request": "true"}, form={
        "site": str(site), "visit_id": str(visit_id), "photo": str(photo_uuid), "reason_code": "blurry",
        "note": "请重拍，看不清地面"})
    assert r.status == 200, r.text()[:300]
    assert server.query("select verdict, reason_code from review where visit = ?", (visit_id,)) == [
        ("rejected", "blurry")]
    desk.close()

    login(page, REDO_WORKER, REDO_PASSWORD)
    wait_for_sw(page)
    task = page.locator(f'#redo-list li[data-location="{location_id}"]')
    expect(task).to_have_count(1)
    expect(task).to_contain_text("照片模糊或过暗 · 请重拍，看不清地面")
    shot(page, "home-redo")
    # The worker goes back offline and checks the place again; the task is done on the phone at once …
    context.set_offline(True)
    short = server.query("select short_code from tag where location = ? and revoked_at is null", (location_id,))[0][0]
    open_typed(page, short)
    fill_checklist(page, photo_file, fail_one=False)
    page.click("#save-visit")
    page.wait_for_selector("#scan-btn")
    expect(task).to_have_class("task task-redo task-done")
    # … and resolved on the server once it syncs.
    context.set_offline(False)
    wait_synced(page)
    resolved = server.query("select resolved_by from review where visit = ?", (visit_id,))[0][0]
    assert resolved is not None
    assert server.query("select count(*) from audit_log where action = 'review.redo_resolved'"
                        " and object_id = (select cast(id as text) from review where visit = ?)", (visit_id,))[0][0] == 1
    page.reload()
    page.wait_for_selector("#scan-btn")
    expect(page.locator("#redo-list")).to_have_count(0)
