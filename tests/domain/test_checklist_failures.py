"""When an answer fails its item, per kind (docs/api.md "Checklist items")."""

import pytest

from server.domain.checklist import check_answers, failed_items, validate_items

PHOTO = "0b7c2e0e-6f5b-4a57-9d2e-1f1c0d1c2a33"


def failed(spec, value, photos=()):
    items = validate_items(
        [{"id": "q", "label_zh": "项", "label_en": "Item", "note_on_fail": False, **spec}]
    )
    (answer,) = check_answers(items, [{"item": "q", "value": value, "photos": list(photos)}])
    return answer.failed


@pytest.mark.parametrize(("value", "expected"), [("pass", False), ("fail", True), ("na", False)])
def test_pass_fail(value, expected):
    assert failed({"kind": "pass_fail"}, value) is expected


def test_yes_no_fails_on_false_by_default():
    assert failed({"kind": "yes_no"}, False) is True
    assert failed({"kind": "yes_no"}, True) is False


def test_yes_no_fail_on_true():
    # "Any leak?" -> yes is the failure
    assert failed({"kind": "yes_no", "fail_on": True}, True) is True
    assert failed({"kind": "yes_no", "fail_on": True}, False) is False


GAUGE = {"kind": "number", "unit": "MPa", "min": 0, "max": 2.5, "pass_min": 0.1, "pass_max": 0.6}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, True), (0.09, True), (0.1, False), (0.35, False), (0.6, False), (0.61, True), (2.5, True)],
)
def test_number_fails_outside_the_normal_range(value, expected):
    assert failed(GAUGE, value) is expected


def test_number_with_one_sided_normal_range():
    low_only = {**GAUGE, "pass_max": None}
    assert failed(low_only, 2.5) is False
    assert failed(low_only, 0.05) is True
    high_only = {**GAUGE, "pass_min": None}
    assert failed(high_only, 0) is False
    assert failed(high_only, 0.7) is True


def test_number_without_normal_range_never_fails():
    assert failed({"kind": "number", "min": -10, "max": 10}, -10) is False


def test_choice_fails_when_the_picked_choice_fails():
    spec = {
        "kind": "choice",
        "choices": [
            {"value": "ok", "label_zh": "正常", "label_en": "Normal"},
            {"value": "leak", "label_zh": "滴漏", "label_en": "Dripping", "fails": True},
        ],
    }
    assert failed(spec, "leak") is True
    assert failed(spec, "ok") is False


def test_text_photo_signature_never_fail():
    assert failed({"kind": "text"}, "broken window") is False
    assert failed({"kind": "photo"}, None, photos=[PHOTO]) is False
    assert failed({"kind": "signature"}, None, photos=[PHOTO]) is False


def test_failed_items_lists_only_the_failures_in_item_order():
    items = validate_items(
        [
            {
                "id": f"c{n}",
                "kind": "pass_fail",
                "label_zh": "项",
                "label_en": "Item",
                "note_on_fail": False,
            }
            for n in range(1, 5)
        ]
    )
    checked = check_answers(
        items,
        [
            {"item": "c4", "value": "fail"},
            {"item": "c1", "value": "fail"},
            {"item": "c2", "value": "pass"},
            {"item": "c3", "value": "na"},
        ],
    )
    assert [a.item_id for a in checked] == ["c1", "c2", "c3", "c4"]
    assert [a.item_id for a in failed_items(checked)] == ["c1", "c4"]
