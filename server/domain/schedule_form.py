"""The round editor's schedule fields <-> a schedule rule (server/domain/schedule.py).

Windows are written one per line as `08:00-10:00` (or with a en dash / 至 / ~);
monthly days as `1, 15, 31` (31 = the last day of every month).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from server.domain import schedule
from server.domain.errors import RoundsError

_WINDOW = re.compile(r"\s*(\d{1,2}:\d{2})\s*(?:-|–|—|~|至|到)\s*(\d{1,2}:\d{2})\s*")


def _bad(field: str, reason: str) -> RoundsError:
    return RoundsError("invalid_schedule", {"field": field, "reason": reason})


def _int(values: Mapping[str, object], field: str, default: int | None = None) -> int:
    raw = str(values.get(field, "") or "").strip()
    if not raw:
        if default is None:
            raise _bad(field, "needs a whole number")
        return default
    if not raw.isdigit():
        raise _bad(field, "needs a whole number")
    return int(raw)


def windows_from_text(text: str) -> list[dict]:
    out = []
    for line in re.split(r"[\n,;，；]+", text or ""):
        if not line.strip():
            continue
        m = _WINDOW.fullmatch(line)
        if not m:
            raise _bad("windows", f"write a window as 08:00-10:00, not {line.strip()!r}")
        out.append({"start": m[1].zfill(5), "end": m[2].zfill(5)})
    return out


def rule_from_form(values: Mapping[str, object], weekdays: list[str] | None = None) -> dict:
    """Form fields -> a normalised rule dict; invalid_schedule with the field
    on any problem (the same checks as parse_rule)."""
    kind = str(values.get("type", "") or "")
    if kind not in schedule.TYPES:
        raise _bad("type", "choose a schedule type")
    raw: dict = {"type": kind, "grace_minutes": _int(values, "grace_minutes", 0)}
    if kind in ("daily", "weekly", "monthly"):
        raw["windows"] = windows_from_text(str(values.get("windows", "")))
    if kind == "weekly":
        days = [int(d) for d in (weekdays or []) if str(d).isdigit()]
        raw["weekdays"] = days
    if kind == "monthly":
        parts = [p for p in re.split(r"[\s,，、]+", str(values.get("days", ""))) if p]
        if not all(p.isdigit() for p in parts):
            raise _bad("days", "write days of the month as 1, 15, 31")
        raw["days"] = [int(p) for p in parts]
    if kind in ("every", "random_daily"):
        raw["from"] = str(values.get("from", "")).strip()
        raw["to"] = str(values.get("to", "")).strip()
        raw["window_minutes"] = _int(values, "window_minutes")
    if kind == "every":
        raw["every_minutes"] = _int(values, "every_minutes")
    not_before = str(values.get("not_before", "") or "").strip()
    if not_before:
        raw["not_before"] = not_before
    return schedule.parse_rule(raw).to_dict()


def form_from_rule(rule: Mapping) -> dict:
    """A stored rule as the form's field values."""
    out = {"type": rule.get("type", "daily"), "grace_minutes": rule.get("grace_minutes", 0),
           "not_before": rule.get("not_before") or "", "windows": "", "weekdays": [], "days": "",
           "from": rule.get("from", ""), "to": rule.get("to", ""),
           "window_minutes": rule.get("window_minutes", ""), "every_minutes": rule.get("every_minutes", "")}
    out["windows"] = "\n".join(f"{w['start']}-{w['end']}" for w in rule.get("windows", []))
    out["weekdays"] = list(rule.get("weekdays", []))
    out["days"] = ", ".join(str(d) for d in rule.get("days", []))
    return out
