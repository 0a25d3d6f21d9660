"""Message catalogs for the console (zh-CN and English). Keys are English
phrases' short ids; a missing key shows the key, so gaps are visible."""

from __future__ import annotations

from server.i18n.catalog import MESSAGES

LANGUAGES = ("zh-CN", "en")


def normalise(language: str | None) -> str:
    if language and language.lower().startswith("zh"):
        return "zh-CN"
    return "en" if language and language.lower().startswith("en") else "zh-CN"


def translate(key: str, language: str, **values: object) -> str:
    entry = MESSAGES.get(key)
    text = key if entry is None else entry[0 if normalise(language) == "en" else 1]
    return text.format(**values) if values else text


def pick(row: dict, field: str, language: str) -> str:
    """A bilingual column pair (name_zh / name_en) in the reader's language."""
    primary = f"{field}_en" if normalise(language) == "en" else f"{field}_zh"
    other = f"{field}_zh" if primary.endswith("_en") else f"{field}_en"
    return row.get(primary) or row.get(other) or ""
