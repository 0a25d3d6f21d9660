"""Required items must be answered: present, not null, and for photo/signature with a photo."""

import pytest

from server.domain.checklist import check_answers, validate_items
from server.domain.errors import RoundsError

PHOTO = "0b7c2e0e-6f5b-4a57-9d2e-1f1c0d1c2a33"


def item(kind, **extra):
    base = {"id": "q", "kind": kind, "label_zh": "项", "label_en": "Item"}
    if kind == "number":
        base |= {"min": 0, "max": 10}
    if kind == "choice":
        base["choices"] = [
            {"value": "a", "label_zh": "甲", "label_en": "A"},
            {"value": "b", "label_zh": "乙", "label_en": "B"},
        ]
    return validate_items([base | extra])


def missing(items, answers):
    with pytest.raises(RoundsError) as err:
        check_answers(items, answers)
    assert err.value.code == "required_answer_missing"
    assert err.value.detail == {"item": "q"}


@pytest.mark.parametrize(
    "kind", ["pass_fail", "yes_no", "number", "text", "choice", "photo", "signature"]
)
def test_absent_required_item(kind):
    missing(item(kind), [])


@pytest.mark.parametrize("kind", ["pass_fail", "yes_no", "number", "text", "choice"])
def test_null_value_is_no_answer(kind):
    missing(item(kind), [{"item": "q", "value": None}])
    missing(item(kind), [{"item": "q"}])


def test_blank_text_is_no_answer():
    missing(item("text"), [{"item": "q", "value": "   "}])


@pytest.mark.parametrize("kind", ["photo", "signature"])
def test_photo_and_signature_need_a_photo(kind):
    missing(item(kind), [{"item": "q", "value": None, "photos": []}])
    (answer,) = check_answers(item(kind), [{"item": "q", "value": None, "photos": [PHOTO]}])
    assert answer.photos == (PHOTO,)


def test_a_photo_on_another_kind_does_not_answer_it():
    missing(item("pass_fail"), [{"item": "q", "value": None, "photos": [PHOTO]}])


def test_na_answers_a_required_pass_fail():
    (answer,) = check_answers(item("pass_fail"), [{"item": "q", "value": "na"}])
    assert answer.value == "na"


def test_optional_items_may_be_absent_or_null():
    assert check_answers(item("text", required=False), []) == []
    (answer,) = check_answers(item("pass_fail", required=False), [{"item": "q", "value": None}])
    assert (answer.value, answer.failed, answer.points) == (None, False, 0)
    assert check_answers(item("photo", required=False), [{"item": "q"}])[0].photos == ()
