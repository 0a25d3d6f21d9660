"""Shape of the demo catalog (server/demo/catalog.py): keys, references, counts,
labels in both languages, and the standards' wording."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from server.demo import catalog
from server.domain.roles import ROLES, VISIT_KINDS
from server.domain.submission import INCIDENT_KINDS

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
CJK = re.compile(r"[\u4e00-\u9fff]")
POINT_TYPES = {
    "lobby", "toilet", "fire_stair", "extinguisher", "hydrant", "plant_room", "pump_room",
    "power_room", "refuse_room", "car_park", "corridor", "entrance", "greening",
    "fit_out_unit", "lift_lobby", "roof", "guard_post",
}  # fmt: skip
ITEM_KINDS = {"pass_fail", "yes_no", "number", "text", "choice", "photo", "signature"}
FIELD_ROLES = {"guard", "cleaner", "technician", "team_lead", "inspector"}
DEPARTMENTS = {d["code"] for d in catalog.DEPARTMENTS}
TEMPLATES = {t["key"]: t for t in catalog.TEMPLATES}
NODES = [node for node, _ in catalog.iter_locations()]
BY_KEY = {node["key"]: node for node in NODES}
POINTS = [node for node in NODES if node["kind"] == "point"]


def _labelled():
    """(where, zh, en) for every bilingual label in the catalog."""
    yield "site", catalog.SITE["name_zh"], catalog.SITE["name_en"]
    yield "site address", catalog.SITE["address_zh"], catalog.SITE["address_en"]
    for d in catalog.DEPARTMENTS:
        yield f"department {d['code']}", d["name_zh"], d["name_en"]
    for node in NODES:
        yield f"location {node['key']}", node["name_zh"], node["name_en"]
    for t in catalog.TEMPLATES:
        yield f"template {t['key']}", t["name_zh"], t["name_en"]
        for item in t["items"]:
            where = f"{t['key']}.{item['id']}"
            yield where, item["label_zh"], item["label_en"]
            if item.get("help_zh") or item.get("help_en"):
                yield f"{where} help", item["help_zh"], item["help_en"]
            for c in item.get("choices", []):
                yield f"{where} choice {c['value']}", c["label_zh"], c["label_en"]
    for r in catalog.ROUNDS:
        yield f"round {r['key']}", r["name_zh"], r["name_en"]
    for k in catalog.INCIDENT_KINDS:
        yield f"incident {k['kind']}", k["name_zh"], k["name_en"]
    for key, notes in catalog.FAILURE_NOTES.items():
        for note in notes:
            yield f"failure note {key}.{note['item']}", note["zh"], note["en"]


# ------------------------------------------------------------------ module


def test_catalog_is_pure_standard_library():
    tree = ast.parse(Path(catalog.__file__).read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add((node.module or "").split(".")[0])
    assert modules <= set(sys.stdlib_module_names) | {"__future__"}, modules


def test_site_and_password():
    assert catalog.SITE["code"] == "hq-tower"
    assert catalog.SITE["timezone"] == "Asia/Shanghai"
    assert catalog.SITE["name_zh"].endswith("大厦")
    assert catalog.DEMO_PASSWORD == "rounds-demo"
    assert DEPARTMENTS == {"security", "cleaning", "engineering", "customer_service"}


@pytest.mark.parametrize(("where", "zh", "en"), list(_labelled()), ids=lambda v: str(v)[:40])
def test_every_label_has_both_languages(where, zh, en):
    assert isinstance(zh, str) and zh.strip() and CJK.search(zh), where
    assert isinstance(en, str) and en.strip() and not CJK.search(en), where


# --------------------------------------------------------------- locations


def test_location_keys_are_unique_slugs():
    keys = [node["key"] for node in NODES]
    assert len(keys) == len(set(keys))
    assert all(SLUG.fullmatch(k) and len(k) <= 64 for k in keys), keys


def test_location_tree_shape():
    assert [n["kind"] for n in catalog.LOCATIONS] == ["building"]
    allowed_children = {"building": {"floor", "zone", "point"}, "floor": {"zone", "point"},
                        "zone": {"zone", "point"}, "point": set()}
    for node in NODES:
        assert set(node) == {"key", "kind", "type", "name_zh", "name_en", "department",
                             "template", "children"}, node["key"]
        assert node["kind"] in allowed_children
        assert {c["kind"] for c in node["children"]} <= allowed_children[node["kind"]], node["key"]
        assert node["department"] in DEPARTMENTS | {""}, node["key"]


def test_points_have_a_type_department_and_existing_template():
    for node in NODES:
        if node["kind"] == "point":
            assert node["type"] in POINT_TYPES, node["key"]
            assert node["department"] in DEPARTMENTS, node["key"]
            assert node["template"] in TEMPLATES, node["key"]
        else:
            assert node["template"] is None, node["key"]


def test_forty_to_fifty_points():
    assert 40 <= len(POINTS) <= 50
    assert catalog.point_keys() == [p["key"] for p in POINTS]


def test_building_has_the_expected_places():
    types = {p["type"] for p in POINTS}
    assert {"lobby", "entrance", "guard_post", "toilet", "fire_stair", "extinguisher",
            "plant_room", "pump_room", "power_room", "refuse_room", "roof", "greening",
            "fit_out_unit", "car_park", "lift_lobby"} <= types
    for n in range(1, 9):
        assert f"f{n}-toilet-m" in BY_KEY and f"f{n}-toilet-f" in BY_KEY
        assert f"f{n}-extinguisher" in BY_KEY
    assert {"f1-fire-stair-a", "f1-fire-stair-b"} <= set(BY_KEY)
    assert 1 <= sum(p["type"] == "fit_out_unit" for p in POINTS) <= 2


def test_every_template_is_used_by_a_point():
    assert {p["template"] for p in POINTS} == set(TEMPLATES)


# --------------------------------------------------------------- templates


def test_template_keys_unique_and_departments_known():
    assert len(TEMPLATES) == len(catalog.TEMPLATES)
    for t in catalog.TEMPLATES:
        assert SLUG.fullmatch(t["key"]), t["key"]
        assert t["department"] in DEPARTMENTS, t["key"]
        ids = [item["id"] for item in t["items"]]
        assert len(ids) == len(set(ids)), t["key"]
        assert ids == [f"c{i}" for i in range(1, len(ids) + 1)], t["key"]


@pytest.mark.parametrize(
    ("key", "count"),
    [("corridor_entrance", 7), ("toilet", 10), ("floor_corridor", 4), ("greening", 8),
     ("fit_out", 8)],
)
def test_standards_have_their_item_counts(key, count):
    items = TEMPLATES[key]["items"]
    assert len(items) == count
    # the standards are "no X" checks: pass/fail, with a photo when failed
    assert all(i["kind"] == "pass_fail" and i["photo_on_fail"] for i in items)


def test_standards_use_the_documents_wording():
    labels = {key: [i["label_zh"] for i in t["items"]] for key, t in TEMPLATES.items()}
    assert labels["corridor_entrance"][0] == "地面清洁,无污迹,无水痕,无纸屑"
    assert labels["corridor_entrance"][6] == "指示牌上无灰尘"
    assert labels["toilet"][6] == "保证有足够厕纸、香精球及洗手液"
    assert labels["toilet"][9] == "下水道口无集水"
    assert labels["floor_corridor"][1] == "楼道两侧及电梯间上方的四个空调风口无尘土"
    assert labels["greening"][6] == "各类植物无病虫害"
    assert labels["fit_out"][1] == "二装工人全部持证上岗(动火岗位需办理动火证)"
    assert labels["fit_out"][7] == "无偷盗、纵火、抢劫、破坏公物等违法犯罪行为"
    assert "设备、管道无跑、冒、滴、漏现象" in labels["plant_room"]


def test_every_item_kind_appears():
    kinds = {i["kind"] for t in catalog.TEMPLATES for i in t["items"]}
    assert kinds == ITEM_KINDS


def test_item_fields():
    for t in catalog.TEMPLATES:
        for i in t["items"]:
            where = f"{t['key']}.{i['id']}"
            assert i["kind"] in ITEM_KINDS, where
            assert isinstance(i["required"], bool), where
            if i["kind"] in ("text", "photo", "signature"):
                assert i["points"] == 0, where
                assert not i.get("photo_on_fail", False), where
                continue
            assert 1 <= i["points"] <= 5, where
            assert i["photo_on_fail"] is True, where
            if "无" in i["label_zh"]:  # the standards' "no X" checks
                assert i["kind"] in ("pass_fail", "yes_no"), where
            if i["kind"] == "yes_no":
                assert isinstance(i["fail_on"], bool), where
            if i["kind"] == "number":
                assert i["unit"], where
                assert i["min"] <= i["pass_min"] <= i["pass_max"] <= i["max"], where
            if i["kind"] == "choice":
                values = [c["value"] for c in i["choices"]]
                assert len(values) == len(set(values)) >= 2, where
                assert any(not c["fails"] for c in i["choices"]), where
                assert any(c["fails"] for c in i["choices"]), where


def test_plant_room_readings():
    items = {i["label_en"]: i for i in TEMPLATES["plant_room"]["items"]}
    pressure = items["Pump outlet pressure"]
    assert pressure["unit"] == "MPa" and pressure["pass_min"] < pressure["pass_max"]
    assert items["Room temperature"]["unit"] == "°C"
    kinds = {i["kind"] for i in items.values()}
    assert {"pass_fail", "number", "choice", "text", "photo"} <= kinds


def test_extinguisher_and_night_patrol():
    assert {i["kind"] for i in TEMPLATES["extinguisher"]["items"]} >= {"yes_no"}
    night = TEMPLATES["night_patrol"]["items"]
    assert any(i["kind"] == "yes_no" and i["fail_on"] is True for i in night)
    post = {i["kind"] for i in TEMPLATES["guard_post"]["items"]}
    assert "signature" in post


# ------------------------------------------------------------------ rounds


def test_round_keys_unique_and_fields_valid():
    keys = [r["key"] for r in catalog.ROUNDS]
    assert len(keys) == len(set(keys))
    usernames = {u["username"] for u in catalog.USERS}
    for r in catalog.ROUNDS:
        assert SLUG.fullmatch(r["key"]), r["key"]
        assert r["kind"] in VISIT_KINDS, r["key"]
        assert r["department"] in DEPARTMENTS, r["key"]
        assert r["assigned_role"] in FIELD_ROLES, r["key"]
        assert isinstance(r["ordered"], bool), r["key"]
        assert r.get("assignee") is None or r["assignee"] in usernames, r["key"]


def test_round_checkpoints_are_points():
    point_keys = {p["key"] for p in POINTS}
    for r in catalog.ROUNDS:
        assert r["checkpoints"], r["key"]
        assert set(r["checkpoints"]) <= point_keys, (r["key"], set(r["checkpoints"]) - point_keys)
        assert len(r["checkpoints"]) == len(set(r["checkpoints"])), r["key"]


def test_round_assignees_can_record_the_kind():
    from server.domain.roles import may_record

    roles = {u["username"]: u["role"] for u in catalog.USERS}
    for r in catalog.ROUNDS:
        assert may_record(r["assigned_role"], r["kind"]), r["key"]
        if r.get("assignee"):
            assert roles[r["assignee"]] == r["assigned_role"], r["key"]


def _times(rule: dict) -> list[str]:
    out = [rule[k] for k in ("from", "to") if k in rule]
    for w in rule.get("windows", []):
        out += [w["start"], w["end"]]
    return out


def test_schedules_are_well_formed():
    types = {"daily", "every", "weekly", "monthly", "random_daily"}
    for r in catalog.ROUNDS:
        rule = r["schedule"]
        assert rule["type"] in types, r["key"]
        assert all(HHMM.fullmatch(t) for t in _times(rule)), r["key"]


def test_required_rounds_are_present():
    rounds = catalog.ROUNDS
    assert {r["kind"] for r in rounds} == set(VISIT_KINDS)
    assert {r["schedule"]["type"] for r in rounds} == {"daily", "every", "weekly", "monthly",
                                                      "random_daily"}
    # team leads: every toilet and corridor of their zone, at least 4 times a day
    leads = [r for r in rounds if r["assigned_role"] == "team_lead"]
    assert leads and all(len(r["schedule"]["windows"]) >= 4 for r in leads)
    covered = {k for r in leads for k in r["checkpoints"]}
    assert {p["key"] for p in POINTS if p["type"] in ("toilet", "lift_lobby")} <= covered
    # cleaners self-check their floors
    assert any(r["kind"] == "self_check" and r["assigned_role"] == "cleaner" for r in rounds)
    # night patrol every 2 h from 22:00 to 06:00
    night = [r for r in rounds if r["schedule"]["type"] == "every"]
    assert any(
        r["assigned_role"] == "guard" and r["schedule"]["every_minutes"] == 120
        and r["schedule"]["from"] == "22:00" and r["schedule"]["to"] == "06:00"
        for r in night
    )
    # technicians: daily and weekly
    tech = {r["schedule"]["type"] for r in rounds if r["assigned_role"] == "technician"}
    assert {"daily", "weekly"} <= tech
    # one unannounced customer-service spot check a day
    assert any(r["kind"] == "spot_check" and r["schedule"]["type"] == "random_daily"
               and r["department"] == "customer_service" for r in rounds)
    # each of customer service, engineering and security patrols the fit-out units daily
    fit_out = {p["key"] for p in POINTS if p["type"] == "fit_out_unit"}
    patrolling = {r["department"] for r in rounds
                  if fit_out <= set(r["checkpoints"]) and r["schedule"]["type"] == "daily"}
    assert {"customer_service", "engineering", "security"} <= patrolling
    assert any(r["kind"] == "joint" and r["schedule"]["type"] == "monthly" for r in rounds)


# ------------------------------------------------------------------- users


def test_users():
    names = [u["username"] for u in catalog.USERS]
    assert len(names) == len(set(names))
    assert set(ROLES) <= {u["role"] for u in catalog.USERS}
    for role in ("guard", "cleaner"):
        assert sum(u["role"] == role for u in catalog.USERS) >= 2
    for u in catalog.USERS:
        assert u["role"] in ROLES, u
        assert u["department"] in DEPARTMENTS | {""}, u
        assert u["language"] in ("zh-CN", "en"), u
        assert CJK.search(u["display_name"]), u
        assert re.fullmatch(r"[a-z][a-z0-9_.-]{2,63}", u["username"]), u
    field = [u for u in catalog.USERS if u["role"] in FIELD_ROLES]
    assert all(u["department"] for u in field)


# --------------------------------------------------- incidents, history notes


def test_incident_kinds_match_the_api():
    assert [k["kind"] for k in catalog.INCIDENT_KINDS] == list(INCIDENT_KINDS)


def test_failure_notes_point_at_items_that_can_fail():
    assert set(catalog.FAILURE_NOTES) <= set(TEMPLATES)
    for key, t in TEMPLATES.items():
        items = {i["id"]: i for i in t["items"]}
        notes = catalog.FAILURE_NOTES.get(key, [])
        assert len(notes) >= 2, key
        for note in notes:
            item = items[note["item"]]
            assert item["kind"] in ("pass_fail", "yes_no", "number", "choice"), (key, note)
