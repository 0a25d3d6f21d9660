"""CSV import planning: per-row errors, tree checks, encodings, export round trip."""

from server.domain import csv_locations as csvl

HEADER = "key,parent_key,kind,type,name_zh,name_en,department,responsible,template\n"
EXISTING = {"tower": {"id": 1, "kind": "building", "parent_key": ""},
            "f1": {"id": 2, "kind": "floor", "parent_key": "tower"},
            "f1-wc": {"id": 3, "kind": "point", "parent_key": "f1"}}


def plan(body: str, **kw):
    return csvl.plan(HEADER + body, existing=kw.get("existing", EXISTING), usernames={"lead1"},
                     templates={"toilet"})


def test_a_clean_file_plans_creates_and_updates():
    p = plan("f2,tower,floor,floor,二层,2F,,,\n"
             "f2-wc,f2,point,toilet,二层卫生间,2F toilet,cleaning,lead1,toilet\n"
             "f1-wc,f1,point,toilet,一层卫生间,1F WC,cleaning,,toilet\n")
    assert p.ok and p.counts() == {"create": 2, "update": 1, "unchanged": 0, "errors": 0}
    assert [r.key for r in csvl.creation_order(p.rows)][:2] == ["f2", "f2-wc"]


def test_each_bad_row_gets_its_own_errors_with_line_numbers():
    p = plan("f2,tower,storey,floor,二层,2F,,,\n"            # line 2: unknown kind
             "f2-wc,nowhere,point,toilet,,,cleaning,ghost,sink\n"  # line 3: parent, name, user, template
             "bad key!,tower,zone,,区,Z,,,\n"               # line 4: key
             "f3,f1-wc,zone,,区,Z,,,\n"                     # line 5: under a checkpoint
             "f4,f2,building,,楼,B,,,\n"                    # line 6: building not at the top
             "f2-wc,f1,point,,x,x,,,\n")                    # line 7: duplicate key
    assert not p.ok
    by_line = {r.line: {e["field"] for e in r.errors} for r in p.rows}
    assert by_line[2] == {"kind"}
    assert by_line[3] == {"parent_key", "name_zh", "responsible", "template"}
    assert by_line[4] == {"key"}
    assert by_line[5] == {"parent_key"}
    assert by_line[6] == {"parent_key"}
    assert by_line[7] == {"key"}


def test_parent_loops_are_refused():
    p = plan("a,b,zone,,甲,A,,,\nb,a,zone,,乙,B,,,\n", existing={})
    assert not p.ok and all(any(e["field"] == "parent_key" for e in r.errors) for r in p.rows)


def test_file_level_problems():
    assert csvl.plan("name,kind\nx,point\n", existing={}, usernames=set(), templates=set()).file_errors
    assert csvl.plan("", existing={}, usernames=set(), templates=set()).file_errors
    assert csvl.plan(HEADER, existing={}, usernames=set(), templates=set()).file_errors


def test_excel_gbk_and_utf8_bom_files_are_read():
    text = HEADER + "f2,tower,floor,floor,二层,2F,,,\n"
    assert csvl.decode(text.encode("gbk")) == text
    assert csvl.decode(("\ufeff" + text).encode("utf-8")) == text
    assert plan(csvl.decode(("f2,tower,floor,floor,二层,2F,,,\n").encode("gb18030"))).ok


def test_semicolon_separated_files_are_sniffed():
    text = HEADER.replace(",", ";") + "f2;tower;floor;floor;二层;2F;;;\n"
    assert csvl.plan(text, existing=EXISTING, usernames=set(), templates=set()).ok


def test_export_round_trips_and_neutralises_formulas():
    rows = [{"key": "tower", "parent_key": "", "kind": "building", "type": "building", "name_zh": "主楼",
             "name_en": "=HYPERLINK(1)", "department": "", "responsible": "", "template": ""}]
    text = csvl.to_csv(rows)
    assert text.startswith("\ufeff") and "'=HYPERLINK(1)" in text
    p = csvl.plan(text, existing={}, usernames=set(), templates=set())
    assert p.ok and p.rows[0].values["name_en"] == "=HYPERLINK(1)"


def test_every_formula_lead_character_is_neutralised_on_export():
    import csv
    import io

    def name_cell(value: str) -> str:
        text = csvl.to_csv([{"key": "k1", "kind": "zone", "name_zh": value}])
        return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1][4]

    for lead in ("=", "+", "-", "@", "\t", "\r"):
        value = lead + "cmd|' /C calc'!A0"
        assert name_cell(value) == "'" + value, repr(lead)
    assert name_cell("一层 - 东") == "一层 - 东"  # only the first character matters
