"""A small world for API and service tests: two sites, a few locations with
tags (one revoked), published templates, a round, and one user per role."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from server.db.tables import (
    Location,
    Membership,
    Round,
    RoundCheckpoint,
    Site,
    Tag,
    Template,
    TemplateVersion,
    User,
)
from server.domain.roles import ROLES
from server.lib.passwords import hash_password

PASSWORD = "correct-horse-battery"
_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per run

TOILET_ITEMS = [
    {"id": "floor", "kind": "pass_fail", "label_zh": "地面无垃圾", "label_en": "No litter on the floor",
     "required": True, "photo_on_fail": True, "points": 2},
    {"id": "smell", "kind": "yes_no", "label_zh": "无异味", "label_en": "No odour", "required": True,
     "fail_on": False, "points": 1},
    {"id": "soap", "kind": "choice", "label_zh": "洗手液", "label_en": "Hand soap", "required": False,
     "choices": [{"value": "full", "label_zh": "充足", "label_en": "Full", "fails": False},
                 {"value": "empty", "label_zh": "缺少", "label_en": "Empty", "fails": True}]},
    {"id": "remark", "kind": "text", "label_zh": "备注", "label_en": "Remarks", "required": False},
]
PUMP_ITEMS = [
    {"id": "pressure", "kind": "number", "label_zh": "出水压力", "label_en": "Outlet pressure",
     "unit": "MPa", "min": 0, "max": 2.5, "pass_min": 0.2, "pass_max": 0.8, "required": True, "points": 2},
    {"id": "leaks", "kind": "pass_fail", "label_zh": "无跑冒滴漏", "label_en": "No drips or leaks",
     "required": True, "photo_on_fail": True, "points": 2},
]


@dataclass
class World:
    site_a: int
    site_b: int
    users: dict[str, int] = field(default_factory=dict)  # role -> id (site A members)
    outsider: int = 0  # a guard who belongs to site B only
    locations: dict[str, int] = field(default_factory=dict)
    tags: dict[str, dict] = field(default_factory=dict)  # name -> {"code","short_code"}
    versions: dict[str, int] = field(default_factory=dict)
    round_id: int = 0


async def _insert(table, **values) -> int:
    return (await table.insert(table(**values)).run())[0]["id"]


async def build_world() -> World:
    now = datetime.now(UTC)
    site_a = await _insert(Site, code="alpha", name_zh="甲大厦", name_en="Alpha Tower",
                           timezone="Asia/Shanghai", created_at=now)
    site_b = await _insert(Site, code="beta", name_zh="乙大厦", name_en="Beta Tower",
                           timezone="Europe/Berlin", created_at=now)
    w = World(site_a=site_a, site_b=site_b)
    for role in ROLES:
        uid = await _insert(User, username=role, password_hash=_HASH, display_name=role, role=role,
                            department="cleaning" if role in ("cleaner", "team_lead") else "",
                            language="en", created_at=now)
        await _insert(Membership, user=uid, site=site_a, created_at=now)
        w.users[role] = uid
    w.outsider = await _insert(User, username="outsider", password_hash=_HASH, display_name="outsider",
                               role="guard", language="zh-CN", created_at=now)
    await _insert(Membership, user=w.outsider, site=site_b, created_at=now)

    for site, prefix in ((site_a, "a"), (site_b, "b")):
        toilet_t = await _insert(Template, site=site, key="toilet", name_zh="卫生间", name_en="Toilet",
                                 department="cleaning", created_at=now)
        pump_t = await _insert(Template, site=site, key="pump", name_zh="水泵房", name_en="Pump room",
                               department="engineering", created_at=now)
        w.versions[f"{prefix}_toilet"] = await _insert(
            TemplateVersion, template=toilet_t, version=1, name_zh="卫生间", name_en="Toilet",
            items=TOILET_ITEMS, checksum="x", published_at=now)
        w.versions[f"{prefix}_pump"] = await _insert(
            TemplateVersion, template=pump_t, version=1, name_zh="水泵房", name_en="Pump room",
            items=PUMP_ITEMS, checksum="y", published_at=now)
        floor = await _insert(Location, site=site, key="f1", kind="floor", name_zh="一层", name_en="1F",
                              created_at=now)
        for key, tmpl, typ in (("toilet", toilet_t, "toilet"), ("pump", pump_t, "pump_room"),
                               ("old", toilet_t, "toilet")):
            lid = await _insert(Location, site=site, parent=floor, key=key, kind="point", type=typ,
                                name_zh=key, name_en=key, template=tmpl, created_at=now)
            w.locations[f"{prefix}_{key}"] = lid
            code, short = f"{prefix}-{key}-{uuid.uuid4().hex[:12]}", f"{prefix.upper()}{key[:2].upper()}{len(w.tags):02d}"
            await _insert(Tag, site=site, location=lid, code=code, short_code=short, issued_at=now,
                          revoked_at=now if key == "old" else None)
            w.tags[f"{prefix}_{key}"] = {"code": code, "short_code": short}
        if site == site_a:
            w.round_id = await _insert(
                Round, site=site, key="lead", name_zh="领班巡查", name_en="Team-lead round", kind="patrol",
                department="cleaning", assigned_role="team_lead", ordered=True,
                schedule={"type": "daily", "windows": [{"start": "00:00", "end": "23:59"}],
                          "grace_minutes": 0},
                created_at=now)
            await _insert(RoundCheckpoint, round=w.round_id, location=w.locations["a_toilet"],
                          template=toilet_t, position=1)
    return w


def visit_body(world: World, **overrides) -> dict:
    now = datetime.now(UTC).isoformat()
    body = {
        "tag_code": world.tags["a_toilet"]["code"],
        "template_version_id": world.versions["a_toilet"],
        "kind": "patrol",
        "scan_method": "scan",
        "scanned_at": now,
        "finished_at": now,
        "device_id": "test-device",
        "note": "",
        "answers": [
            {"item": "floor", "value": "pass"},
            {"item": "smell", "value": True},
            {"item": "soap", "value": "full"},
        ],
    }
    body.update(overrides)
    return body


async def row_counts() -> dict[str, int]:
    """Rows per table: equal before and after a refused request means it wrote
    nothing (sessions included: an anonymous caller's empty session is never
    stored, server/security/session_backend.py)."""
    from server.db.tables import ALL_TABLES

    return {t._meta.tablename: await t.count().run() for t in ALL_TABLES}
