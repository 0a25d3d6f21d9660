"""A phone back in coverage sends its waiting visits together (POST
/api/v1/visits/batch, one round trip for many) while each visit keeps its own
fate: the one the server refuses is kept with its reason, the others are
synced. A server that will not take the batch gets them one by one."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import context_options, start_server
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

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """Its own site: this test revokes a label, which the other tests must keep."""
    srv = start_server(tmp_path_factory.mktemp("rounds-e2e-batch"))
    yield srv
    srv.stop()


def _record_offline(context, page, photo_file, codes: list[str]) -> dict[str, str]:
    """Short code -> the visit's UUID."""
    context.set_offline(True)
    for code in codes:
        open_typed(page, code)
        fill_checklist(page, photo_file, fail_one=False)
        save_visit(page)
    return {r["body"]["short_code"]: r["uuid"] for r in outbox(page) if r["kind"] == "visit"}


def test_waiting_visits_go_in_one_batch_and_keep_their_own_outcome(browser, own_server, photo_file):
    context = browser.new_context(**context_options(own_server))
    context.add_init_script(NO_BACKGROUND_SYNC)  # the page sends, so its requests can be watched
    page = context.new_page()
    sent: list[tuple[str, str]] = []
    page.on("request", lambda r: "/api/v1/" in r.url and sent.append((r.method, r.url.split("/api/v1/")[1])))
    login(page, "tech1")
    wait_for_sw(page)
    codes = typed_codes(page, 4)
    by_code = _record_offline(context, page, photo_file, codes)
    visits = [by_code[c] for c in codes]
    assert len(set(visits)) == 4
    # While the phone was offline, the label of the third place was revoked.
    own_server.execute("update tag set revoked_at = CURRENT_TIMESTAMP where short_code = ?", (codes[2],))

    sent.clear()
    context.set_offline(False)
    poll(page, """async () => (await RoundsDB.all('outbox')).every(r => r.state === 'synced' || r.state === 'attention')""")

    writes = [(m, p) for m, p in sent if m in ("PUT", "POST") and p.startswith("visits")]
    assert writes == [("POST", "visits/batch")], writes  # (photos, if any, go one by one before)
    states = {r["uuid"]: r for r in outbox(page)}
    refused = states[visits[2]]
    assert refused["state"] == "attention" and refused["error"]["code"] == "revoked_tag"
    assert refused["error"]["messages"]["zh-CN"]
    assert all(states[u]["state"] == "synced" for u in visits if u != visits[2])
    for u in visits:
        held = own_server.query("select count(*) from visit where client_uuid = ?", (u,))[0][0]
        assert held == (0 if u == visits[2] else 1)
    context.close()


def test_a_server_without_batches_gets_them_one_by_one(browser, own_server, photo_file):
    context = browser.new_context(**context_options(own_server))
    context.add_init_script(NO_BACKGROUND_SYNC)
    page = context.new_page()
    sent: list[tuple[str, str]] = []
    page.on("request", lambda r: "/api/v1/" in r.url and sent.append((r.method, r.url.split("/api/v1/")[1])))
    page.route("**/api/v1/visits/batch", lambda route: route.fulfill(
        status=404, content_type="application/json", body='{"code": "not_found", "message": "Not found"}'))
    login(page, "cleaner1")
    wait_for_sw(page)
    visits = list(_record_offline(context, page, photo_file, typed_codes(page, 3, skip=6)).values())

    sent.clear()
    context.set_offline(False)
    wait_synced(page)

    puts = [p for m, p in sent if m == "PUT" and p.startswith("visits/")]
    assert sorted(puts) == sorted(f"visits/{u}" for u in visits)
    for u in visits:
        assert own_server.query("select count(*) from visit where client_uuid = ?", (u,))[0][0] == 1
    context.close()
