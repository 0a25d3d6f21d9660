"""The connection dies in the middle of a photo upload. A TCP proxy between the
browser and the server breaks it for real:

- the body is cut mid-stream (the server never gets the whole photo, stores
  nothing); the app resends and the server stores it;
- the whole photo arrives and is stored but the reply is lost; the app resends
  the photo itself (not settled by /sync/status) and the server answers 200,
  "already held".

Either way the server ends with exactly one photo row and one original blob,
whose bytes hash to the phone's sha256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import context_options
from tests.e2e.helpers import (
    NO_BACKGROUND_SYNC,
    fill_checklist,
    login,
    open_typed,
    outbox,
    poll,
    save_visit,
    typed_codes,
    wait_for_sw,
    wait_synced,
)
from tests.e2e.tcp_proxy import TcpProxy

pytestmark = pytest.mark.e2e

PHOTO_PUT = "PUT /api/v1/photos/"


@pytest.fixture
def proxy(server):
    p = TcpProxy(server.port)
    yield p
    p.close()


@pytest.fixture
def proxied(browser, server, proxy):
    """A phone whose every request goes through the proxy (page and service worker)."""
    ctx = browser.new_context(**{**context_options(server), "base_url": proxy.url})
    ctx.add_init_script(NO_BACKGROUND_SYNC)  # the page sends, so page.route and page.on see it
    page = ctx.new_page()
    page.on("pageerror", lambda e: print("PAGEERROR", e))
    yield ctx, page
    ctx.close()


def _one_visit_waiting(ctx, page, photo_file, user: str, skip: int) -> dict:
    login(page, user)
    wait_for_sw(page)
    ctx.set_offline(True)
    open_typed(page, typed_codes(page, 1, skip=skip)[0])
    fill_checklist(page, photo_file)
    save_visit(page)
    photos = [r for r in outbox(page) if r["kind"] == "photo"]
    assert len(photos) == 1
    return photos[0]


def _failed_once(page, uuid: str) -> dict:
    """The app saw the upload fail: the photo stays on the phone, waiting."""
    return poll(page, """async (uuid) => {
        const r = await RoundsDB.get('outbox', uuid);
        return r && r.state === 'saved' && r.attempts >= 1 && r.error && r.error.code === 'network' && !!r.blob
          ? {attempts: r.attempts, next_at: r.next_at} : null;
    }""", uuid)


def _exactly_one_stored(server, photo: dict) -> None:
    rows = server.query("select sha256, size_bytes, storage_key from photo where client_uuid = ?", (photo["uuid"],))
    assert len(rows) == 1, rows
    sha, size, key = rows[0]
    assert sha == photo["sha256"] and size == photo["size"]
    blobs = Path(server.env["STORAGE_URL"])
    original = blobs / key
    assert hashlib.sha256(original.read_bytes()).hexdigest() == photo["sha256"]
    # One original for these bytes, and no half-written upload left behind.
    assert [p for p in (blobs / "originals").rglob("*") if p.name == photo["sha256"]] == [original]
    tmp = blobs / ".tmp"
    assert not tmp.exists() or not any(tmp.iterdir())


def _photo_answers(page) -> list:
    """Every reply the page gets to a photo PUT (a broken attempt gets none).
    Bodies are read later: a handler must not call back into Playwright."""
    answers: list = []
    page.on("response", lambda r: r.request.method == "PUT" and "/api/v1/photos/" in r.url and answers.append(r))
    return answers


def test_photo_body_cut_midway_is_resent_and_stored_once(proxied, proxy, server, photo_file):
    ctx, page = proxied
    photo = _one_visit_waiting(ctx, page, photo_file, "guard2", skip=25)
    assert photo["size"] > 20_000
    answers = _photo_answers(page)
    proxy.arm("cut_body", cut_after=photo["size"] // 2)
    ctx.set_offline(False)  # back online: the app sends at once
    _failed_once(page, photo["uuid"])
    # Chromium itself resends a request that died on a reused keep-alive
    # connection (once per idle socket it holds), so there may be several cuts.
    cuts = proxy.requests(PHOTO_PUT)
    assert cuts and all(c.action == "cut_body" and c.body_bytes == photo["size"] // 2 for c in cuts)
    # Half a photo is no photo: nothing stored.
    assert server.query("select count(*) from photo where client_uuid = ?", (photo["uuid"],))[0][0] == 0
    assert answers == []

    proxy.disarm()
    page.click('#nav [data-tab="outbox"]')
    page.click("#sync-now")
    wait_synced(page)
    expect(page.locator("#all-synced")).to_be_visible()
    whole = [r for r in proxy.requests(PHOTO_PUT) if r.action == "forward"]
    assert [r.body_bytes for r in whole] == [photo["size"]]  # resent once, whole
    assert [r.status for r in answers] == [201]
    _exactly_one_stored(server, photo)
    assert all(r["state"] == "synced" for r in outbox(page))


def test_reply_lost_photo_resent_and_answered_held(proxied, proxy, server, photo_file):
    ctx, page = proxied
    photo = _one_visit_waiting(ctx, page, photo_file, "guard1", skip=28)
    # /sync/status is down throughout, so nothing is settled by asking: the app
    # must resend the photo itself.
    status_calls = []
    page.route("**/api/v1/sync/status",
               lambda route: (status_calls.append(1), route.fulfill(status=503, body="busy")))
    answers = _photo_answers(page)
    proxy.arm("drop_reply")
    ctx.set_offline(False)
    _failed_once(page, photo["uuid"])
    dropped = proxy.requests(PHOTO_PUT)
    assert dropped and all(d.action == "drop_reply" and d.body_bytes == photo["size"] for d in dropped)
    assert answers == []
    # The server has it; the phone does not know.
    assert server.query("select count(*) from photo where client_uuid = ?", (photo["uuid"],))[0][0] == 1

    proxy.disarm()
    page.click('#nav [data-tab="outbox"]')
    page.click("#sync-now")
    wait_synced(page)
    assert status_calls  # the app did ask, and got no answer
    whole = [r for r in proxy.requests(PHOTO_PUT) if r.action == "forward"]
    assert [r.body_bytes for r in whole] == [photo["size"]]
    assert len(answers) == 1
    status, body = answers[0].status, answers[0].json()
    assert status == 200  # already held: the resend is answered from the stored record
    assert body["photo"]["client_uuid"] == photo["uuid"] and body["photo"]["sha256"] == photo["sha256"]
    _exactly_one_stored(server, photo)


def test_server_down_then_back(context, page, server, photo_file):
    """The server stops while items wait (network errors → retry), then comes back."""
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
