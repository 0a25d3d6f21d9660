"""The session ends while the phone is offline with items waiting: nothing is
lost, the app asks for a login, and the outbox drains after it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    expire_session,
    fill_checklist,
    login,
    open_typed,
    outbox,
    save_visit,
    shot,
    typed_codes,
    wait_for_sw,
    wait_synced,
)

pytestmark = pytest.mark.e2e


def test_expired_session_keeps_outbox_and_resumes_after_login(context, page, server, photo_file):
    login(page, "tech1")
    wait_for_sw(page)
    context.set_offline(True)
    for code in typed_codes(page, 2, skip=5):
        open_typed(page, code)
        fill_checklist(page, photo_file)
        save_visit(page)
    waiting = outbox(page)
    assert len(waiting) == 4
    expire_session(server, context)

    context.set_offline(False)
    expect(page.locator("#banner-login")).to_be_visible(timeout=15000)
    expect(page.locator("#chip")).to_have_attribute("data-state", "login")
    shot(page, "session-expired")
    assert all(r["state"] == "saved" for r in outbox(page))
    for r in waiting:
        table = "photo" if r["kind"] == "photo" else "visit"
        assert server.query(f"select count(*) from {table} where client_uuid = ?", (r["uuid"],))[0][0] == 0

    page.click("#banner-login button")
    expect(page.locator("#username")).to_have_value("tech1")
    login(page, "tech1", goto=False)
    wait_synced(page)
    for r in waiting:
        table = "photo" if r["kind"] == "photo" else "visit"
        assert server.query(f"select count(*) from {table} where client_uuid = ?", (r["uuid"],))[0][0] == 1
