"""Each kind accepts only its own type of value: invalid_answer and number_out_of_range."""

import pytest

from server.domain.checklist import check_answers, validate_items
from server.domain.errors import RoundsError

PHOTO = "0b7c2e0e-6f5b-4a57-9d2e-1f1c0d1c2a33"
ITEMS = {
    "pass_fail": {"kind": "pass_fail"},
    "yes_no": {"kind": "yes_no"},
    "number": {"kind": "number", "unit": "MPa", "min": 0, "max": 2.5},
    "text": {"kind": "text"},
    "choice": {
        "kind": "choice",
        "choices": [
            {"value": "ok", "label_zh": "正常", "label_en": "Normal"},
            {"value": "bad", "label_zh": "异常", "label_en": "Abnormal", "fails": True},
        ],
    },
    "photo": {"kind": "photo"},
    "signature": {"kind": "signature"},
}


def items_of(kind):
    return validate_items(
        [{"id": "q", "label_zh": "项", "label_en": "Item", "note_on_fail": False, **ITEMS[kind]}]
    )


def check(kind, value, photos=()):
    return check_answers(items_of(kind), [{"item": "q", "value": value, "photos": list(photos)}])


INVALID = [
    ("pass_fail", "PASS"), ("pass_fail", True), ("pass_fail", 1), ("pass_fail", "ok"),
    ("yes_no", "yes"), ("yes_no", 1), ("yes_no", 0), ("yes_no", "false"),
    ("number", True), ("number", False), ("number", "1.5"), ("number", float("nan")),
    ("number", float("inf")), ("number", [1]),
    ("text", 5), ("text", "x" * 2001), ("text", ["a"]),
    ("choice", "OK"), ("choice", "other"), ("choice", 0), ("choice", {"value": "ok"}),
    ("photo", "pass"), ("signature", PHOTO),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "value"), INVALID, ids=[f"{k}-{v!r}"[:40] for k, v in INVALID])
def test_invalid_answer(kind, value):
    with pytest.raises(RoundsError) as err:
        check(kind, value, photos=[PHOTO])
    assert err.value.code == "invalid_answer"
    assert err.value.detail["item"] == "q"


VALID = [
    ("pass_fail", "pass"), ("pass_fail", "fail"), ("pass_fail", "na"),
    ("yes_no", True), ("yes_no", False),
    ("number", 0), ("number", 2.5), ("number", 1), ("number", 0.35),
    ("text", "all fine"), ("text", "x" * 2000),
    ("choice", "ok"), ("choice", "bad"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "value"), VALID, ids=[f"{k}-{v!r}"[:40] for k, v in VALID])
def test_valid_values_are_kept_as_given(kind, value):
    (answer,) = check(kind, value)
    assert answer.value == value
    assert type(answer.value) is type(value)
    assert answer.kind == kind


@pytest.mark.parametrize("value", [-0.01, 2.51, -5, 1e300, 10**400])
def test_number_out_of_range(value):
    with pytest.raises(RoundsError) as err:
        check("number", value)
    assert err.value.code == "number_out_of_range"
    assert err.value.detail == {"item": "q", "min": 0, "max": 2.5, "value": value}
