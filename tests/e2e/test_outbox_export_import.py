"""Last resort, end to end: a phone that cannot sync exports its waiting items;
an admin imports the very file it downloaded on the console page; each item is
stored once as the phone's user, a second import stores nothing, and when the
phone syncs after all the server answers "already held" and nothing is doubled."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    NO_BACKGROUND_SYNC,
    PASSWORD,
    fill_checklist,
    login,
    open_typed,
    outbox,
    shot,
    typed_codes,
    wait_for_sw,
    wait_synced,
)

pytestmark = pytest.mark.e2e


def _console_import(browser, server, path: str, name: str) -> dict[str, str]:
    """Log in to the console as admin, upload the file, return {uuid: outcome}."""
    ctx = browser.new_context(base_url=server.base_url, viewport={"width": 1280, "height": 900}, locale="en-US")
    try:
        page = ctx.new_page()
        page.goto("/console/login?next=/console/outbox-import")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_selector("#import-form")
        page.set_input_files("#f-file", path)
        page.click("#import-submit")
        page.wait_for_selector("#import-report")
        shot(page, name, full=True)
        rows = page.eval_on_selector_all("#import-results tbody tr",
                                         "els => els.map(e => [e.dataset.uuid, e.dataset.outcome])")
        return dict(rows)
    finally:
        ctx.close()


def _rows(server, kind: str, uid: str, columns: str) -> list[tuple]:
    table = "photo" if kind == "photo" else "visit"
    return server.query(f"select {columns} from {table} where client_uuid in (?, ?)", (uid, uid.replace("-", "")))


def test_exported_file_imported_on_console_then_phone_syncs(browser, context, page, server, photo_file, tmp_path):
    context.add_init_script(NO_BACKGROUND_SYNC)
    login(page, "cleaner1")
    wait_for_sw(page)
    context.set_offline(True)
    for code in typed_codes(page, 2, skip=18):
        open_typed(page, code)
        fill_checklist(page, photo_file)
        page.click("#save-visit")
        page.wait_for_selector("#scan-btn")
    waiting = {r["uuid"]: r for r in outbox(page) if r["state"] == "saved"}
    assert sorted(r["kind"] for r in waiting.values()) == ["photo", "photo", "visit", "visit"]

    page.click('#nav [data-tab="outbox"]')
    with page.expect_download() as dl:
        page.click("#export-btn")
    assert dl.value.suggested_filename.startswith("rounds-outbox-cleaner1-")
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    doc = json.loads(open(path, encoding="utf-8").read())
    assert doc["format"] == "rounds-outbox/1" and doc["count"] == 4

    first = _console_import(browser, server, str(path), "console-outbox-import")
    assert first == {uid: "created" for uid in waiting}
    user_id = server.query("select id from app_user where username = 'cleaner1'")[0][0]
    for uid, rec in waiting.items():
        assert _rows(server, rec["kind"], uid, '"user"') == [(user_id,)], uid
        if rec["kind"] == "photo":
            assert _rows(server, "photo", uid, "sha256") == [(rec["sha256"],)]

    assert _console_import(browser, server, str(path), "console-outbox-import-again") == {uid: "held" for uid in waiting}

    # The phone comes back: the server already holds everything and says so.
    answers = []
    page.on("response", lambda r: "/api/v1/" in r.url and r.request.method == "PUT" and answers.append(r.status))
    context.set_offline(False)
    wait_synced(page)
    expect(page.locator("#all-synced")).to_be_visible()
    assert answers and set(answers) == {200}, answers
    for uid, rec in waiting.items():
        assert _rows(server, rec["kind"], uid, "count(*)") == [(1,)], uid
