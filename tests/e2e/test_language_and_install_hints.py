"""Language follows the user's setting and can be switched; iOS Safari outside
the Home Screen gets the "Add to Home Screen" guide once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import context_options
from tests.e2e.helpers import login, shot

pytestmark = pytest.mark.e2e

IPHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1")


def test_language_from_user_setting_and_switch(context, page, server):
    login(page, "admin")  # admin's language is English in the demo
    expect(page.locator("#scan-btn")).to_contain_text("Scan label")
    page.click('#nav [data-tab="me"]')
    page.click('.lang-switch [lang="zh-CN"]')
    expect(page.locator('#nav [data-tab="home"]')).to_contain_text("扫码")
    page.reload()
    expect(page.locator('#nav [data-tab="home"]')).to_contain_text("扫码")
    page.wait_for_timeout(500)
    lang = server.query("select language from app_user where username = 'admin'")[0][0]
    assert lang == "zh-CN"
    server.execute("update app_user set language = 'en' where username = 'admin'")


def test_ios_safari_gets_home_screen_guide_before_login(browser, server):
    """At first run, on the login screen, before anything is entered in Safari:
    add to the Home Screen, because Safari and the Home Screen app keep
    separate storage. Dismissed once, it stays dismissed."""
    ctx = browser.new_context(**{**context_options(server), "user_agent": IPHONE_UA})
    page = ctx.new_page()
    page.goto("/")
    page.wait_for_selector("#username")
    hint = page.locator("#ios-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("添加到主屏幕")
    expect(hint).to_contain_text("请在登录前完成")
    expect(hint).to_contain_text("Safari 和主屏幕应用的存储是分开的")
    # It comes before the login form, so it is read first.
    assert page.evaluate("document.querySelector('#ios-hint').compareDocumentPosition(document.querySelector('#username'))"
                         " & Node.DOCUMENT_POSITION_FOLLOWING")
    page.click('.lang-switch [lang="en"]')
    expect(hint).to_contain_text("Safari and the Home Screen app keep separate storage")
    shot(page, "ios-hint-login")
    page.click('.lang-switch [lang="zh-CN"]')
    login(page, "guard1", goto=False)
    expect(page.locator("#ios-hint")).to_be_visible()  # still on the home screen until dismissed
    page.click("#ios-hint button")
    expect(page.locator("#ios-hint")).to_have_count(0)
    page.reload()
    page.wait_for_selector("#scan-btn")
    expect(page.locator("#ios-hint")).to_have_count(0)
    ctx.close()


def test_ios_hint_dismissed_on_login_screen(browser, server):
    ctx = browser.new_context(**{**context_options(server), "user_agent": IPHONE_UA})
    page = ctx.new_page()
    page.goto("/")
    page.click("#ios-hint button")  # "Continue in Safari"
    expect(page.locator("#ios-hint")).to_have_count(0)
    login(page, "guard1", goto=False)
    expect(page.locator("#ios-hint")).to_have_count(0)
    ctx.close()


def test_no_home_screen_guide_outside_ios(context, page, server):
    page.goto("/")
    page.wait_for_selector("#username")
    expect(page.locator("#ios-hint")).to_have_count(0)
