"""Steps the e2e tests share: log in, open a checklist, fill it, read the outbox.

Give page.wait_for_function a function ("() => …"), never a bare expression:
Playwright evals an expression inside the page, which the app's CSP refuses."""

from __future__ import annotations

import json
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS

PASSWORD = "rounds-demo"


def shot(page: Page, name: str, full: bool = False) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def login(page: Page, username: str, password: str = PASSWORD, *, goto: bool = True) -> None:
    if goto:
        page.goto("/")
    page.wait_for_selector("#username")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-btn")
    page.wait_for_selector("#scan-btn")


def poll(page: Page, js: str, arg=None, timeout: float = 30.0, interval: float = 0.2):
    """Evaluate an (async) function until it returns something truthy.
    page.wait_for_function does not wait for a returned promise."""
    deadline = time.time() + timeout
    while True:
        try:
            value = page.evaluate(js, arg)
        except Exception as exc:  # noqa: BLE001 - the page may be navigating (a reload)
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                raise
            value = None
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for: {js[:200]}")
        time.sleep(interval)


def wait_for_sw(page: Page) -> None:
    """The service worker controls the page and its caches are filled."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=20000)
    poll(
        page,
        """async () => {
             const keys = await caches.keys();
             const dec = keys.find(k => k.startsWith('rounds-decoder-'));
             if (!dec || !keys.some(k => k.startsWith('rounds-shell-'))) return false;
             const c = await caches.open(dec);
             return (await c.keys()).length === 3;
           }""",
    )


def open_typed(page: Page, short_code: str) -> None:
    page.fill("#code-input", short_code)
    page.click("#code-go")
    page.wait_for_selector("#checklist")


def items(page: Page) -> list[dict]:
    return page.eval_on_selector_all(
        "#checklist .item[data-item]",
        "els => els.map(e => ({id: e.dataset.item, kind: e.dataset.kind, required: !!e.querySelector('.req')}))",
    )


def fill_checklist(page: Page, photo: Path, *, fail_one: bool = True, extra_photo: bool = False) -> int:
    """Answer every item so the checklist passes validation. With fail_one, the
    first pass/fail or yes/no item is failed with a note and a photo. Returns
    the number of photos taken."""
    photos = 0
    failed = False
    for it in items(page):
        sel = f"#item-{it['id']}"
        kind = it["kind"]
        if kind in ("pass_fail", "yes_no") and fail_one and not failed:
            page.click(f"{sel} [role=radio][data-fails]")
            page.fill(f"#note-{it['id']}", "纸屑 / litter")
            page.set_input_files(f"#cam-{it['id']}", str(photo))
            expect(page.locator(f"{sel} .thumb")).to_have_count(1)
            photos += 1
            failed = True
        elif kind in ("pass_fail", "yes_no", "choice"):
            page.click(f"{sel} [role=radio]:not([data-fails])")
        elif kind == "number":
            lo = page.get_attribute(f"#num-{it['id']}", "data-pass-min")
            hi = page.get_attribute(f"#num-{it['id']}", "data-pass-max")
            value = (float(lo) + float(hi)) / 2 if lo and hi else 1
            page.fill(f"#num-{it['id']}", f"{value:g}")
        elif kind == "text":
            if it["required"]:
                page.fill(f"{sel} textarea", "ok")
        elif kind == "photo":
            page.set_input_files(f"#cam-{it['id']}", str(photo))
            expect(page.locator(f"{sel} .thumb")).to_have_count(1)
            photos += 1
        elif kind == "signature":
            box = page.locator(f"#sig-{it['id']}").bounding_box()
            page.mouse.move(box["x"] + 20, box["y"] + 40)
            page.mouse.down()
            for i in range(1, 12):
                page.mouse.move(box["x"] + 20 + i * 22, box["y"] + 40 + (i % 3) * 25)
            page.mouse.up()
            page.click(f"{sel} [data-f=sig-use]")
            expect(page.locator(f"{sel} .thumb")).to_have_count(1)
            photos += 1
    return photos


def save_visit(page: Page) -> None:
    page.click("#save-visit")
    page.wait_for_selector("#scan-btn")


def outbox(page: Page) -> list[dict]:
    """Every outbox record on the phone (without blobs)."""
    return page.evaluate(
        """async () => {
             const rows = await globalThis.RoundsDB.all('outbox');
             return rows.map(r => { const o = Object.assign({}, r); o.has_blob = !!r.blob; delete o.blob; return o; });
           }"""
    )


def device_id(page: Page) -> str:
    return page.evaluate("globalThis.RoundsDB.getMeta('device_id')")


def wait_synced(page: Page, timeout: int = 60000) -> None:
    page.wait_for_function("() => document.body.dataset.waiting === '0' && document.body.dataset.attention === '0'",
                           timeout=timeout)


def pack_json(page: Page) -> dict:
    return page.evaluate("async () => (await globalThis.RoundsDB.all('packs'))[0].pack")


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)[:3000]


def typed_codes(page: Page, n: int, *, skip: int = 0) -> list[str]:
    """Short codes of tags whose location has a checklist, from the phone's pack."""
    site = pack_json(page)["sites"][0]
    with_template = {loc["id"] for loc in site["locations"] if loc["template_version_id"]}
    codes = [t["short_code"] for t in site["tags"] if t["location_id"] in with_template]
    return codes[skip:skip + n]


def expire_session(server, context) -> None:
    """End the phone's session on the server (as if it expired), keeping the cookie."""
    import urllib.request

    cookie = next(c for c in context.cookies() if c["name"] == "session")
    req = urllib.request.Request(
        server.base_url + "/api/v1/session", method="DELETE",
        headers={"Cookie": f"session={cookie['value']}", "X-Rounds-Client": "pwa"},
    )
    with urllib.request.urlopen(req) as r:
        assert r.status in (200, 204)


NO_BACKGROUND_SYNC = "delete window.SyncManager;"
