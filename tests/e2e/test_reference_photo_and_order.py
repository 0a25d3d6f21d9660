"""On the phone, with no network: a checklist item shows its reference photo
("what good looks like") from the app's own cache, the home screen says which
checkpoint of an ordered round is next, and scanning ahead of it warns."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login, pack_json, poll, shot, wait_for_sw

pytestmark = pytest.mark.e2e


def test_reference_photo_offline_next_checkpoint_and_out_of_order_hint(context, page, server):
    login(page, "lead1")
    wait_for_sw(page)
    pack = pack_json(page)
    site = pack["sites"][0]
    with_ref = {t["id"] for t in pack["templates"] if any(i.get("reference_photo_url") for i in t["items"])}
    assert with_ref, "the demo has reference photos"
    rnd, stop = next((r, c) for r in site["rounds"] if r["ordered"]
                     for c in sorted(r["checkpoints"], key=lambda c: c["position"])[1:]
                     if c["template_version_id"] in with_ref)
    first = min(rnd["checkpoints"], key=lambda c: c["position"])
    locs = {loc["id"]: loc for loc in site["locations"]}
    # home: the ordered round names its first stop
    nxt = page.locator(f'.round-next[data-round="{rnd["id"]}"]')
    expect(nxt).to_contain_text(locs[first["location_id"]]["name_zh"])
    poll(page, "async () => (await (await caches.open('rounds-reference-v1')).keys()).length >= 1")

    context.set_offline(True)
    tag = next(t for t in site["tags"] if t["location_id"] == stop["location_id"])
    page.goto(f"/t/{tag['code']}")
    page.wait_for_selector("#checklist")
    hint = page.locator("#out-of-order")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text(locs[first["location_id"]]["name_zh"])
    ref = page.locator("details.item-ref").first
    ref.locator("summary").click()
    img = ref.locator("img")
    expect(img).to_be_visible()
    poll(page, "() => { const i = document.querySelector('details.item-ref img'); return i && i.complete && i.naturalWidth > 0; }")
    assert img.get_attribute("src").startswith("blob:")  # from the app's cache, not the network
    shot(page, "reference-photo-offline")
