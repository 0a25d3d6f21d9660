"""The location tree of a site: building / floor / zone / point, and what a
location's fields may hold. Pure rules; the services apply them.

Tree rules: a building sits at the top of the tree; nothing hangs under a
point (a point is what a label is stuck on); a move may not put a location
under itself or one of its descendants.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from server.domain.errors import RoundsError

KINDS = ("building", "floor", "zone", "point")
KIND_NAMES = {
    "building": ("Building", "楼栋"),
    "floor": ("Floor", "楼层"),
    "zone": ("Zone", "区域"),
    "point": ("Checkpoint", "检查点"),
}
# A vocabulary offered in the forms; a site may use its own words as well.
TYPES = {
    "building": ("Building", "楼栋"),
    "floor": ("Floor", "楼层"),
    "lobby": ("Lobby", "大堂"),
    "entrance": ("Entrance", "出入口"),
    "lift_lobby": ("Lift lobby", "电梯厅"),
    "toilet": ("Toilet", "卫生间"),
    "fire_stair": ("Fire stair", "消防楼梯"),
    "plant_room": ("Plant room", "设备机房"),
    "pump_room": ("Pump room", "水泵房"),
    "power_room": ("Power room", "配电房"),
    "extinguisher": ("Fire extinguisher", "灭火器"),
    "hydrant": ("Fire hydrant", "消火栓"),
    "car_park": ("Car park", "停车场"),
    "greening": ("Greening", "绿化"),
    "roof": ("Roof", "屋面"),
    "refuse_room": ("Refuse room", "垃圾房"),
    "guard_post": ("Guard post", "岗亭"),
    "vacant_unit": ("Vacant unit", "空置单元"),
    "fit_out_unit": ("Fit-out unit", "装修单元"),
}
DEPARTMENTS = {
    "security": ("Security", "保安部"),
    "cleaning": ("Cleaning", "保洁部"),
    "engineering": ("Engineering", "工程部"),
    "customer_service": ("Customer service", "客服部"),
}

MAX_NAME = 200
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_WORD = re.compile(r"[a-z0-9_]{0,32}")


def invalid(field: str, reason: str, **extra: object) -> RoundsError:
    return RoundsError("validation_error", {"field": field, "reason": reason, **extra})


def clean_key(value: object, field: str = "key") -> str:
    key = value.strip() if isinstance(value, str) else ""
    if not _KEY.fullmatch(key):
        raise invalid(field, "1-64 characters: letters, digits, - _ . (starting with a letter or digit)")
    return key


def clean_word(value: object, field: str) -> str:
    """A type or department code: lower-case letters, digits, underscore."""
    word = value.strip().lower().replace(" ", "_").replace("-", "_") if isinstance(value, str) else ""
    if not _WORD.fullmatch(word):
        raise invalid(field, "up to 32 characters: a-z 0-9 _")
    return word


def clean_names(values: Mapping[str, object]) -> dict[str, str]:
    names = {}
    for field in ("name_zh", "name_en"):
        raw = values.get(field, "")
        text = raw.strip() if isinstance(raw, str) else ""
        if len(text) > MAX_NAME:
            raise invalid(field, f"longer than {MAX_NAME} characters")
        names[field] = text
    if not names["name_zh"] and not names["name_en"]:
        raise invalid("name_zh", "a Chinese or an English name is needed")
    return names


def clean_id(value: object, field: str) -> int | None:
    """A row id from a form or URL: blank is None, anything but digits is
    refused (a 422 for that field, never a crash)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise invalid(field, "not a valid choice")
    if isinstance(value, int):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if not text.isdigit() or len(text) > 18:
        raise invalid(field, "not a valid choice")
    return int(text)


def check_kind(kind: object) -> str:
    if kind not in KINDS:
        raise invalid("kind", "one of " + ", ".join(KINDS))
    return str(kind)


def check_placement(kind: str, parent_kind: str | None) -> None:
    """Whether a location of `kind` may hang under a parent of `parent_kind`
    (None: the top of the tree)."""
    if parent_kind == "point":
        raise invalid("parent", "a checkpoint cannot contain other locations")
    if kind == "building" and parent_kind is not None:
        raise invalid("parent", "a building sits at the top of the tree")


def check_move(node: int, new_parent: int | None, parents: Mapping[int, int | None]) -> None:
    """Refuse a move that would make `node` its own ancestor. `parents` maps
    every location id of the site to its parent id."""
    seen: set[int] = set()
    cur = new_parent
    while cur is not None and cur not in seen:
        if cur == node:
            raise invalid("parent", "a location cannot move under itself or its own sub-location")
        seen.add(cur)
        cur = parents.get(cur)


def subtree(root: int, parents: Mapping[int, int | None]) -> set[int]:
    """`root` and every location below it."""
    children: dict[int | None, list[int]] = {}
    for node, parent in parents.items():
        children.setdefault(parent, []).append(node)
    out, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node in out:
            continue
        out.add(node)
        stack.extend(children.get(node, []))
    return out


def tree_order(rows: list[dict]) -> list[dict]:
    """Rows (with id, parent, position) depth-first in position order, each
    with `depth` set. Orphans (parent missing) are placed at the top level."""
    ids = {r["id"] for r in rows}
    children: dict[int | None, list[dict]] = {}
    for r in rows:
        parent = r["parent"] if r["parent"] in ids else None
        children.setdefault(parent, []).append(r)
    for siblings in children.values():
        siblings.sort(key=lambda r: (r.get("position") or 0, r["id"]))
    out: list[dict] = []

    def walk(parent: int | None, depth: int) -> None:
        for r in children.get(parent, []):
            r["depth"] = depth
            out.append(r)
            walk(r["id"], depth + 1)

    walk(None, 0)
    return out


def paths(rows: list[dict], field: str) -> dict[int, str]:
    """id -> "Building / Floor / Point" for a name field (name_zh / name_en),
    falling back to the other language where a name is blank."""
    by_id = {r["id"]: r for r in rows}
    other = "name_en" if field == "name_zh" else "name_zh"
    out: dict[int, str] = {}
    for r in rows:
        names, cur, seen = [], r, set()
        while cur is not None and cur["id"] not in seen:
            seen.add(cur["id"])
            names.append(cur.get(field) or cur.get(other) or "")
            cur = by_id.get(cur["parent"])
        out[r["id"]] = " / ".join(reversed(names))
    return out
