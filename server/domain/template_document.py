"""A checklist template as a JSON document, for copying between sites and
installations (import/export in the editor). Format:

    {"format": "rounds.template", "version": 1, "key": "toilet",
     "name_zh": "...", "name_en": "...", "department": "cleaning",
     "items": [ ...items as in docs/api.md... ]}
"""

from __future__ import annotations

from server.domain import checklist
from server.domain import locations as rules
from server.domain.errors import RoundsError

FORMAT = "rounds.template"
VERSION = 1


def to_document(template: dict, items: list[dict]) -> dict:
    return {
        "format": FORMAT, "version": VERSION, "key": template["key"],
        "name_zh": template["name_zh"], "name_en": template["name_en"],
        "department": template.get("department", ""), "items": items,
    }


def from_document(raw: object) -> dict:
    """The document checked and normalised (items validated), or
    invalid_document with detail {field, reason}."""
    def bad(field: str, reason: str) -> RoundsError:
        return RoundsError("invalid_document", {"field": field, "reason": reason})

    if not isinstance(raw, dict):
        raise bad("", "not a JSON object")
    if raw.get("format") != FORMAT:
        raise bad("format", f'expected "{FORMAT}"')
    if raw.get("version") != VERSION:
        raise bad("version", f"expected {VERSION}")
    unknown = sorted(set(raw) - {"format", "version", "key", "name_zh", "name_en", "department", "items"})
    if unknown:
        raise bad(unknown[0], "unknown key")
    try:
        key = rules.clean_key(raw.get("key"))
        names = rules.clean_names(raw)
        department = rules.clean_word(raw.get("department", "") or "", "department")
    except RoundsError as exc:
        raise bad(exc.detail["field"], exc.detail["reason"]) from None
    try:
        items = checklist.validate_items(raw.get("items"))
    except RoundsError as exc:
        raise RoundsError("invalid_document", {"field": "items", **exc.detail}) from None
    return {"key": key, **names, "department": department, "items": items}
