"""An admin sets up a new property in the console (site, location, checklist,
round, person's access), prints its QR labels, and a cleaner's phone opens the
printed code in the field app: real server, real Chromium."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp
from playwright.sync_api import expect

from tests.e2e.helpers import login, pack_json, shot, wait_for_sw

pytestmark = pytest.mark.e2e
DESKTOP = {"width": 1280, "height": 900}


def _choose(page, selector: str, pattern: str) -> None:
    """Pick the option whose text matches (the admin may read either language)."""
    value = page.eval_on_selector(
        selector, "(s, p) => [...s.options].find(o => new RegExp(p).test(o.text)).value", pattern)
    page.select_option(selector, value)


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_admin_sets_up_a_site_prints_labels_and_the_phone_scans_one(browser, server, context, page):
    admin_ctx = browser.new_context(base_url=server.base_url, viewport=DESKTOP, locale="zh-CN")
    admin = admin_ctx.new_page()
    admin.on("pageerror", lambda e: print("PAGEERROR", e))
    try:
        admin.goto("/console/login?next=/console/setup")
        admin.fill("input[name=username]", "admin")
        admin.fill("input[name=password]", "rounds-demo")
        _submit(admin, "button[type=submit]")

        # 1. the site
        admin.click("#new-site summary")
        admin.fill("#f-code", "e2e-plaza")
        admin.fill("#f-name_zh", "测试广场")
        admin.fill("#f-name_en", "Test Plaza")
        _submit(admin, "#create-site")
        site_url = admin.url.split("?")[0]
        site_id = int(site_url.rstrip("/").rsplit("/", 1)[1])

        # 2. a building and a checkpoint inside it
        admin.goto(f"/console/setup/sites/{site_id}/locations")
        admin.fill("#new-location input[name=key]", "main")
        admin.select_option("#new-location select[name=kind]", "building")
        admin.fill("#new-location input[name=name_zh]", "主楼")
        admin.fill("#new-location input[name=name_en]", "Main building")
        _submit(admin, "#add-location")
        admin.evaluate("document.getElementById('new-location').open = true")
        admin.fill("#new-location input[name=key]", "main-wc")
        admin.select_option("#new-location select[name=kind]", "point")
        admin.fill("#new-location input[name=type]", "toilet")
        admin.fill("#new-location input[name=name_zh]", "一层卫生间")
        admin.fill("#new-location input[name=name_en]", "Ground floor toilet")
        _choose(admin, "#new-location select[name=parent]", "主楼|Main building")
        _submit(admin, "#add-location")
        expect(admin.locator("table.tree")).to_contain_text("main-wc")

        # 3. a checklist: one pass/fail item, published
        admin.goto(f"/console/setup/sites/{site_id}/templates")
        admin.fill("input[name=key]", "wc-check")
        admin.fill("input[name=name_zh]", "卫生间检查")
        admin.fill("input[name=name_en]", "Toilet check")
        _submit(admin, "#create-template")
        _submit(admin, "#add-pass_fail")
        admin.fill("input[name='items-0-label_zh']", "地面无积水")
        admin.fill("input[name='items-0-label_en']", "No water on the floor")
        _submit(admin, "#publish")
        expect(admin.locator(".alert.ok")).to_be_visible()
        shot(admin, "setup-e2e-template")

        # the checkpoint uses it when scanned outside a round
        admin.goto(f"/console/setup/sites/{site_id}/locations")
        with admin.expect_navigation():
            admin.click("table.tree a:text-matches('一层卫生间|Ground floor toilet')")
        _choose(admin, "select[name=template]", "卫生间检查|Toilet check")
        _submit(admin, "section.card form button.primary")

        # 4. a round walked by cleaners, with that checkpoint
        admin.goto(f"/console/setup/sites/{site_id}/rounds")
        admin.fill("input[name=key]", "wc-round")
        admin.fill("input[name=name_zh]", "卫生间巡查")
        admin.fill("input[name=name_en]", "Toilet round")
        admin.select_option("select[name=assigned_role]", "cleaner")
        admin.click("#preview-button")
        expect(admin.locator("#preview-week .occ")).to_have_count(28)
        _submit(admin, "#create-round")
        _submit(admin, "#add-checkpoint")
        _choose(admin, "select[name=location]", "一层卫生间|Ground floor toilet")
        _choose(admin, "select[name=template]", "卫生间检查|Toilet check")
        _submit(admin, "#save-route")
        expect(admin.locator(".alert.ok")).to_be_visible()
        shot(admin, "setup-e2e-round")

        # 5. the cleaner gets access to the new site
        admin.goto("/console/setup/people")
        with admin.expect_navigation():
            admin.click("a:has-text('cleaner1')")
        admin.check(f"input[name=sites][value='{site_id}']")
        _submit(admin, "section.card form button.primary")
        expect(admin.locator(f"input[name=sites][value='{site_id}']")).to_be_checked()

        # 6. labels: issue, print, and read the printed code back
        admin.goto(f"/console/setup/sites/{site_id}/labels")
        _submit(admin, "#issue-labels")
        shot(admin, "setup-e2e-labels")
        href = admin.get_attribute("#print-new-batch", "href")
        pdf = admin_ctx.request.get(href)
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        image = pdfium.PdfDocument(pdf.body())[0].render(scale=200 / 72).to_pil()
        urls = [r.text for r in zxingcpp.read_barcodes(image)]
        assert len(urls) == 1 and urls[0].startswith(f"{server.base_url}/t/")
        code = urls[0].rsplit("/", 1)[1]
        assert server.query("select revoked_at from tag where code = ?", (code,)) == [(None,)]
    finally:
        admin_ctx.close()

    # 7. the phone: the camera app opens the printed link, the right checklist opens
    login(page, "cleaner1")
    wait_for_sw(page)
    site = next(s for s in pack_json(page)["sites"] if s["code"] == "e2e-plaza")
    assert code in {t["code"] for t in site["tags"]}
    assert [r["name_zh"] for r in site["rounds"]] == ["卫生间巡查"]
    page.goto(f"/t/{code}")
    page.wait_for_selector("#checklist")
    expect(page.locator("#visit-place")).to_contain_text("一层卫生间")
    expect(page.locator("#checklist")).to_contain_text("地面无积水")
    shot(page, "setup-e2e-phone-scan")
