"""The checklist will not save while something is missing, and says what: a
required item unanswered, a failed item without a note, a failed item whose
template asks for a photo without one. The round box says which round and
which window the visit counts for (on time, late in the grace period, or the
next window), with the phone's clock set inside and around a real window."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login, open_typed, outbox, pack_json, save_visit, shot

pytestmark = pytest.mark.e2e


def _hhmm(iso: str, tz: str) -> str:
    return datetime.fromisoformat(iso).astimezone(ZoneInfo(tz)).strftime("%H:%M")


def _round_and_spot(pack: dict) -> tuple[dict, dict, dict, str]:
    """A patrol round with a window today, and one of its checkpoints with a
    label and a checklist that has a failable item asking for a photo."""
    site = pack["sites"][0]
    templates = {t["id"]: t for t in pack["templates"]}
    for r in site["rounds"]:
        if r["kind"] != "patrol" or not r["today"]:
            continue
        occ = r["today"][0]
        if occ["grace_end"] <= occ["end"]:
            continue
        for cp in r["checkpoints"]:
            tv = templates.get(cp.get("template_version_id") or next(
                (loc["template_version_id"] for loc in site["locations"] if loc["id"] == cp["location_id"]), None))
            tag = next((t for t in site["tags"] if t["location_id"] == cp["location_id"]), None)
            if tv and tag and any(i["kind"] == "pass_fail" and i.get("photo_on_fail") for i in tv["items"]):
                return r, occ, tag, site["timezone"]
    raise AssertionError("the demo has no patrol round with a photo-on-fail checklist")


def _scan_at(page, when: datetime, short_code: str) -> None:
    page.clock.set_fixed_time(when)
    open_typed(page, short_code)


def _cancel(page) -> None:
    page.click("#nav .btn-secondary")
    page.wait_for_selector("#scan-btn")


def test_round_box_and_required_items(context, page, server, photo_file):
    login(page, "lead1")
    pack = pack_json(page)
    rnd, occ, tag, tz = _round_and_spot(pack)
    start, end, grace = (datetime.fromisoformat(occ[k]) for k in ("start", "end", "grace_end"))
    span = f"{_hhmm(occ['start'], tz)}–{_hhmm(occ['end'], tz)}"
    context.set_offline(True)  # nothing leaves the phone while its clock is moved

    # Late: past the window's end, inside its grace period.
    _scan_at(page, end + (grace - end) / 2, tag["short_code"])
    page.select_option("#round-select", str(rnd["id"]))
    box = page.locator("#round-box")
    expect(box.locator("#counts-for")).to_contain_text(f"计入: {rnd['name_zh']}")
    expect(box.locator("#counts-for")).to_contain_text(f"时段 {span} · 迟到（宽限至 {_hhmm(occ['grace_end'], tz)}）")
    expect(box).to_have_class("card round-box warn")
    _cancel(page)

    # Before the first window of the day: the next window.
    _scan_at(page, start - timedelta(minutes=1), tag["short_code"])
    page.select_option("#round-select", str(rnd["id"]))
    expect(page.locator("#counts-for")).to_contain_text(f"下一时段 {span}")
    _cancel(page)

    # Inside the window: a round whose window is open is preselected, on time.
    _scan_at(page, start + timedelta(minutes=1), tag["short_code"])
    chosen = int(page.input_value("#round-select"))
    chosen_round = next(r for r in pack["sites"][0]["rounds"] if r["id"] == chosen)
    open_now = [o for o in chosen_round["today"]
                if datetime.fromisoformat(o["start"]) <= start + timedelta(minutes=1) <= datetime.fromisoformat(o["end"])]
    assert open_now, f"preselected {chosen_round['name_zh']}, whose window is not open"
    o = open_now[0]
    expect(page.locator("#counts-for")).to_contain_text(f"计入: {chosen_round['name_zh']}")
    expect(page.locator("#counts-for")).to_contain_text(f"时段 {_hhmm(o['start'], tz)}–{_hhmm(o['end'], tz)} · 准时")
    expect(page.locator("#round-box")).to_have_class("card round-box ok")

    # Saving with nothing answered is blocked, and every required item says so.
    cards = page.eval_on_selector_all("#checklist .item[data-item]", """els => els.map(e => ({
        id: e.dataset.item, kind: e.dataset.kind, required: !!e.querySelector('.req')}))""")
    required = [c for c in cards if c["required"]]
    assert required
    page.click("#save-visit")
    expect(page.locator("#checklist-error")).to_have_text(f"还有 {len(required)} 项需要处理才能保存。")
    for c in cards:
        err = page.locator(f"#err-{c['id']}")
        if not c["required"]:
            expect(err).to_have_text("")
        elif c["kind"] in ("photo", "signature"):
            expect(err).to_have_text("请至少拍一张照片。")
        else:
            expect(err).to_have_text("此项必填。")
            expect(err).to_be_visible()
    assert page.evaluate("document.activeElement.closest('.item') && document.activeElement.closest('.item').id") \
        == f"item-{required[0]['id']}"
    assert page.locator("#scan-btn").count() == 0

    # Everything passes except one item that fails: no note, no photo yet.
    target = next(c for c in cards if c["kind"] == "pass_fail")
    for c in cards:
        sel = f"#item-{c['id']}"
        if c is target:
            page.click(f"{sel} [role=radio][data-fails]")
        elif c["kind"] in ("pass_fail", "yes_no", "choice"):
            page.click(f"{sel} [role=radio]:not([data-fails])")
        elif c["kind"] == "photo":
            page.set_input_files(f"#cam-{c['id']}", str(photo_file))
            expect(page.locator(f"{sel} .thumb")).to_have_count(1)
        elif c["kind"] == "text" and c["required"]:
            page.fill(f"{sel} textarea", "ok")
        elif c["kind"] == "number":
            lo = page.get_attribute(f"#num-{c['id']}", "data-pass-min")
            hi = page.get_attribute(f"#num-{c['id']}", "data-pass-max")
            page.fill(f"#num-{c['id']}", f"{(float(lo) + float(hi)) / 2:g}")
    err = page.locator(f"#err-{target['id']}")
    page.click("#save-visit")
    expect(page.locator("#checklist-error")).to_have_text("还有 1 项需要处理才能保存。")
    expect(err).to_have_text("不合格项需要备注。 不合格项需要照片。")
    expect(page.locator(f"#item-{target['id']}")).to_have_class("item item-failed item-invalid")
    expect(page.locator(f"#item-{target['id']} .need")).to_be_visible()  # "photo needed" under the camera button
    page.locator(f"#item-{target['id']}").scroll_into_view_if_needed()
    shot(page, "checklist-fail-needs-note-and-photo")

    page.fill(f"#note-{target['id']}", "地面有水渍")
    page.click("#save-visit")
    expect(err).to_have_text("不合格项需要照片。")
    assert page.locator("#scan-btn").count() == 0
    assert not [r for r in outbox(page) if r["kind"] == "visit"]

    page.set_input_files(f"#cam-{target['id']}", str(photo_file))
    expect(page.locator(f"#item-{target['id']} .thumb")).to_have_count(1)
    expect(err).to_have_text("")
    save_visit(page)
    visit = next(r for r in outbox(page) if r["kind"] == "visit")
    answer = next(a for a in visit["body"]["answers"] if a["item"] == target["id"])
    assert answer["value"] == "fail" and answer["note"] == "地面有水渍" and len(answer["photos"]) == 1
    assert visit["body"]["round_id"] == chosen
