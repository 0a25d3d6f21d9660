"""The in-app scanner fails gracefully: when the QR decoder cannot load (its
wasm blocked) or the camera cannot be opened, the scanner closes, says "type the
code instead" and puts the cursor in the short-code field. Whenever it closes,
the camera tracks and the decoder worker are stopped."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import context_options
from tests.e2e.helpers import login, shot, typed_codes

pytestmark = pytest.mark.e2e

# Keep hold of every decoder worker and camera stream the app makes, to check they stop.
SPY = """
(() => {
  window.__workers = [];
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(...args) { super(...args); this.__terminated = false; window.__workers.push(this); }
    terminate() { this.__terminated = true; super.terminate(); }
  };
  window.__streams = [];
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (c) => { const s = await gum(c); window.__streams.push(s); return s; };
  }
})();
"""
NO_CAMERA = """
navigator.mediaDevices.getUserMedia = async () => { throw new DOMException('Permission denied', 'NotAllowedError'); };
"""
STOPPED = """() => ({
  workers: window.__workers.length,
  terminated: window.__workers.every(w => w.__terminated),
  streams: window.__streams.length,
  ended: window.__streams.every(s => s.getTracks().every(t => t.readyState === 'ended')),
})"""


@pytest.fixture
def fresh(browser, server):
    """No service worker: the decoder is fetched from the network, where it can be blocked."""
    ctx = browser.new_context(**{**context_options(server), "service_workers": "block"})
    ctx.add_init_script(SPY)
    page = ctx.new_page()
    yield ctx, page
    ctx.close()


def _assert_fell_back_to_typing(page, text: str) -> None:
    expect(page.locator(".scanner")).to_have_count(0)
    err = page.locator("#scan-error")
    expect(err).to_be_visible()
    expect(err).to_contain_text(text)
    expect(err).to_contain_text("请输入二维码下方印的编码" if "扫码程序" in text else "请输入标签上印的编码")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'code-input'")


def test_decoder_that_cannot_load_falls_back_to_typing(fresh, server):
    ctx, page = fresh
    blocked = []
    ctx.route("**/pwa/vendor/zxing_reader.wasm", lambda route: (blocked.append(route.request.url), route.abort()))
    login(page, "guard1")
    page.click("#scan-btn")
    _assert_fell_back_to_typing(page, "扫码程序无法启动")
    assert blocked, "the wasm was never asked for"
    shot(page, "scanner-failed-type-instead")
    state = page.evaluate(STOPPED)
    assert state == {"workers": 1, "terminated": True, "streams": 1, "ended": True}, state
    # The fallback works: the code typed in the focused field opens the checklist.
    page.keyboard.type(typed_codes(page, 1)[0])
    page.keyboard.press("Enter")
    page.wait_for_selector("#checklist")


def test_camera_that_cannot_open_falls_back_to_typing(fresh, server):
    ctx, page = fresh
    ctx.add_init_script(NO_CAMERA)
    login(page, "guard1")
    page.click("#scan-btn")
    _assert_fell_back_to_typing(page, "无法使用摄像头（NotAllowedError）")
    assert page.evaluate(STOPPED)["workers"] == 0  # no decoder started without a camera


def test_cancel_stops_camera_and_worker(fresh, server):
    ctx, page = fresh
    login(page, "guard1")
    page.click("#scan-btn")
    page.wait_for_function("() => document.querySelector('.scanner video') && "
                           "document.querySelector('.scanner video').readyState >= 2")
    page.wait_for_function("() => window.__workers.length === 1")
    page.click(".scanner .close")
    expect(page.locator(".scanner")).to_have_count(0)
    assert page.evaluate(STOPPED) == {"workers": 1, "terminated": True, "streams": 1, "ended": True}
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'code-input'")
    expect(page.locator("#scan-error")).to_have_count(0)
