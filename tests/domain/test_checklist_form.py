"""The checklist editor form <-> items, and its rearranging buttons."""

import pytest

from server.domain import checklist
from server.domain.checklist_form import (
    apply_op,
    as_mapping,
    form_rows,
    items_from_form,
    lenient_items,
)
from server.domain.errors import RoundsError


def _form(**fields):
    return as_mapping({k.replace("__", "-"): [v] for k, v in fields.items()})


def test_every_kind_with_its_options_becomes_a_valid_item():
    getall, keys = as_mapping({
        "items-0-kind": ["number"], "items-0-id": ["p"], "items-0-label_zh": ["压力"], "items-0-label_en": ["Pressure"],
        "items-0-unit": ["MPa"], "items-0-min": ["0"], "items-0-max": ["2.5"], "items-0-pass_min": ["0.2"],
        "items-0-pass_max": [""], "items-0-points": ["2"], "items-0-required": ["0", "1"],
        "items-0-photo_on_fail": ["0"], "items-0-reference_photo": ["https://x/ref.jpg"],
        "items-1-kind": ["choice"], "items-1-id": ["soap"], "items-1-label_zh": ["洗手液"], "items-1-label_en": ["Soap"],
        "items-1-choices": ["full | 充足 | Full\nempty | 缺少 | Empty | fail"], "items-1-points": ["1"],
        "items-2-kind": ["yes_no"], "items-2-id": ["hz"], "items-2-label_zh": ["发现隐患"], "items-2-label_en": ["Hazard"],
        "items-2-fail_on": ["yes"],
        "items-3-kind": ["signature"], "items-3-id": ["sig"], "items-3-label_zh": ["签名"], "items-3-label_en": ["Sign"],
    })
    items = checklist.validate_items(items_from_form(getall, keys))
    assert items[0]["pass_min"] == 0.2 and items[0]["pass_max"] is None and items[0]["required"] is True
    assert items[0]["reference_photo"] == "https://x/ref.jpg" and items[0]["max"] == 2.5
    assert items[1]["choices"][1] == {"value": "empty", "label_zh": "缺少", "label_en": "Empty", "fails": True}
    assert items[2]["fail_on"] is True and items[3]["kind"] == "signature"
    assert form_rows(items)[1]["choices_text"].endswith("| fail")


def test_malformed_fields_are_refused_with_the_item_index():
    getall, keys = as_mapping({"items-0-kind": ["number"], "items-0-id": ["p"], "items-0-min": ["low"], "items-0-max": ["1"]})
    with pytest.raises(RoundsError) as exc:
        items_from_form(getall, keys)
    assert exc.value.detail == {"index": 0, "field": "min", "reason": "not a number"}
    getall, keys = as_mapping({"items-0-kind": ["choice"], "items-0-choices": ["only a value"]})
    with pytest.raises(RoundsError):
        items_from_form(getall, keys)


def test_add_move_delete_rearrange_without_losing_what_was_typed():
    getall, keys = as_mapping({"items-0-kind": ["text"], "items-0-id": ["a"], "items-0-label_zh": ["甲"],
                               "items-5-kind": ["pass_fail"], "items-5-id": ["b"], "items-5-label_en": ["half typed"]})
    items = lenient_items(getall, keys)
    items = apply_op(items, "add:choice")
    assert [i["id"] for i in items] == ["a", "b", "i3"] and items[2]["kind"] == "choice"
    assert [i["id"] for i in apply_op(items, "up:1")] == ["b", "a", "i3"]
    assert [i["id"] for i in apply_op(items, "down:2")] == ["a", "b", "i3"]
    assert [i["id"] for i in apply_op(items, "delete:0")] == ["b", "i3"]
    assert apply_op(items, "add:nonsense") == items and apply_op(items, "delete:99") == items


def test_a_reshown_form_keeps_typed_choices():
    getall, keys = as_mapping({"items-0-kind": ["choice"], "items-0-choices": ["a | 甲 | A\nb | 乙 | B | fail"]})
    rows = form_rows(apply_op(lenient_items(getall, keys), "add:text"))
    assert rows[0]["choices_text"] == "a | 甲 | A\nb | 乙 | B | fail"
