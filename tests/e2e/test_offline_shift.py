"""A whole shift offline: log in once, go offline, record 20 visits with photos
(typed codes and one camera scan of a QR label), restart the browser while still
offline, come back online: the server holds exactly those 20 visits and their
photos with the same sha256, and the app says it is safe to go home."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import context_options
from tests.e2e.helpers import (
    device_id,
    fill_checklist,
    login,
    open_typed,
    outbox,
    pack_json,
    save_visit,
    shot,
    wait_for_sw,
    wait_synced,
)

pytestmark = pytest.mark.e2e


def test_offline_shift_survives_restart_and_syncs(playwright_instance, launch_args, server, qr_video, photo_file, tmp_path):
    profile = tmp_path / "profile"
    opts = {**launch_args, **context_options(server)}
    ctx = playwright_instance.chromium.launch_persistent_context(str(profile), **opts)
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    page.on("pageerror", lambda e: print("PAGEERROR", e))
    login(page, "guard1")
    wait_for_sw(page)
    shot(page, "home")

    pack = pack_json(page)
    site = pack["sites"][0]
    with_template = {loc["id"] for loc in site["locations"] if loc["template_version_id"]}
    scan_code = qr_video[1]
    scan_tag = next(t for t in site["tags"] if t["code"] == scan_code)
    assert scan_tag["location_id"] in with_template
    typed = [t["short_code"] for t in site["tags"] if t["location_id"] in with_template and t["code"] != scan_code][:19]
    assert len(typed) == 19

    ctx.set_offline(True)
    # 1: through the in-app camera scanner (fake camera plays the QR label)
    page.click("#scan-btn")
    page.wait_for_selector("#checklist", timeout=20000)
    photos = fill_checklist(page, photo_file)
    shot(page, "checklist", full=True)
    save_visit(page)
    # 2..20: typed short codes
    for code in typed:
        open_typed(page, code)
        photos += fill_checklist(page, photo_file)
        save_visit(page)
    expect(page.locator("#chip")).to_have_attribute("data-state", "offline")
    rows = outbox(page)
    visits = [r for r in rows if r["kind"] == "visit"]
    assert len(visits) == 20
    assert all(r["state"] == "saved" for r in rows)
    assert sum(1 for r in rows if r["kind"] == "photo") == photos
    scanned = [v for v in visits if v["body"]["scan_method"] == "scan"]
    assert len(scanned) == 1 and scanned[0]["body"]["tag_code"] == scan_code
    page.click('#nav [data-tab="outbox"]')
    page.wait_for_selector("#n-waiting")
    shot(page, "outbox-waiting")
    dev = device_id(page)

    # The phone restarts while still offline.
    ctx.close()
    ctx = playwright_instance.chromium.launch_persistent_context(str(profile), offline=True, **opts)
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    page.goto("/")
    page.wait_for_selector("#scan-btn")
    assert page.evaluate("navigator.onLine") is False
    rows_after = outbox(page)
    assert {r["uuid"] for r in rows_after} == {r["uuid"] for r in rows}
    assert all(r["has_blob"] for r in rows_after if r["kind"] == "photo")

    ctx.set_offline(False)
    wait_synced(page, timeout=120000)
    page.click('#nav [data-tab="outbox"]')
    expect(page.locator("#all-synced")).to_be_visible()
    expect(page.locator("#all-synced")).to_contain_text("全部已同步，可以下班")
    shot(page, "outbox-synced")

    phone = {r["uuid"]: r for r in outbox(page)}
    assert all(r["state"] == "synced" for r in phone.values())
    stored = server.query("select client_uuid from visit where device_id = ?", (dev,))
    norm = lambda u: str(u).replace("-", "").lower()  # noqa: E731
    assert sorted(norm(u) for (u,) in stored) == sorted(norm(v["uuid"]) for v in visits)
    phone_photos = {norm(u): r["sha256"] for u, r in phone.items() if r["kind"] == "photo"}
    marks = ",".join("?" * len(visits))
    ph = server.query(f"select client_uuid, sha256 from photo where visit_uuid in ({marks})",
                      tuple(v["uuid"] for v in visits))
    assert {norm(u): s for u, s in ph} == phone_photos
    ctx.close()
