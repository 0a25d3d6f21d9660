"""Answers are checked in a fixed order, so one input always gets the same error:
first the shape of the list (in answer order), then each item in template order."""

import pytest

from server.domain.checklist import check_answers, validate_items
from server.domain.errors import RoundsError

ITEMS = validate_items(
    [
        {"id": "c1", "kind": "pass_fail", "label_zh": "甲", "label_en": "A"},
        {"id": "c2", "kind": "number", "label_zh": "乙", "label_en": "B", "min": 0, "max": 1},
        {"id": "c3", "kind": "yes_no", "label_zh": "丙", "label_en": "C"},
    ]
)


def first_error(answers):
    with pytest.raises(RoundsError) as err:
        check_answers(ITEMS, answers)
    return err.value.code, err.value.detail.get("item")


def test_items_are_checked_in_template_order_not_answer_order():
    answers = [
        {"item": "c3", "value": "maybe"},  # invalid_answer
        {"item": "c2", "value": 5},  # number_out_of_range
        {"item": "c1", "value": "fail"},  # note_required
    ]
    assert first_error(answers) == ("note_required", "c1")
    assert first_error(list(reversed(answers))) == ("note_required", "c1")


def test_missing_earlier_item_wins_over_a_bad_later_one():
    assert first_error([{"item": "c3", "value": "maybe"}]) == ("required_answer_missing", "c1")


def test_shape_problems_come_before_item_problems():
    answers = [{"item": "c1", "value": "fail"}, {"item": "zz", "value": 1}]
    assert first_error(answers) == ("unknown_item", "zz")
    answers = [{"item": "c1", "value": "fail"}, {"item": "c2", "value": 5, "photos": "x"}]
    assert first_error(answers) == ("malformed_body", "c2")


def test_same_input_same_error_every_time():
    answers = [
        {"item": "c2", "value": 2},
        {"item": "c1", "value": "pass"},
        {"item": "c3", "value": True},
    ]
    assert {first_error(answers) for _ in range(5)} == {("number_out_of_range", "c2")}
