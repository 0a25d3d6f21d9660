"""An app update while items wait loses nothing: the IndexedDB schema upgrades in
place (v1 → v2), and a new service worker waits for "Reload to update"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    fill_checklist,
    login,
    open_typed,
    outbox,
    poll,
    save_visit,
    typed_codes,
    wait_for_sw,
)

pytestmark = pytest.mark.e2e

V1_SCHEMA = """() => new Promise((resolve, reject) => {
  const r = indexedDB.open('rounds', 1);
  r.onupgradeneeded = () => {
    const db = r.result;
    db.createObjectStore('meta', {keyPath: 'k'});
    db.createObjectStore('packs', {keyPath: 'user_id'});
    const ob = db.createObjectStore('outbox', {keyPath: 'uuid'});
    ob.createIndex('by_user', 'user_id');
    ob.createIndex('by_state', 'state');
  };
  r.onsuccess = () => {
    const db = r.result;
    const tx = db.transaction(['outbox', 'meta'], 'readwrite');
    tx.objectStore('outbox').put({uuid: '11111111-2222-4333-8444-555555555555', kind: 'visit', user_id: 999,
      state: 'saved', created_at: Date.now(), attempts: 0, json: '{}', body: {}});
    tx.objectStore('meta').put({k: 'device_id', v: 'd-old-device'});
    tx.oncomplete = () => { db.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
  r.onerror = () => reject(r.error);
})"""


def test_schema_upgrade_keeps_waiting_items(context, page, server):
    page.route("**/blank", lambda route: route.fulfill(status=200, content_type="text/html", body="<!doctype html><p>blank"))
    page.goto("/blank")
    assert page.evaluate(V1_SCHEMA)
    page.goto("/")
    page.wait_for_selector("#username")
    rows = outbox(page)
    assert [r["uuid"] for r in rows] == ["11111111-2222-4333-8444-555555555555"]
    assert page.evaluate("globalThis.RoundsDB.getMeta('device_id')") == "d-old-device"
    stores = page.evaluate("globalThis.RoundsDB.open().then(db => [db.version, Array.from(db.objectStoreNames)])")
    assert stores[0] == 2 and "drafts" in stores[1]


@pytest.fixture
def server_copy(server, tmp_path):
    """A second server on the same database that serves a copy of pwa/, so the
    test can deploy a new version of the app without touching the repo."""
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.e2e.conftest import ROOT

    pwa = tmp_path / "pwa"
    shutil.copytree(ROOT / "pwa", pwa)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = (
        "import sys, uvicorn, server.web.pwa as p; from pathlib import Path; p.PWA_DIR = Path(sys.argv[1]); "
        "uvicorn.run('server.app:create_app', factory=True, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')"
    )
    env = {**server.env, "BASE_URL": f"http://127.0.0.1:{port}"}
    proc = subprocess.Popen([sys.executable, "-c", code, str(pwa), str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield base, pwa
    proc.terminate()
    proc.wait(10)


def test_new_version_waits_for_reload_and_keeps_outbox(browser, server, server_copy, photo_file):
    from tests.e2e.conftest import context_options

    base, pwa = server_copy
    context = browser.new_context(**{**context_options(server), "base_url": base})
    page = context.new_page()
    login(page, "cleaner1")
    wait_for_sw(page)
    context.set_offline(True)
    open_typed(page, typed_codes(page, 1, skip=20)[0])
    fill_checklist(page, photo_file)
    save_visit(page)
    before = {r["uuid"] for r in outbox(page)}
    # A second checklist is in progress when the update arrives.
    open_typed(page, typed_codes(page, 1, skip=21)[0])
    page.click("#checklist [role=radio]:not([data-fails])")
    page.wait_for_timeout(600)  # the draft is saved
    # Deploy a new version while items wait (a changed shell file → a new stamp).
    (pwa / "css" / "app.css").write_text((pwa / "css" / "app.css").read_text() + "\n/* v2 */\n")
    sw = (pwa / "sw.js").read_text()
    (pwa / "sw.js").write_text(sw.replace('const SHELL_VERSION = "', 'const SHELL_VERSION = "v2-'))
    context.set_offline(False)
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    expect(page.locator("#banner-update")).to_be_visible(timeout=20000)
    # Nothing happens until the user asks for it.
    assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => !!r.waiting)")
    with page.expect_navigation():
        page.click("#banner-update button")
    page.wait_for_selector("#scan-btn, #checklist")
    poll(page, "() => caches.keys().then(k => k.some(x => x.startsWith('rounds-shell-v2-')) && !document.querySelector('#banner-update'))")
    after = {r["uuid"] for r in outbox(page)}
    assert before <= after
    expect(page.locator("#draft-card, #checklist")).to_have_count(1)
    assert page.evaluate("caches.keys()").count("rounds-shell-" + sw.split('SHELL_VERSION = "')[1].split('"')[0]) == 0
    context.close()
