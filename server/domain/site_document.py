"""One JSON document for a whole site's setup (locations, tags, templates with
their published versions, rounds), so a property can be copied or restored.
`validate()` checks a document completely before anything is written.

    {"format": "rounds.site", "version": 1, "exported_at": "...",
     "site": {"code", "name_zh", "name_en", "timezone", "address_zh", "address_en", "active"},
     "locations": [{"key", "parent_key", "kind", "type", "name_zh", "name_en", "department",
                    "responsible", "template", "position", "retired_at"}],
     "tags": [{"location", "code", "short_code", "batch", "issued_at", "revoked_at", "revoked_reason"}],
     "templates": [{"key", "name_zh", "name_en", "department", "draft_items",
                    "versions": [{"version", "name_zh", "name_en", "items", "published_at"}]}],
     "rounds": [{"key", "name_zh", "name_en", "kind", "department", "assigned_role", "assignee",
                 "ordered", "active", "schedule", "checkpoints": [{"location", "template"}]}]}

People are referred to by username and are not part of the document.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from server.domain import checklist, reference_photo, schedule
from server.domain import locations as rules
from server.domain.errors import RoundsError
from server.domain.roles import ROLES, VISIT_KINDS

FORMAT = "rounds.site"
VERSION = 1
_CODE = re.compile(r"[A-Za-z0-9_-]{8,40}")
_SHORT = re.compile(r"[A-Z0-9]{4,8}")  # as typed codes are normalised (server/lib/codes.py)
_SITE_CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")


class _Bad(Exception):
    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason


def _obj(value: Any, path: str, keys: set[str], required: set[str]) -> dict:
    if not isinstance(value, dict):
        raise _Bad(path, "not an object")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise _Bad(f"{path}.{unknown[0]}", "unknown key")
    missing = sorted(required - set(value))
    if missing:
        raise _Bad(f"{path}.{missing[0]}", "missing")
    return value


def _list(value: Any, path: str) -> list:
    if not isinstance(value, list):
        raise _Bad(path, "not a list")
    return value


def _str(value: Any, path: str, limit: int = 200) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise _Bad(path, f"not a string of at most {limit} characters")
    return value.strip()


def _time(value: Any, path: str, *, null: bool) -> str | None:
    if value is None and null:
        return None
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise _Bad(path, "not an ISO time with a time zone")
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _Bad(path, "not true/false")
    return value


def _rule(fn, path: str, *args):
    try:
        return fn(*args)
    except RoundsError as exc:
        field = exc.detail.get("field")
        raise _Bad(f"{path}.{field}" if field else path, str(exc.detail.get("reason", exc.code))) from None


def _site(raw: Any) -> dict:
    s = _obj(raw, "site", {"code", "name_zh", "name_en", "timezone", "address_zh", "address_en", "active"},
             {"code", "timezone"})
    code = _str(s["code"], "site.code", 64)
    if not _SITE_CODE.fullmatch(code):
        raise _Bad("site.code", "2-64 characters: a-z 0-9 -")
    names = _rule(rules.clean_names, "site", s)
    try:
        ZoneInfo(_str(s["timezone"], "site.timezone", 64))
    except Exception:
        raise _Bad("site.timezone", "not a known time zone") from None
    return {"code": code, **names, "timezone": s["timezone"],
            "address_zh": _str(s.get("address_zh"), "site.address_zh", 300),
            "address_en": _str(s.get("address_en"), "site.address_en", 300),
            "active": _bool(s.get("active", True), "site.active")}


def _locations(raw: Any, template_keys: set[str]) -> list[dict]:
    out, kinds, parents = [], {}, {}
    keys = {"key", "parent_key", "kind", "type", "name_zh", "name_en", "department", "responsible",
            "template", "position", "retired_at"}
    for i, entry in enumerate(_list(raw, "locations")):
        path = f"locations[{i}]"
        loc = _obj(entry, path, keys, {"key", "kind"})
        key = _rule(rules.clean_key, f"{path}.key", loc["key"])
        if key in kinds:
            raise _Bad(f"{path}.key", "duplicate key")
        kind = _rule(rules.check_kind, f"{path}.kind", loc["kind"])
        parent = _str(loc.get("parent_key"), f"{path}.parent_key", 64)
        if parent and parent not in kinds:
            raise _Bad(f"{path}.parent_key", "unknown, or listed after its child")
        _rule(rules.check_placement, path, kind, kinds[parent] if parent else None)
        template = _str(loc.get("template"), f"{path}.template", 64)
        if template and template not in template_keys:
            raise _Bad(f"{path}.template", "not a template of the document")
        position = loc.get("position", 0)
        if not isinstance(position, int) or isinstance(position, bool):
            raise _Bad(f"{path}.position", "not an integer")
        kinds[key], parents[key] = kind, parent
        out.append({
            "key": key, "parent_key": parent, "kind": kind,
            "type": _rule(rules.clean_word, f"{path}.type", loc.get("type") or "", "type"),
            **_rule(rules.clean_names, path, loc),
            "department": _rule(rules.clean_word, f"{path}.department", loc.get("department") or "", "department"),
            "responsible": _str(loc.get("responsible"), f"{path}.responsible", 64),
            "template": template, "position": position,
            "retired_at": _time(loc.get("retired_at"), f"{path}.retired_at", null=True),
        })
    return out


def _tags(raw: Any, location_keys: set[str]) -> list[dict]:
    out, codes, shorts = [], set(), set()
    keys = {"location", "code", "short_code", "batch", "issued_at", "revoked_at", "revoked_reason"}
    for i, entry in enumerate(_list(raw, "tags")):
        path = f"tags[{i}]"
        t = _obj(entry, path, keys, {"location", "code", "short_code", "issued_at"})
        if t["location"] not in location_keys:
            raise _Bad(f"{path}.location", "not a location of the document")
        code = _str(t["code"], f"{path}.code", 40)
        if not _CODE.fullmatch(code) or code in codes:
            raise _Bad(f"{path}.code", "malformed or duplicate code")
        short = _str(t["short_code"], f"{path}.short_code", 8)
        if not _SHORT.fullmatch(short) or short in shorts:
            raise _Bad(f"{path}.short_code", "malformed or duplicate short code")
        codes.add(code)
        shorts.add(short)
        out.append({"location": t["location"], "code": code, "short_code": short,
                    "batch": _str(t.get("batch"), f"{path}.batch", 64),
                    "issued_at": _time(t["issued_at"], f"{path}.issued_at", null=False),
                    "revoked_at": _time(t.get("revoked_at"), f"{path}.revoked_at", null=True),
                    "revoked_reason": _str(t.get("revoked_reason"), f"{path}.revoked_reason", 200)})
    return out


def _items(raw: Any, path: str, *, allow_empty: bool) -> list[dict]:
    if allow_empty and raw == []:
        return []
    try:
        checklist.validate_items(raw)
    except RoundsError as exc:
        raise _Bad(f"{path}[{exc.detail.get('index')}].{exc.detail.get('field')}",
                   str(exc.detail.get("reason"))) from None
    for index, item in enumerate(raw):
        # A submitted photo belongs to the site it was taken on; the imported
        # site is a new one, so such a reference could only name another site's photo.
        if reference_photo.photo_uuid(item.get("reference_photo")):
            raise _Bad(f"{path}[{index}].reference_photo", "a submitted photo of another site")
    # kept as written: a restore gives back exactly what was exported
    return copy.deepcopy(raw)


def _templates(raw: Any) -> list[dict]:
    out, seen = [], set()
    for i, entry in enumerate(_list(raw, "templates")):
        path = f"templates[{i}]"
        t = _obj(entry, path, {"key", "name_zh", "name_en", "department", "draft_items", "versions"},
                 {"key", "draft_items", "versions"})
        key = _rule(rules.clean_key, f"{path}.key", t["key"])
        if key in seen:
            raise _Bad(f"{path}.key", "duplicate key")
        seen.add(key)
        versions, last = [], 0
        for j, v in enumerate(_list(t["versions"], f"{path}.versions")):
            vpath = f"{path}.versions[{j}]"
            v = _obj(v, vpath, {"version", "name_zh", "name_en", "items", "published_at"},
                     {"version", "items", "published_at"})
            number = v["version"]
            if not isinstance(number, int) or isinstance(number, bool) or number <= last:
                raise _Bad(f"{vpath}.version", "versions must be increasing whole numbers")
            last = number
            versions.append({"version": number, **_rule(rules.clean_names, vpath, v),
                             "items": _items(v["items"], f"{vpath}.items", allow_empty=False),
                             "published_at": _time(v["published_at"], f"{vpath}.published_at", null=False)})
        out.append({"key": key, **_rule(rules.clean_names, path, t),
                    "department": _rule(rules.clean_word, f"{path}.department", t.get("department") or "", "department"),
                    "draft_items": _items(t["draft_items"], f"{path}.draft_items", allow_empty=True),
                    "versions": versions})
    return out


def _rounds(raw: Any, location_kinds: dict[str, str], template_keys: set[str]) -> list[dict]:
    out, seen = [], set()
    keys = {"key", "name_zh", "name_en", "kind", "department", "assigned_role", "assignee", "ordered",
            "active", "schedule", "checkpoints"}
    for i, entry in enumerate(_list(raw, "rounds")):
        path = f"rounds[{i}]"
        r = _obj(entry, path, keys, {"key", "schedule", "checkpoints"})
        key = _rule(rules.clean_key, f"{path}.key", r["key"])
        if key in seen:
            raise _Bad(f"{path}.key", "duplicate key")
        seen.add(key)
        kind = r.get("kind", "patrol")
        if kind not in VISIT_KINDS:
            raise _Bad(f"{path}.kind", "unknown kind")
        role = r.get("assigned_role") or ""
        if role and role not in ROLES:
            raise _Bad(f"{path}.assigned_role", "unknown role")
        rule = r["schedule"]
        if rule != {}:
            rule = _rule(lambda x: schedule.parse_rule(x).to_dict(), f"{path}.schedule", rule)
        checkpoints, on_route = [], set()
        for j, cp in enumerate(_list(r["checkpoints"], f"{path}.checkpoints")):
            cpath = f"{path}.checkpoints[{j}]"
            cp = _obj(cp, cpath, {"location", "template"}, {"location", "template"})
            if location_kinds.get(cp["location"]) != "point" or cp["location"] in on_route:
                raise _Bad(f"{cpath}.location", "not a checkpoint of the document, or listed twice")
            if cp["template"] not in template_keys:
                raise _Bad(f"{cpath}.template", "not a template of the document")
            on_route.add(cp["location"])
            checkpoints.append({"location": cp["location"], "template": cp["template"]})
        out.append({"key": key, **_rule(rules.clean_names, path, r), "kind": kind,
                    "department": _rule(rules.clean_word, f"{path}.department", r.get("department") or "", "department"),
                    "assigned_role": role, "assignee": _str(r.get("assignee"), f"{path}.assignee", 64),
                    "ordered": _bool(r.get("ordered", True), f"{path}.ordered"),
                    "active": _bool(r.get("active", True), f"{path}.active"),
                    "schedule": rule, "checkpoints": checkpoints})
    return out


def validate(raw: Any) -> dict:
    """The document normalised, or invalid_document with detail {path, reason}
    for the first problem found."""
    try:
        doc = _obj(raw, "", {"format", "version", "exported_at", "site", "locations", "tags", "templates",
                             "rounds"}, {"format", "version", "site", "locations", "tags", "templates", "rounds"})
        if doc["format"] != FORMAT:
            raise _Bad("format", f'expected "{FORMAT}"')
        if doc["version"] != VERSION:
            raise _Bad("version", f"expected {VERSION}")
        site = _site(doc["site"])
        templates = _templates(doc["templates"])
        template_keys = {t["key"] for t in templates}
        locations = _locations(doc["locations"], template_keys)
        tags = _tags(doc["tags"], {loc["key"] for loc in locations})
        rounds = _rounds(doc["rounds"], {loc["key"]: loc["kind"] for loc in locations}, template_keys)
    except _Bad as bad:
        raise RoundsError("invalid_document", {"path": bad.path.lstrip("."), "reason": bad.reason}) from None
    return {"format": FORMAT, "version": VERSION, "site": site, "locations": locations, "tags": tags,
            "templates": templates, "rounds": rounds}
