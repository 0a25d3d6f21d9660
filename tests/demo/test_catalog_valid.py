"""The demo catalog passes the domain validators: every template's items
(server/domain/checklist.py) and every round's schedule (server/domain/schedule.py)."""

from __future__ import annotations

import pytest

from server.demo import catalog
from server.domain.checklist import check_answers, validate_items
from server.domain.schedule import occurrences_on, parse_rule

TEMPLATE_KEYS = [t["key"] for t in catalog.TEMPLATES]
ROUND_KEYS = [r["key"] for r in catalog.ROUNDS]
PHOTO = "7f1c2b3a-4d5e-4f60-8a9b-0c1d2e3f4a5b"


def _template(key: str) -> dict:
    return next(t for t in catalog.TEMPLATES if t["key"] == key)


def _round(key: str) -> dict:
    return next(r for r in catalog.ROUNDS if r["key"] == key)


@pytest.mark.parametrize("key", TEMPLATE_KEYS)
def test_template_items_validate(key):
    raw = _template(key)["items"]
    items = validate_items(raw)
    assert [i["id"] for i in items] == [i["id"] for i in raw]
    # validation only fills defaults; it does not change what the catalog says
    for given, normalised in zip(raw, items, strict=True):
        assert {k: normalised[k] for k in given} == given


def _passing_answer(item: dict) -> dict:
    kind = item["kind"]
    if kind == "pass_fail":
        value = "pass"
    elif kind == "yes_no":
        value = not item["fail_on"]
    elif kind == "number":
        value = (item["pass_min"] + item["pass_max"]) / 2
    elif kind == "choice":
        value = next(c["value"] for c in item["choices"] if not c["fails"])
    elif kind == "text":
        value = "正常"
    else:
        value = None
    photos = [PHOTO] if kind in ("photo", "signature") else []
    return {"item": item["id"], "value": value, "photos": photos}


@pytest.mark.parametrize("key", TEMPLATE_KEYS)
def test_a_clean_visit_passes_and_earns_every_point(key):
    items = validate_items(_template(key)["items"])
    checked = check_answers(items, [_passing_answer(i) for i in items])
    assert not any(a.failed for a in checked)
    assert sum(a.points for a in checked) == sum(i["points"] for i in items)


@pytest.mark.parametrize("key", ROUND_KEYS)
def test_round_schedule_parses(key):
    rule = parse_rule(_round(key)["schedule"])
    assert rule.type == _round(key)["schedule"]["type"]


def test_occurrences_per_day():
    from datetime import date

    tz = catalog.SITE["timezone"]
    monday = date(2026, 11, 16)  # a Monday, the 15th was the day before

    def count(key: str, day: date = monday) -> int:
        return len(occurrences_on(parse_rule(_round(key)["schedule"]), day, tz, seed="demo"))

    assert count("clean-lead-low") == count("clean-lead-high") == 4
    assert count("night-patrol") == 4  # 22:00, 00:00, 02:00, 04:00
    assert count("cs-spot-check") == 1
    assert count("eng-fire-weekly") == 1
    assert count("eng-fire-weekly", date(2026, 11, 17)) == 0
    assert count("joint-monthly") == 0
    assert count("joint-monthly", date(2026, 11, 15)) == 1
    for key in ("fitout-cs", "fitout-eng", "fitout-sec"):
        assert count(key) == 1
