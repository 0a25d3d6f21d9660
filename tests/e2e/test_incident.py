"""Quick incident report from anywhere, offline, with a photo and the location of
the last scan; it is queued like a visit and reaches the server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login, open_typed, outbox, shot, typed_codes, wait_for_sw, wait_synced

pytestmark = pytest.mark.e2e


def test_incident_report_offline_then_synced(context, page, server, photo_file):
    page.on("dialog", lambda d: d.accept())
    login(page, "guard2")
    wait_for_sw(page)
    context.set_offline(True)
    code = typed_codes(page, 1, skip=10)[0]
    open_typed(page, code)  # the last scan gives the location …
    page.click("#btn-report")  # … and the report button works from inside a checklist
    page.click('.inc-kinds [data-value="hazard"]')
    page.fill("#inc-note", "电线裸露 / exposed wire")
    page.set_input_files("#inc-cam", str(photo_file))
    expect(page.locator("#inc-thumbs .thumb")).to_have_count(1)
    expect(page.locator("#inc-loc")).to_be_checked()
    shot(page, "incident")
    page.click("#save-incident")
    page.wait_for_selector("#scan-btn")
    rows = outbox(page)
    inc = next(r for r in rows if r["kind"] == "incident")
    assert inc["body"]["kind"] == "hazard" and inc["body"]["tag_code"]
    assert len(inc["body"]["photos"]) == 1
    context.set_offline(False)
    wait_synced(page)
    got = server.query("select kind, location, photos from incident where client_uuid = ?", (inc["uuid"],))
    assert len(got) == 1 and got[0][0] == "hazard" and got[0][1] is not None
    ph = inc["body"]["photos"][0]
    assert server.query("select incident_uuid from photo where client_uuid = ?", (ph,)) == [(inc["uuid"],)]
