"""Every main screen on a 390×844 phone, in both languages: screenshots to
test-artifacts/, nothing wider than the screen, every control at least 48 px."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import login, open_typed, shot, typed_codes

pytestmark = pytest.mark.e2e

CHECK_LAYOUT = """() => {
  const bad = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1) bad.push('horizontal overflow ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll('button, label.btn, select, input:not([type=file]):not([type=checkbox]), textarea, a.btn')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;   // hidden
    if (el.closest('.thumb')) continue;     // the thumbnail's remove button is 44 px plus its border zone
    if (r.height < 47.5 || r.width < 44) bad.push((el.id || el.className || el.tagName) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
  }
  return bad;
}"""


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_main_screens(context, page, server, photo_file, lang):
    page.goto("/")
    page.wait_for_selector("#username")
    page.click(f'.lang-switch [lang="{lang}"]')
    shot(page, f"screen-{lang}-login")
    assert page.evaluate(CHECK_LAYOUT) == []
    login(page, "lead1", goto=False)
    page.click('#nav [data-tab="me"]')
    page.click(f'.lang-switch [lang="{lang}"]')
    page.click('#nav [data-tab="home"]')
    shot(page, f"screen-{lang}-home", full=True)
    assert page.evaluate(CHECK_LAYOUT) == []
    open_typed(page, typed_codes(page, 1, skip=12)[0])
    page.click("#checklist [role=radio][data-fails]")
    page.click("#save-visit")  # shows what is missing
    shot(page, f"screen-{lang}-checklist-errors")
    page.set_input_files("#checklist input.cam", str(photo_file))
    page.wait_for_selector("#checklist .thumb")
    page.locator("#checklist .thumb").first.scroll_into_view_if_needed()
    shot(page, f"screen-{lang}-checklist-fail")
    assert page.evaluate(CHECK_LAYOUT) == []
    page.click("#btn-report")
    shot(page, f"screen-{lang}-incident")
    assert page.evaluate(CHECK_LAYOUT) == []
    page.click("#nav .btn-secondary")
    page.click('#nav [data-tab="outbox"]')
    shot(page, f"screen-{lang}-outbox")
    assert page.evaluate(CHECK_LAYOUT) == []
    page.click('#nav [data-tab="me"]')
    shot(page, f"screen-{lang}-me")
    assert page.evaluate(CHECK_LAYOUT) == []
    page.click('#nav [data-tab="home"]')
    shot(page, f"screen-{lang}-home-draft")
    page.click("#scan-btn")
    page.wait_for_selector(".scanner video")
    page.wait_for_timeout(300)
    shot(page, f"screen-{lang}-scanner")


def test_scanner_screen(playwright_instance, server):
    """The scanner over the fake camera's test pattern (no QR in view)."""
    from tests.e2e.conftest import CHROME_ARGS, CHROMIUM, context_options

    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
    try:
        ctx = b.new_context(**{**context_options(server), "locale": "en-US"})
        page = ctx.new_page()
        login(page, "guard2")
        page.click("#scan-btn")
        page.wait_for_selector(".scanner video")
        page.wait_for_function("() => document.querySelector('.scanner video').readyState >= 2")
        page.wait_for_timeout(500)
        shot(page, "screen-scanner")
        assert page.locator(".scanner .close").is_visible()
        page.click(".scanner .close")
        assert page.locator(".scanner").count() == 0
    finally:
        b.close()
