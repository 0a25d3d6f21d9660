"""Checklist items of a template version, and the answers a visit gives them.

`validate_items` guards what an admin publishes (code `invalid_template`);
`check_answers` guards what a phone submits against a published, already
validated list of items. Both refuse the first problem they meet, in a fixed
order, so the same input always gets the same error. See docs/api.md,
"Checklist items", for the kinds and when each one fails.
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from typing import Any

from server.domain.errors import RoundsError
from server.domain.text import refuse_nul

KINDS = ("pass_fail", "yes_no", "number", "text", "choice", "photo", "signature")
PASS_FAIL_VALUES = ("pass", "fail", "na")
MAX_ITEMS = 200
MAX_POINTS = 100
MAX_CHOICES = 50
MAX_LABEL = 500
MAX_HELP = 2000
MAX_UNIT = 20
MAX_TEXT = 2000
MAX_NOTE = 2000
MAX_PHOTOS = 20

_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")

# key -> default; None marks a key that must be given
_COMMON = {
    "id": None, "kind": None, "label_zh": None, "label_en": None,
    "required": True, "photo_on_fail": False, "note_on_fail": True, "points": 0,
    "help_zh": "", "help_en": "", "reference_photo": None,
}  # fmt: skip
_BY_KIND: dict[str, dict[str, Any]] = {
    "number": {"unit": "", "min": None, "max": None, "pass_min": None, "pass_max": None},
    "yes_no": {"fail_on": False},
    "choice": {"choices": None},
}
_CHOICE_KEYS = {"value", "label_zh", "label_en", "fails"}
_ANSWER_KEYS = {"item", "value", "note", "photos"}


# ------------------------------------------------------------------ items


class _Refusal(Exception):
    """A problem in one item, turned into RoundsError with its index."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason


def _invalid(index: int | None, field: str | None, reason: str) -> RoundsError:
    return RoundsError(
        "invalid_template", detail={"index": index, "field": field, "reason": reason}
    )


def _is_number(value: object) -> bool:
    # JSON true/false arrive as bool, which Python counts as int; NaN/inf are not readings
    if isinstance(value, bool):
        return False
    # an int is always finite (and math.isfinite overflows on a huge one)
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def _text(item: dict, key: str, limit: int, *, required: bool) -> str:
    value = item[key]
    if not isinstance(value, str):
        raise _Refusal(key, "not a string")
    value = value.strip()
    if required and not value:
        raise _Refusal(key, "empty")
    if len(value) > limit:
        raise _Refusal(key, f"longer than {limit} characters")
    return value


def _bool(item: dict, key: str) -> bool:
    if not isinstance(item[key], bool):
        raise _Refusal(key, "not true/false")
    return item[key]


def _number_fields(item: dict) -> None:
    item["unit"] = _text(item, "unit", MAX_UNIT, required=False)
    for key in ("min", "max"):
        if not _is_number(item[key]):
            raise _Refusal(key, "needs a finite number")
    if item["min"] > item["max"]:
        raise _Refusal("min", "min is greater than max")
    for key in ("pass_min", "pass_max"):
        value = item[key]
        if value is None:
            continue
        if not _is_number(value):
            raise _Refusal(key, "not a finite number")
        if not item["min"] <= value <= item["max"]:
            raise _Refusal(key, "outside [min, max]")
    if item["pass_min"] is not None and item["pass_max"] is not None:
        if item["pass_min"] > item["pass_max"]:
            raise _Refusal("pass_min", "pass_min is greater than pass_max")


def _choices(raw: object) -> list[dict]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise _Refusal("choices", "needs at least 2 choices")
    if len(raw) > MAX_CHOICES:
        raise _Refusal("choices", f"more than {MAX_CHOICES} choices")
    out, seen = [], set()
    for i, choice in enumerate(raw):
        field = f"choices[{i}]"
        if not isinstance(choice, dict):
            raise _Refusal(field, "not an object")
        unknown = sorted(set(choice) - _CHOICE_KEYS)
        if unknown:
            raise _Refusal(f"{field}.{unknown[0]}", "unknown key")
        choice = {"fails": False, **choice}
        for key in ("value", "label_zh", "label_en"):
            if key not in choice:
                raise _Refusal(f"{field}.{key}", "missing")
        try:
            value = _text(choice, "value", 64, required=True)
            labels = {
                k: _text(choice, k, MAX_LABEL, required=True) for k in ("label_zh", "label_en")
            }
            fails = _bool(choice, "fails")
        except _Refusal as r:
            raise _Refusal(f"{field}.{r.field}", r.reason) from None
        if value in seen:
            raise _Refusal(f"{field}.value", "duplicate value")
        seen.add(value)
        out.append({"value": value, **labels, "fails": fails})
    return out


def _item(raw: object, seen_ids: set[str]) -> dict:
    if not isinstance(raw, dict):
        raise _Refusal("", "not an object")
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise _Refusal("kind", "unknown kind")
    defaults = {**_COMMON, **_BY_KIND.get(kind, {})}
    unknown = [key for key in raw if key not in defaults]
    if unknown:
        raise _Refusal(str(unknown[0]), f"not a key of a {kind} item")
    item = {**defaults, **raw}

    item_id = item["id"]
    if not isinstance(item_id, str) or not _ID.fullmatch(item_id):
        raise _Refusal("id", "1-32 characters of A-Z a-z 0-9 _ -")
    if item_id in seen_ids:
        raise _Refusal("id", "duplicate id")
    for key in ("label_zh", "label_en"):
        if item[key] is None:
            raise _Refusal(key, "missing")
        item[key] = _text(item, key, MAX_LABEL, required=True)
    for key in ("help_zh", "help_en"):
        item[key] = _text(item, key, MAX_HELP, required=False)
    for key in ("required", "photo_on_fail", "note_on_fail"):
        _bool(item, key)
    points = item["points"]
    if not isinstance(points, int) or isinstance(points, bool) or not 0 <= points <= MAX_POINTS:
        raise _Refusal("points", f"an integer 0..{MAX_POINTS}")
    ref = item["reference_photo"]
    if ref is not None and (not isinstance(ref, str) or not ref.strip() or len(ref) > 200):
        raise _Refusal("reference_photo", "null or a photo reference")

    if kind == "number":
        _number_fields(item)
    elif kind == "yes_no":
        _bool(item, "fail_on")
    elif kind == "choice":
        item["choices"] = _choices(item["choices"])
    return item


def validate_items(raw: object) -> list[dict]:
    """The items normalised (defaults filled, labels trimmed), or invalid_template
    with detail {index, field, reason} for the first problem."""
    if not isinstance(raw, list):
        raise _invalid(None, None, "items must be a list")
    if not raw:
        raise _invalid(None, None, "a checklist needs at least one item")
    if len(raw) > MAX_ITEMS:
        raise _invalid(None, None, f"more than {MAX_ITEMS} items")
    items: list[dict] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        try:
            item = _item(entry, seen)
        except _Refusal as r:
            raise _invalid(i, r.field, r.reason) from None
        seen.add(item["id"])
        items.append(item)
    return items


# ---------------------------------------------------------------- answers


@dataclass(frozen=True)
class CheckedAnswer:
    item_id: str
    kind: str
    value: Any
    failed: bool
    note: str
    photos: tuple[str, ...]
    points: int  # earned


def _malformed(item: object, reason: str, **extra: Any) -> RoundsError:
    return RoundsError("malformed_body", detail={"item": item, "reason": reason, **extra})


def _photos(item_id: str, raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise _malformed(item_id, "photos must be a list of UUIDs")
    if len(raw) > MAX_PHOTOS:
        raise _malformed(item_id, f"more than {MAX_PHOTOS} photos")
    out = []
    for value in raw:
        try:
            if not isinstance(value, str):
                raise ValueError
            out.append(str(uuid.UUID(value)))  # canonical lower-case form
        except ValueError:
            raise _malformed(item_id, "photos must be a list of UUIDs") from None
    if len(set(out)) != len(out):
        raise _malformed(item_id, "the same photo is listed twice")
    return tuple(out)


def _shape(raw_answers: object, known: set[str]) -> dict[str, dict]:
    """Answers by item id, with note and photos checked and normalised."""
    if not isinstance(raw_answers, list):
        raise _malformed(None, "answers must be a list")
    by_item: dict[str, dict] = {}
    for i, answer in enumerate(raw_answers):
        if not isinstance(answer, dict):
            raise _malformed(None, "an answer must be an object", index=i)
        item_id = answer.get("item")
        if not isinstance(item_id, str):
            raise _malformed(None, "an answer needs an item id", index=i)
        unknown = sorted(str(k) for k in set(answer) - _ANSWER_KEYS)
        if unknown:
            raise _malformed(item_id, "unknown key", field=unknown[0])
        note = answer.get("note", "")
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise _malformed(item_id, f"note must be a string of at most {MAX_NOTE} characters")
        # Stored as given: a NUL in a note or a text/choice value cannot be (PostgreSQL).
        refuse_nul(answer, f"answers[{i}]")
        photos = _photos(item_id, answer.get("photos", []))
        if item_id not in known:
            raise RoundsError("unknown_item", detail={"item": item_id})
        if item_id in by_item:
            raise RoundsError("duplicate_answer", detail={"item": item_id})
        by_item[item_id] = {"value": answer.get("value"), "note": note, "photos": photos}
    return by_item


def _failed(item: dict, value: Any) -> bool:
    """Whether a well-typed, present value fails its item (docs/api.md)."""
    kind = item["kind"]
    if kind == "pass_fail":
        return value == "fail"
    if kind == "yes_no":
        return value == item["fail_on"]
    if kind == "number":
        low, high = item.get("pass_min"), item.get("pass_max")
        return (low is not None and value < low) or (high is not None and value > high)
    if kind == "choice":
        return any(c["value"] == value and c["fails"] for c in item["choices"])
    return False  # text, photo, signature never fail


def _check_value(item: dict, value: Any) -> None:
    item_id, kind = item["id"], item["kind"]

    def wrong(reason: str) -> RoundsError:
        return RoundsError(
            "invalid_answer", detail={"item": item_id, "kind": kind, "reason": reason}
        )

    if kind == "pass_fail" and value not in PASS_FAIL_VALUES:
        raise wrong('expected "pass", "fail" or "na"')
    if kind == "yes_no" and not isinstance(value, bool):
        raise wrong("expected true or false")
    if kind == "number":
        if not _is_number(value):
            raise wrong("expected a finite number")
        if not item["min"] <= value <= item["max"]:
            raise RoundsError(
                "number_out_of_range",
                detail={"item": item_id, "min": item["min"], "max": item["max"], "value": value},
            )
    if kind == "text" and (not isinstance(value, str) or len(value) > MAX_TEXT):
        raise wrong(f"expected a string of at most {MAX_TEXT} characters")
    if kind == "choice" and (
        not isinstance(value, str) or value not in {c["value"] for c in item["choices"]}
    ):
        raise wrong("not one of the choices")
    if kind in ("photo", "signature") and value is not None:
        raise wrong("expected null; the image goes in photos")


def _answered(item: dict, answer: dict | None) -> bool:
    if answer is None:
        return False
    if item["kind"] in ("photo", "signature"):
        return bool(answer["photos"])
    value = answer["value"]
    if value is None:
        return False
    # a blank text is no answer to a required question
    return not (item["kind"] == "text" and isinstance(value, str) and not value.strip())


def check_answers(items: list[dict], raw_answers: object) -> list[CheckedAnswer]:
    """Check a visit's answers against validated items. Returns one CheckedAnswer
    per answered item, in item order; raises RoundsError for the first problem:
    first the shape of the answers list, then each item in template order."""
    by_item = _shape(raw_answers, {item["id"] for item in items})
    out: list[CheckedAnswer] = []
    for item in items:
        item_id = item["id"]
        answer = by_item.get(item_id)
        if item.get("required", True) and not _answered(item, answer):
            raise RoundsError("required_answer_missing", detail={"item": item_id})
        if answer is None:
            continue
        value = answer["value"]
        if value is not None:
            _check_value(item, value)
        failed = value is not None and _failed(item, value)
        if failed and item.get("note_on_fail", True) and not answer["note"].strip():
            raise RoundsError("note_required", detail={"item": item_id})
        if failed and item.get("photo_on_fail", False) and not answer["photos"]:
            raise RoundsError("photo_required", detail={"item": item_id})
        earned = (
            item.get("points", 0) if _answered(item, answer) and not failed and value != "na" else 0
        )
        out.append(
            CheckedAnswer(
                item_id, item["kind"], value, failed, answer["note"], answer["photos"], earned
            )
        )
    return out


def score(checked: list[CheckedAnswer], items: list[dict]) -> tuple[int, int]:
    """(earned, possible). Possible counts every item's points except items
    answered "na"; an optional item left blank still counts, as 0 earned."""
    na = {a.item_id for a in checked if a.value == "na"}
    possible = sum(item.get("points", 0) for item in items if item["id"] not in na)
    return sum(a.points for a in checked), possible


def failed_items(checked: list[CheckedAnswer]) -> list[CheckedAnswer]:
    return [a for a in checked if a.failed]
