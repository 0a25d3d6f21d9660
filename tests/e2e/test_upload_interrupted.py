"""The connection dies in the middle of a photo upload (the server stored it, the
reply never reached the phone). The app resends; the server holds exactly one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    NO_BACKGROUND_SYNC,
    fill_checklist,
    login,
    open_typed,
    outbox,
    save_visit,
    typed_codes,
    wait_for_sw,
    wait_synced,
)

pytestmark = pytest.mark.e2e


def test_photo_upload_cut_midway_is_stored_once(context, page, server, photo_file):
    context.add_init_script(NO_BACKGROUND_SYNC)  # the page sends, so page.route sees it
    login(page, "guard2")
    wait_for_sw(page)
    context.set_offline(True)
    for code in typed_codes(page, 2, skip=25):
        open_typed(page, code)
        fill_checklist(page, photo_file)
        save_visit(page)
    rows = outbox(page)
    photos = [r for r in rows if r["kind"] == "photo"]
    visits = [r for r in rows if r["kind"] == "visit"]
    assert len(photos) == 2 and len(visits) == 2

    cut = []

    def cut_first_photo(route):
        if not cut:
            cut.append(route.request.url)
            route.fetch()  # the request reaches the server and is stored …
            route.abort("connectionreset")  # … but the reply is lost
        else:
            route.continue_()

    page.route("**/api/v1/photos/**", cut_first_photo)
    context.set_offline(False)
    page.wait_for_function("document.querySelector('#chip').dataset.state !== 'offline'")
    page.wait_for_timeout(1500)
    assert len(cut) == 1
    # The cut photo waits for a retry (backoff); "Sync now" retries at once.
    page.click('#nav [data-tab="outbox"]')
    page.click("#sync-now")
    wait_synced(page)
    expect(page.locator("#all-synced")).to_be_visible()

    for p in photos:
        n = server.query("select count(*) from photo where client_uuid = ?", (p["uuid"],))[0][0]
        assert n == 1, p["uuid"]
    for v in visits:
        n = server.query("select count(*) from visit where client_uuid = ?", (v["uuid"],))[0][0]
        assert n == 1
    assert all(r["state"] == "synced" for r in outbox(page))


def test_server_down_then_back(context, page, server, photo_file):
    """The server stops while items wait (5xx/network → retry), then comes back."""
    context.add_init_script(NO_BACKGROUND_SYNC)
    login(page, "cleaner2")
    wait_for_sw(page)
    context.set_offline(True)
    open_typed(page, typed_codes(page, 1, skip=30)[0])
    fill_checklist(page, photo_file)
    save_visit(page)
    server.stop()
    try:
        context.set_offline(False)
        page.click('#nav [data-tab="outbox"]')
        page.click("#sync-now")
        page.wait_for_timeout(1000)
        assert all(r["state"] in ("saved", "sending") for r in outbox(page))
        expect(page.locator("#n-waiting")).to_be_visible()
    finally:
        server.start()
    page.click("#sync-now")
    wait_synced(page)
    for r in outbox(page):
        table = "photo" if r["kind"] == "photo" else "visit"
        assert server.query(f"select count(*) from {table} where client_uuid = ?", (r["uuid"],))[0][0] == 1
