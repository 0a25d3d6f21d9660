"""A supervisor's morning in a real Chromium: the today board, a failed visit
with its photos and integrity panel, then the photo-review queue driven by
keyboard shortcuts; the rejection reaches the worker's pack as a redo task.
Screenshots (desktop and phone) are kept in test-artifacts/."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, ROOT, ROUNDS, start_server
from tests.e2e.supervisor_seed import Phone, seed

DESKTOP = {"width": 1280, "height": 900}
WORKER = "sup_e2e_worker"
WORKER_PASSWORD = "worker-pass-1234"


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"supervisor-{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def sup_server(tmp_path_factory):
    """A site of this module's own: the review queue counts every photo of the
    site, so the field-app tests' photos must not be in it."""
    srv = start_server(tmp_path_factory.mktemp("rounds-e2e-supervisor"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def field_work(sup_server):
    """Three failed visits with photos and one clean visit, from a worker of
    this test's own (so the field-app tests' users are left alone)."""
    subprocess.run([ROUNDS, "user", "add", WORKER, "--role", "cleaner", "--site", "hq-tower",
                    "--password", WORKER_PASSWORD], cwd=ROOT, env=sup_server.env, check=True, capture_output=True)
    return seed(sup_server.base_url, WORKER, WORKER_PASSWORD)


def login(page, username: str) -> None:
    page.goto("/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "rounds-demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/console")


def test_board_visit_review(browser, sup_server, field_work):
    ctx = browser.new_context(base_url=sup_server.base_url, viewport=DESKTOP, locale="zh-CN")
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, "supervisor1")

    # Board
    page.click("a[href$='/today']")
    expect(page.locator("#board .slot").first).to_be_visible()
    assert page.locator("#board [data-state]").count() > 5
    shot(page, "1-board-desktop")
    # the 30-second refresh is an htmx poll on the fragment URL
    assert page.get_attribute("#board", "hx-trigger") == "every 30s"

    # Visit list → the first failed visit
    page.click("a[href$='/visits']")
    page.locator("tr.failed a").first.click()
    expect(page.locator("tr.failed[data-item]").first).to_be_visible()
    thumbs = page.locator(".thumb img")
    expect(thumbs.first).to_be_visible()
    assert page.evaluate("() => [...document.querySelectorAll('.thumb img')].every(i => i.naturalWidth > 0)")
    expect(page.locator("#flags")).to_be_visible()
    shot(page, "2-visit-desktop")

    # Review queue, by keyboard
    page.goto("/console/review")
    # The queue holds the worker's photos and the demo history's recent evidence.
    mine = sup_server.query("select count(*) from photo p join app_user u on u.id = p.user where u.username = ?",
                            (WORKER,))[0][0]
    assert mine >= 3
    left = page.locator("#review-left")
    total = int(left.get_attribute("data-left"))
    assert total >= mine
    assert page.evaluate("() => document.getElementById('review-photo').naturalWidth > 0")
    shot(page, "3-review-desktop")
    page.keyboard.press("a")  # approve
    expect(left).to_have_attribute("data-left", str(total - 1))
    page.fill("input[name=note]", "请重拍，看不清地面")
    page.locator("h1").click()  # leave the text field so keys are shortcuts again
    page.keyboard.press("1")  # reject: blurry
    expect(left).to_have_attribute("data-left", str(total - 2))
    shot(page, "4-review-after-reject")
    for n in range(total - 2, 0, -1):
        page.keyboard.press("a")
        if n > 1:
            expect(left).to_have_attribute("data-left", str(n - 1))
    expect(page.locator("#review-empty")).to_be_visible()
    shot(page, "5-review-empty")
    assert errors == []

    rows = sup_server.query("select verdict, reason_code, note from review order by id")
    assert [(r[0], r[1]) for r in rows][:2] == [("approved", ""), ("rejected", "blurry")]
    assert len(rows) == total and sum(r[0] == "rejected" for r in rows) == 1
    assert rows[1][2] == "请重拍，看不清地面"
    assert sup_server.query("select count(*) from audit_log where action like 'review.%'")[0][0] == total

    # The phone of the worker whose photo was rejected now has the task to redo.
    who = sup_server.query("select u.username from review r join app_user u on u.id = r.worker "
                           "where r.verdict = 'rejected'")[0][0]
    redo = Phone(sup_server.base_url, who, WORKER_PASSWORD if who == WORKER else "rounds-demo").pack["redo"]
    assert len(redo) == 1 and redo[0]["reason_code"] == "blurry" and redo[0]["reason_zh"]
    ctx.close()


def test_phone_width_pages(browser, sup_server, field_work):
    ctx = browser.new_context(base_url=sup_server.base_url, viewport={"width": 390, "height": 844},
                              device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN")
    page = ctx.new_page()
    login(page, "supervisor1")
    page.click("a[href$='/today']")
    expect(page.locator("#board .slot").first).to_be_visible()
    # no sideways scrolling on a phone
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "6-board-phone")
    page.goto("/console/findings")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "7-findings-phone")
    ctx.close()
