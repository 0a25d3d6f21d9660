"""validate_items normalises a template's items and fills the documented defaults."""

from server.domain.checklist import validate_items

PASS_FAIL = {
    "id": "c1",
    "kind": "pass_fail",
    "label_zh": "地面无垃圾",
    "label_en": "No litter on the floor",
}


def test_defaults_are_filled():
    (item,) = validate_items([PASS_FAIL])
    assert item == {
        **PASS_FAIL,
        "required": True,
        "photo_on_fail": False,
        "note_on_fail": True,
        "points": 0,
        "help_zh": "",
        "help_en": "",
        "reference_photo": None,
    }


def test_given_values_are_kept_and_labels_trimmed():
    (item,) = validate_items(
        [
            {
                **PASS_FAIL,
                "label_zh": "  地面无垃圾 ",
                "required": False,
                "photo_on_fail": True,
                "note_on_fail": False,
                "points": 2,
                "help_en": "Look under the benches.",
                "reference_photo": "0b7c2e0e-6f5b-4a57-9d2e-1f1c0d1c2a33",
            }
        ]
    )
    assert item["label_zh"] == "地面无垃圾"
    assert (item["required"], item["photo_on_fail"], item["note_on_fail"], item["points"]) == (
        False, True, False, 2,
    )  # fmt: skip
    assert item["help_en"] == "Look under the benches."


def test_number_item_defaults():
    (item,) = validate_items(
        [
            {
                "id": "p1",
                "kind": "number",
                "label_zh": "压力",
                "label_en": "Pressure",
                "min": 0,
                "max": 2.5,
            }
        ]
    )
    assert item["unit"] == ""
    assert item["pass_min"] is None and item["pass_max"] is None


def test_yes_no_fail_on_defaults_to_false():
    (item,) = validate_items(
        [{"id": "y", "kind": "yes_no", "label_zh": "有漏水", "label_en": "Leak"}]
    )
    assert item["fail_on"] is False


def test_choice_defaults_fails_to_false():
    (item,) = validate_items(
        [
            {
                "id": "ch",
                "kind": "choice",
                "label_zh": "状态",
                "label_en": "State",
                "choices": [
                    {"value": "ok", "label_zh": "正常", "label_en": "Normal"},
                    {"value": "bad", "label_zh": "异常", "label_en": "Abnormal", "fails": True},
                ],
            }
        ]
    )
    assert [c["fails"] for c in item["choices"]] == [False, True]


def test_every_kind_is_accepted_and_order_kept():
    items = validate_items(
        [
            {**PASS_FAIL, "id": "a"},
            {"id": "b", "kind": "yes_no", "label_zh": "是", "label_en": "Yes", "fail_on": True},
            {"id": "c", "kind": "number", "label_zh": "数", "label_en": "N", "unit": "MPa",
             "min": 0, "max": 2.5, "pass_min": 0.1, "pass_max": 0.6},
            {"id": "d", "kind": "text", "label_zh": "文", "label_en": "Text", "required": False},
            {"id": "e", "kind": "choice", "label_zh": "选", "label_en": "Pick", "choices": [
                {"value": "x", "label_zh": "甲", "label_en": "X"},
                {"value": "y", "label_zh": "乙", "label_en": "Y"}]},
            {"id": "f", "kind": "photo", "label_zh": "照片", "label_en": "Photo"},
            {"id": "g_-9", "kind": "signature", "label_zh": "签名", "label_en": "Signature"},
        ]
    )  # fmt: skip
    assert [i["kind"] for i in items] == [
        "pass_fail", "yes_no", "number", "text", "choice", "photo", "signature",
    ]  # fmt: skip


def test_validated_items_validate_again_unchanged():
    items = validate_items([PASS_FAIL, {**PASS_FAIL, "id": "c2", "points": 5}])
    assert validate_items(items) == items


def test_two_hundred_items_are_allowed():
    items = validate_items([{**PASS_FAIL, "id": f"i{n}"} for n in range(200)])
    assert len(items) == 200
