"""Retry backoff spares a struggling server, but never delays a reconnect: an
item that failed while the server was down (its reverse proxy answering 502)
is sent at once when the phone comes back online, when the user returns to the
app, or on "Sync now" — long before its backoff would have let it go."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    NO_BACKGROUND_SYNC,
    fill_checklist,
    login,
    open_typed,
    outbox,
    poll,
    typed_codes,
    wait_for_sw,
    wait_synced,
)

pytestmark = pytest.mark.e2e

BAD_GATEWAY = "**/api/v1/**"


def _bad_gateway(route):
    route.fulfill(status=502, content_type="text/html", body="<h1>502 Bad Gateway</h1>")


@pytest.mark.parametrize("trigger", ["online", "back_to_app", "sync_now"])
def test_failed_item_goes_at_once_on_reconnect(context, page, server, photo_file, trigger):
    context.add_init_script(NO_BACKGROUND_SYNC)  # the page is the sender, and the one under test
    login(page, "tech1")
    wait_for_sw(page)
    page.route(BAD_GATEWAY, _bad_gateway)  # the app server is down behind its proxy
    skip = {"online": 3, "back_to_app": 6, "sync_now": 9}[trigger]
    open_typed(page, typed_codes(page, 1, skip=skip)[0])
    fill_checklist(page, photo_file)
    page.click("#save-visit")
    page.wait_for_selector("#scan-btn")
    # The first send fails with 502: the photo (sent first) now waits on its backoff.
    failed = poll(page, """async () => {
        const rows = await RoundsDB.all('outbox');
        const p = rows.find(r => r.kind === 'photo' && r.state === 'saved' && r.attempts >= 1 && r.next_at);
        return p ? {uuid: p.uuid, next_at: p.next_at, code: p.error && p.error.code, now: Date.now()} : null;
    }""")
    assert failed["code"] == "http_502"
    assert failed["next_at"] - failed["now"] >= 5000  # backoff(1) is 10–30 s

    if trigger == "online":
        context.set_offline(True)
        page.unroute(BAD_GATEWAY)
        expect(page.locator("#chip")).to_have_attribute("data-state", "offline")
        context.set_offline(False)
    elif trigger == "back_to_app":
        page.unroute(BAD_GATEWAY)
        # The phone's screen comes back on / the user switches back to the app.
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    else:
        page.unroute(BAD_GATEWAY)
        page.click('#nav [data-tab="outbox"]')
        page.click("#sync-now")
    synced = poll(page, """async (uuid) => {
        const r = await RoundsDB.get('outbox', uuid);
        return r && r.state === 'synced' ? r.synced_at : null;
    }""", failed["uuid"], timeout=20)
    assert synced < failed["next_at"], "the photo waited for its backoff"
    wait_synced(page, timeout=10000)  # the visit goes right after its photo
    assert all(r["state"] == "synced" for r in outbox(page))
    assert server.query("select count(*) from photo where client_uuid = ?", (failed["uuid"],))[0][0] == 1
