"""An update CSV changes only the columns it has, and says per row what changes."""

from server.domain import csv_locations as csvl

EXISTING = {
    "tower": {"id": 1, "kind": "building", "parent_key": "", "type": "building", "name_zh": "主楼",
              "name_en": "Tower"},
    "f1": {"id": 2, "kind": "floor", "parent_key": "tower", "type": "floor", "name_zh": "一层", "name_en": "1F"},
    "f1-wc": {"id": 3, "kind": "point", "parent_key": "f1", "type": "toilet", "name_zh": "一层卫生间",
              "name_en": "1F toilet", "department": "cleaning", "responsible": "lead1", "template": "toilet"},
}


def plan(text: str) -> csvl.Plan:
    return csvl.plan(text, existing=EXISTING, usernames={"lead1", "lead2"}, templates={"toilet"})


def test_a_file_of_three_columns_renames_and_keeps_every_other_field():
    p = plan("key,kind,name_en\nf1-wc,point,Ground floor toilet\n")
    assert p.ok
    row = p.rows[0]
    assert row.action == "update"
    assert row.changes == {"name_en": ("1F toilet", "Ground floor toilet")}
    # the fields the file does not have stay as they are
    assert row.values["parent_key"] == "f1" and row.values["responsible"] == "lead1"
    assert row.values["department"] == "cleaning" and row.values["template"] == "toilet"
    assert row.values["type"] == "toilet" and row.values["name_zh"] == "一层卫生间"


def test_a_present_but_blank_column_does_blank_its_field():
    p = plan("key,kind,responsible,department\nf1-wc,point,,\n")
    assert p.ok
    assert p.rows[0].changes == {"responsible": ("lead1", ""), "department": ("cleaning", "")}


def test_moving_and_reassigning_show_old_and_new():
    p = plan("key,kind,parent_key,responsible\nf1-wc,point,tower,lead2\n")
    assert p.ok and p.rows[0].changes == {"parent_key": ("f1", "tower"), "responsible": ("lead1", "lead2")}


def test_a_row_that_changes_nothing_is_unchanged():
    p = plan("key,kind,name_zh\nf1-wc,point,一层卫生间\nf1,floor,一层\n")
    assert p.ok and [r.action for r in p.rows] == ["unchanged", "unchanged"]
    assert p.counts() == {"create": 0, "update": 0, "unchanged": 2, "errors": 0}


def test_blanking_both_names_of_an_existing_location_is_refused():
    p = plan("key,kind,name_zh,name_en\nf1,floor,,\n")
    assert not p.ok and p.rows[0].errors[0]["field"] == "name_zh"
    # one name left is enough
    assert plan("key,kind,name_zh\nf1,floor,\n").ok


def test_a_new_location_without_name_columns_is_refused():
    p = plan("key,kind,parent_key\nf2,floor,tower\n")
    assert not p.ok and {e["field"] for e in p.rows[0].errors} == {"name_zh"}


def test_an_unknown_responsible_in_a_present_column_is_refused():
    p = plan("key,kind,responsible\nf1-wc,point,ghost\n")
    assert not p.ok and p.rows[0].errors == [{"field": "responsible", "reason": "no user named 'ghost'"}]


def test_an_unreadable_file_has_a_stable_translatable_reason():
    # an unclosed quote would otherwise swallow the rest of the file into one cell
    p = plan('key,kind,name_zh\nf1,floor,x\nf1-wc,point,"unclosed\nf2,floor,y\n')
    assert p.file_errors == [f"line 4: {csvl.UNREADABLE}"]
    from server.i18n.messages_setup import reason_text

    assert reason_text(p.file_errors[0], "zh-CN") == "第 4 行：无法按 CSV 读取该文件（可能有未闭合的引号）"
