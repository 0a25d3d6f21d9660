"""A failed item needs a note (note_on_fail, default on) and a photo (photo_on_fail)."""

import pytest

from server.domain.checklist import check_answers, validate_items
from server.domain.errors import RoundsError

PHOTO = "0b7c2e0e-6f5b-4a57-9d2e-1f1c0d1c2a33"


def items(**flags):
    return validate_items(
        [
            {
                "id": "c1",
                "kind": "pass_fail",
                "label_zh": "地面无垃圾",
                "label_en": "No litter",
                **flags,
            }
        ]
    )


def code_of(items_, answer):
    with pytest.raises(RoundsError) as err:
        check_answers(items_, [answer])
    assert err.value.detail["item"] == "c1"
    return err.value.code


@pytest.mark.parametrize("note", [None, "", "   \n"])
def test_failed_item_needs_a_note_by_default(note):
    answer = {"item": "c1", "value": "fail"} | ({} if note is None else {"note": note})
    assert code_of(items(), answer) == "note_required"


def test_note_not_needed_when_switched_off():
    (a,) = check_answers(items(note_on_fail=False), [{"item": "c1", "value": "fail"}])
    assert a.failed and a.note == ""


def test_failed_item_needs_a_photo_when_asked():
    its = items(photo_on_fail=True)
    assert (
        code_of(its, {"item": "c1", "value": "fail", "note": "纸屑", "photos": []})
        == "photo_required"
    )
    (a,) = check_answers(its, [{"item": "c1", "value": "fail", "note": "纸屑", "photos": [PHOTO]}])
    assert a.failed and a.photos == (PHOTO,) and a.note == "纸屑"


def test_note_is_checked_before_photo():
    assert code_of(items(photo_on_fail=True), {"item": "c1", "value": "fail"}) == "note_required"


def test_passing_item_needs_neither():
    (a,) = check_answers(items(photo_on_fail=True), [{"item": "c1", "value": "pass"}])
    assert not a.failed


def test_failing_number_needs_its_evidence_too():
    gauge = validate_items(
        [{"id": "c1", "kind": "number", "label_zh": "压力", "label_en": "Pressure",
          "min": 0, "max": 2.5, "pass_min": 0.1, "pass_max": 0.6, "photo_on_fail": True}]
    )  # fmt: skip
    assert code_of(gauge, {"item": "c1", "value": 0.8, "note": "偏高"}) == "photo_required"
