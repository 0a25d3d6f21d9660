"""Points: a passed item earns its points; "na" leaves the item out of the possible total."""

from server.domain.checklist import check_answers, score, validate_items

PHOTO = "0b7c2e0e-6f5b-4a57-9d2e-1f1c0d1c2a33"
ITEMS = validate_items(
    [
        {"id": "a", "kind": "pass_fail", "label_zh": "甲", "label_en": "A", "points": 2},
        {"id": "b", "kind": "pass_fail", "label_zh": "乙", "label_en": "B", "points": 3},
        {"id": "c", "kind": "pass_fail", "label_zh": "丙", "label_en": "C", "points": 5},
        {
            "id": "d",
            "kind": "photo",
            "label_zh": "照片",
            "label_en": "Photo",
            "points": 1,
            "required": False,
        },
        {
            "id": "e",
            "kind": "text",
            "label_zh": "备注",
            "label_en": "Notes",
            "points": 4,
            "required": False,
        },
    ]
)


def test_pass_earns_fail_and_na_do_not():
    checked = check_answers(
        ITEMS,
        [
            {"item": "a", "value": "pass"},
            {"item": "b", "value": "fail", "note": "dirty"},
            {"item": "c", "value": "na"},
            {"item": "d", "photos": [PHOTO]},
        ],
    )
    assert {a.item_id: a.points for a in checked} == {"a": 2, "b": 0, "c": 0, "d": 1}
    # possible: everything but the "na" item; the unanswered optional text still counts
    assert score(checked, ITEMS) == (3, 2 + 3 + 1 + 4)


def test_all_passed_earns_everything():
    checked = check_answers(
        ITEMS,
        [
            {"item": "a", "value": "pass"},
            {"item": "b", "value": "pass"},
            {"item": "c", "value": "pass"},
            {"item": "d", "photos": [PHOTO]},
            {"item": "e", "value": "ok"},
        ],
    )
    assert score(checked, ITEMS) == (15, 15)


def test_optional_item_answered_blank_earns_nothing():
    checked = check_answers(
        ITEMS,
        [
            {"item": "a", "value": "pass"},
            {"item": "b", "value": "pass"},
            {"item": "c", "value": "pass"},
            {"item": "d", "value": None},
            {"item": "e", "value": ""},
        ],
    )
    assert [a.points for a in checked] == [2, 3, 5, 0, 0]
    assert score(checked, ITEMS) == (10, 15)


def test_all_na_has_nothing_possible():
    items = ITEMS[:3]
    checked = check_answers(items, [{"item": i["id"], "value": "na"} for i in items])
    assert score(checked, items) == (0, 0)
