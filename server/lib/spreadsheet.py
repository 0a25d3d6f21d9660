"""Cells for CSV files people open in a spreadsheet. Text that starts with
= + - @ (or a tab / carriage return, which some programs strip before looking)
is run as a formula by Excel, LibreOffice and Sheets ("CSV injection"); such a
cell gets a leading apostrophe, which the spreadsheet shows as plain text.
Numbers are written as numbers."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row(values: list[object]) -> list[object]:
    return [cell(v) for v in values]
