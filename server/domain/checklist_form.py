"""The checklist editor's form <-> checklist items.

The editor posts every item as indexed fields (`items-3-label_zh`,
`items-3-choices`, ...). This turns them back into item dicts for
`checklist.validate_items`, and items into the text the form shows. Choices
are one per line: `value | 中文 | English | fail` (the last part optional).
Number fields left blank mean "no limit" for pass_min/pass_max.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from server.domain.checklist import KINDS
from server.domain.errors import RoundsError

_FIELD = re.compile(r"items-(\d{1,3})-([a-z_]+)")
_FAILS = {"fail", "fails", "x", "不合格", "1", "true", "yes"}
_BOOLEANS = ("required", "photo_on_fail", "note_on_fail")
_TEXTS = ("id", "kind", "label_zh", "label_en", "help_zh", "help_en")


def _number(raw: str, field: str, index: int, *, required: bool) -> float | int | None:
    raw = raw.strip()
    if not raw:
        if required:
            raise RoundsError("invalid_template", {"index": index, "field": field, "reason": "needs a number"})
        return None
    try:
        value = float(raw)
    except ValueError:
        raise RoundsError("invalid_template", {"index": index, "field": field, "reason": "not a number"}) from None
    return int(value) if value.is_integer() and "." not in raw else value


def choices_from_text(text: str, index: int) -> list[dict]:
    out = []
    for n, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 3 or len(parts) > 4:
            raise RoundsError("invalid_template", {
                "index": index, "field": f"choices[{n}]",
                "reason": "write each choice as: value | 中文 | English | fail"})
        out.append({"value": parts[0], "label_zh": parts[1], "label_en": parts[2],
                    "fails": len(parts) == 4 and parts[3].lower() in _FAILS})
    return out


def choices_to_text(choices: list[dict]) -> str:
    return "\n".join(
        f"{c['value']} | {c['label_zh']} | {c['label_en']}" + (" | fail" if c.get("fails") else "")
        for c in choices or [])


def items_from_form(getall: Callable[[str], list[str]], keys: list[str]) -> list[dict]:
    """Items in the order of their index. `getall(name)` returns every value
    of a form field; `keys` are the field names present in the form."""
    indexes = sorted({int(m[1]) for k in keys if (m := _FIELD.fullmatch(k))})
    items = []
    for i in indexes:
        def one(name: str, i: int = i) -> str:
            values = getall(f"items-{i}-{name}")
            return values[-1] if values else ""  # a checkbox posts a hidden "0" then "1"

        kind = one("kind")
        if kind not in KINDS:
            raise RoundsError("invalid_template", {"index": len(items), "field": "kind", "reason": "unknown kind"})
        item: dict = {k: one(k).strip() for k in _TEXTS}
        for key in _BOOLEANS:
            item[key] = one(key) == "1"
        points = one("points").strip() or "0"
        if not points.isdigit():
            raise RoundsError("invalid_template", {"index": len(items), "field": "points",
                                                   "reason": "a whole number"})
        item["points"] = int(points)
        ref = one("reference_photo").strip()
        item["reference_photo"] = ref or None
        if kind == "number":
            item["unit"] = one("unit").strip()
            for key in ("min", "max"):
                item[key] = _number(one(key), key, len(items), required=True)
            for key in ("pass_min", "pass_max"):
                item[key] = _number(one(key), key, len(items), required=False)
        elif kind == "yes_no":
            item["fail_on"] = one("fail_on") == "yes"
        elif kind == "choice":
            item["choices"] = choices_from_text(one("choices"), len(items))
        items.append(item)
    return items


def blank_item(kind: str, existing_ids: set[str]) -> dict:
    """A new item of `kind` with a free id and the defaults the form shows."""
    n = len(existing_ids) + 1
    while f"i{n}" in existing_ids:
        n += 1
    item: dict = {"id": f"i{n}", "kind": kind, "label_zh": "", "label_en": "", "required": True,
                  "photo_on_fail": kind in ("pass_fail", "yes_no", "choice", "number"),
                  "note_on_fail": True, "points": 1 if kind in ("pass_fail", "yes_no", "choice", "number") else 0,
                  "help_zh": "", "help_en": "", "reference_photo": None}
    if kind == "number":
        item.update(unit="", min=0, max=100, pass_min=None, pass_max=None)
    elif kind == "yes_no":
        item["fail_on"] = False
    elif kind == "choice":
        item["choices"] = []
    return item


def form_rows(items: list[dict]) -> list[dict]:
    """Items as the form shows them (choices as text, blanks for None)."""
    out = []
    for item in items:
        row = dict(item)
        if item.get("kind") == "choice" and "choices" in item:  # lenient rows carry choices_text already
            row["choices_text"] = choices_to_text(item["choices"] or [])
        for key in ("min", "max", "pass_min", "pass_max"):
            if key in row and row[key] is None:
                row[key] = ""
        out.append(row)
    return out


def apply_op(items: list[dict], op: str) -> list[dict]:
    """Editor buttons that only rearrange the form: up:i, down:i, delete:i,
    add:kind. Unknown ops change nothing."""
    name, _, arg = op.partition(":")
    items = list(items)
    if name == "add" and arg in KINDS:
        items.append(blank_item(arg, {str(i.get("id")) for i in items}))
    elif name in ("up", "down", "delete") and arg.isdigit():
        i = int(arg)
        if not 0 <= i < len(items):
            return items
        if name == "delete":
            items.pop(i)
        else:
            j = i - 1 if name == "up" else i + 1
            if 0 <= j < len(items):
                items[i], items[j] = items[j], items[i]
    return items


def lenient_items(getall: Callable[[str], list[str]], keys: list[str]) -> list[dict]:
    """Like items_from_form but never refuses: for re-showing a form that has
    an error, so nothing the user typed is lost."""
    indexes = sorted({int(m[1]) for k in keys if (m := _FIELD.fullmatch(k))})
    items = []
    for i in indexes:
        def one(name: str, i: int = i) -> str:
            values = getall(f"items-{i}-{name}")
            return values[-1] if values else ""

        item: dict = {k: one(k) for k in _TEXTS}
        item.update({k: one(k) == "1" for k in _BOOLEANS})
        item.update(points=one("points"), reference_photo=one("reference_photo") or None,
                    unit=one("unit"), min=one("min"), max=one("max"), pass_min=one("pass_min"),
                    pass_max=one("pass_max"), fail_on=one("fail_on") == "yes",
                    choices_text=one("choices"))
        items.append(item)
    return items


def as_mapping(pairs: Mapping[str, list[str]]) -> tuple[Callable[[str], list[str]], list[str]]:
    """(getall, keys) for a plain dict of lists, e.g. in tests."""
    return (lambda name: list(pairs.get(name, []))), list(pairs)
