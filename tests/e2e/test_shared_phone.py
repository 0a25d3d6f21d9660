"""Two people share a phone: each one's items are sent under their own account,
and nobody sees the other's items."""

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


def user_id(server, username):
    return server.query('select id from app_user where username = ?', (username,))[0][0]


def test_switching_user_keeps_and_separates_items(context, page, server, photo_file):
    page.on("dialog", lambda d: d.accept())
    login(page, "guard1")
    wait_for_sw(page)
    context.set_offline(True)
    open_typed(page, typed_codes(page, 1, skip=3)[0])
    fill_checklist(page, photo_file, fail_one=False)
    save_visit(page)
    mine = [r for r in outbox(page) if r["kind"] == "visit"]
    assert len(mine) == 1
    # guard1's session ends before the phone is back online; a colleague logs in.
    expire_session(server, context)
    context.set_offline(False)
    expect(page.locator("#banner-login")).to_be_visible(timeout=15000)
    page.click('#nav [data-tab="me"]')
    page.click("#logout-btn")
    login(page, "guard2", goto=False)
    page.click('#nav [data-tab="outbox"]')
    expect(page.locator("#others-waiting")).to_be_visible()
    expect(page.locator("#outbox-list")).not_to_contain_text("检查 ·")  # none of guard1's rows
    shot(page, "shared-phone-outbox")
    page.click('#nav [data-tab="home"]')
    open_typed(page, typed_codes(page, 1, skip=4)[0])
    fill_checklist(page, photo_file, fail_one=False)
    save_visit(page)
    wait_synced(page)
    rows = outbox(page)
    g1 = user_id(server, "guard1")
    g2 = user_id(server, "guard2")
    theirs = [r for r in rows if r["kind"] == "visit" and r["user_id"] == g2]
    assert len(theirs) == 1
    assert server.query("select user from visit where client_uuid = ?", (theirs[0]["uuid"],)) == [(g2,)]
    # guard1's visit still waits, unsent
    assert server.query("select count(*) from visit where client_uuid = ?", (mine[0]["uuid"],)) == [(0,)]
    assert next(r for r in rows if r["uuid"] == mine[0]["uuid"])["state"] == "saved"
    # guard1 logs in again: their visit goes under their own account
    page.click('#nav [data-tab="me"]')
    page.click("#logout-btn")
    login(page, "guard1", goto=False)
    wait_synced(page)
    assert server.query("select user from visit where client_uuid = ?", (mine[0]["uuid"],)) == [(g1,)]
