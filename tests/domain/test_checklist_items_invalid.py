"""validate_items refuses bad templates with invalid_template {index, field, reason}."""

import pytest

from server.domain.checklist import validate_items
from server.domain.errors import RoundsError

PF = {"id": "c1", "kind": "pass_fail", "label_zh": "地面无垃圾", "label_en": "No litter"}
NUM = {
    "id": "n1",
    "kind": "number",
    "label_zh": "压力",
    "label_en": "Pressure",
    "min": 0,
    "max": 2.5,
}
CH = {
    "id": "k1",
    "kind": "choice",
    "label_zh": "状态",
    "label_en": "State",
    "choices": [
        {"value": "ok", "label_zh": "正常", "label_en": "Normal"},
        {"value": "bad", "label_zh": "异常", "label_en": "Abnormal", "fails": True},
    ],
}
OK_CHOICE = CH["choices"][0]

CASES = [
    ("not a list", {"items": [PF]}, None, None),
    ("empty", [], None, None),
    ("too many", [{**PF, "id": f"i{n}"} for n in range(201)], None, None),
    ("item not a dict", [PF, "c2"], 1, ""),
    ("unknown kind", [{**PF, "kind": "rating"}], 0, "kind"),
    ("missing kind", [{k: v for k, v in PF.items() if k != "kind"}], 0, "kind"),
    ("unknown key", [{**PF, "colour": "red"}], 0, "colour"),
    ("key of another kind", [{**PF, "unit": "MPa"}], 0, "unit"),
    ("missing id", [{k: v for k, v in PF.items() if k != "id"}], 0, "id"),
    ("empty id", [{**PF, "id": ""}], 0, "id"),
    ("id too long", [{**PF, "id": "x" * 33}], 0, "id"),
    ("id with space", [{**PF, "id": "c 1"}], 0, "id"),
    ("id not a string", [{**PF, "id": 1}], 0, "id"),
    ("duplicate id", [PF, {**PF, "label_en": "Other"}], 1, "id"),
    ("missing label_en", [{k: v for k, v in PF.items() if k != "label_en"}], 0, "label_en"),
    ("blank label_zh", [{**PF, "label_zh": "  "}], 0, "label_zh"),
    ("label not a string", [{**PF, "label_en": 5}], 0, "label_en"),
    ("required not bool", [{**PF, "required": "yes"}], 0, "required"),
    ("photo_on_fail not bool", [{**PF, "photo_on_fail": 1}], 0, "photo_on_fail"),
    ("points negative", [{**PF, "points": -1}], 0, "points"),
    ("points over 100", [{**PF, "points": 101}], 0, "points"),
    ("points as float", [{**PF, "points": 1.5}], 0, "points"),
    ("points as bool", [{**PF, "points": True}], 0, "points"),
    ("help not a string", [{**PF, "help_zh": None}], 0, "help_zh"),
    ("reference_photo empty", [{**PF, "reference_photo": ""}], 0, "reference_photo"),
    ("number without min", [{k: v for k, v in NUM.items() if k != "min"}], 0, "min"),
    ("number without max", [{k: v for k, v in NUM.items() if k != "max"}], 0, "max"),
    ("number min > max", [{**NUM, "min": 3}], 0, "min"),
    ("number max NaN", [{**NUM, "max": float("nan")}], 0, "max"),
    ("number min bool", [{**NUM, "min": False}], 0, "min"),
    ("pass_min below min", [{**NUM, "pass_min": -0.1}], 0, "pass_min"),
    ("pass_max above max", [{**NUM, "pass_max": 3}], 0, "pass_max"),
    ("pass_min > pass_max", [{**NUM, "pass_min": 0.6, "pass_max": 0.1}], 0, "pass_min"),
    ("pass_max a string", [{**NUM, "pass_max": "0.6"}], 0, "pass_max"),
    ("unit not a string", [{**NUM, "unit": 1}], 0, "unit"),
    ("fail_on not bool", [{**PF, "kind": "yes_no", "fail_on": "no"}], 0, "fail_on"),
    ("choice without choices", [{k: v for k, v in CH.items() if k != "choices"}], 0, "choices"),
    ("one choice", [{**CH, "choices": [OK_CHOICE]}], 0, "choices"),
    ("duplicate choice value", [{**CH, "choices": [OK_CHOICE, {**OK_CHOICE, "label_en": "Fine"}]}], 0, "choices[1].value"),
    ("choice not a dict", [{**CH, "choices": [OK_CHOICE, "bad"]}], 0, "choices[1]"),
    ("choice unknown key", [{**CH, "choices": [OK_CHOICE, {**OK_CHOICE, "value": "x", "score": 1}]}], 0, "choices[1].score"),
    ("choice blank label", [{**CH, "choices": [OK_CHOICE, {**OK_CHOICE, "value": "x", "label_zh": ""}]}], 0, "choices[1].label_zh"),
    ("choice missing value", [{**CH, "choices": [{"label_zh": "甲", "label_en": "A"}, OK_CHOICE]}], 0, "choices[0].value"),
    ("choice fails not bool", [{**CH, "choices": [OK_CHOICE, {**OK_CHOICE, "value": "x", "fails": "y"}]}], 0, "choices[1].fails"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "index", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_refused_with_invalid_template(raw, index, field):
    with pytest.raises(RoundsError) as err:
        validate_items(raw)
    assert err.value.code == "invalid_template"
    assert err.value.detail["index"] == index
    assert err.value.detail["field"] == field
    assert err.value.detail["reason"]


def test_first_bad_item_is_reported():
    with pytest.raises(RoundsError) as err:
        validate_items([PF, {**PF, "id": "c2", "kind": "x"}, {**PF, "id": ""}])
    assert err.value.detail["index"] == 1
