"""check_answers refuses a malformed answers list, unknown items and duplicates."""

import pytest

from server.domain.checklist import check_answers, validate_items
from server.domain.errors import RoundsError

ITEMS = validate_items(
    [
        {
            "id": "c1",
            "kind": "pass_fail",
            "label_zh": "地面无垃圾",
            "label_en": "No litter",
            "required": False,
        },
        {"id": "c2", "kind": "text", "label_zh": "备注", "label_en": "Remarks", "required": False},
    ]
)
PHOTO = "0b7c2e0e-6f5b-4a57-9d2e-1f1c0d1c2a33"


def refused(answers):
    with pytest.raises(RoundsError) as err:
        check_answers(ITEMS, answers)
    return err.value


MALFORMED = [
    ("not a list", {"c1": "pass"}, None),
    ("null", None, None),
    ("answer not a dict", ["pass"], None),
    ("no item id", [{"value": "pass"}], None),
    ("item id not a string", [{"item": 1, "value": "pass"}], None),
    ("unknown key", [{"item": "c1", "value": "pass", "score": 3}], "c1"),
    ("note not a string", [{"item": "c1", "value": "pass", "note": 5}], "c1"),
    ("note too long", [{"item": "c1", "value": "pass", "note": "x" * 2001}], "c1"),
    ("photos not a list", [{"item": "c1", "value": "pass", "photos": PHOTO}], "c1"),
    ("photo not a uuid", [{"item": "c1", "value": "pass", "photos": ["IMG_001.jpg"]}], "c1"),
    ("photo not a string", [{"item": "c1", "value": "pass", "photos": [42]}], "c1"),
    ("21 photos", [{"item": "c1", "value": "pass",
                    "photos": [f"0b7c2e0e-6f5b-4a57-9d2e-{n:012d}" for n in range(21)]}], "c1"),
    ("same photo twice", [{"item": "c1", "value": "pass", "photos": [PHOTO, PHOTO.upper()]}], "c1"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "item"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_malformed_body(answers, item):
    err = refused(answers)
    assert err.code == "malformed_body"
    assert err.status == 400
    assert err.detail["item"] == item


def test_unknown_item():
    err = refused([{"item": "c1", "value": "pass"}, {"item": "zz", "value": "pass"}])
    assert (err.code, err.detail["item"]) == ("unknown_item", "zz")


def test_duplicate_answer():
    err = refused([{"item": "c1", "value": "pass"}, {"item": "c1", "value": "fail", "note": "x"}])
    assert (err.code, err.detail["item"]) == ("duplicate_answer", "c1")


def test_note_and_photos_are_optional_and_normalised():
    (answer,) = check_answers(ITEMS, [{"item": "c1", "value": "pass", "photos": [PHOTO.upper()]}])
    assert answer.note == ""
    assert answer.photos == (PHOTO,)


def test_twenty_photos_and_a_2000_character_note_are_fine():
    photos = [f"0b7c2e0e-6f5b-4a57-9d2e-{n:012d}" for n in range(20)]
    (answer,) = check_answers(
        ITEMS, [{"item": "c1", "value": "pass", "note": "x" * 2000, "photos": photos}]
    )
    assert len(answer.photos) == 20


def test_empty_list_is_fine_when_nothing_is_required():
    assert check_answers(ITEMS, []) == []
