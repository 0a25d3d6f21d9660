"""Bulk import and export of a site's locations as CSV.

`plan()` reads a CSV and says, row by row, what it would do (create or update
a location) and what is wrong with each row. The service writes only a plan
without a single error, so a file with errors writes nothing.

Columns (header row required, any order, extra columns refused):
  key, parent_key, kind, type, name_zh, name_en, department, responsible, template
`responsible` is a username of a member of the site; `template` a checklist key
of the site. A row whose key already exists in the site updates that location
(rename, move, ...), and only in the columns the file has: a file of just
`key,kind,name_en` renames in English and leaves parents, types, departments,
responsible people and checklists as they are. A column that is present but
blank does blank its field. The plan says per updated row what changes
(old -> new); a row that changes nothing is "unchanged".

Spreadsheets on Chinese Windows save CSV as GB18030/GBK, elsewhere as UTF-8
(often with a byte-order mark): both are read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from server.domain import locations as rules
from server.domain.errors import RoundsError

COLUMNS = ("key", "parent_key", "kind", "type", "name_zh", "name_en", "department",
           "responsible", "template")
REQUIRED_COLUMNS = ("key", "kind")
# The columns that are a location's editable fields, in the order a change is shown.
FIELDS = ("parent_key", "kind", "type", "name_zh", "name_en", "department", "responsible", "template")
MAX_ROWS = 5000
MAX_BYTES = 2_000_000


@dataclass
class PlannedRow:
    line: int  # line number in the file (the header is line 1)
    key: str
    action: str  # create | update | unchanged
    values: dict  # every field as it will be after the import
    errors: list[dict] = field(default_factory=list)  # {"field", "reason"}
    changes: dict = field(default_factory=dict)  # update: field -> (old, new)

    def error(self, field_: str, reason: str) -> None:
        self.errors.append({"field": field_, "reason": reason})


@dataclass
class Plan:
    rows: list[PlannedRow]
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(not r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(r.errors) for r in self.rows)

    def counts(self) -> dict[str, int]:
        return {
            "create": sum(1 for r in self.rows if r.action == "create"),
            "update": sum(1 for r in self.rows if r.action == "update"),
            "unchanged": sum(1 for r in self.rows if r.action == "unchanged"),
            "errors": self.error_count,
        }


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK)."""
    if len(data) > MAX_BYTES:
        raise RoundsError("invalid_csv", {"reason": f"larger than {MAX_BYTES} bytes"})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise RoundsError("invalid_csv", {"reason": "not UTF-8 or GB18030 text"}) from None


def _read(text: str) -> tuple[list[tuple[int, dict]], list[str], tuple[str, ...]]:
    """(rows as (line, {column: cell}), file-level problems, the columns present)."""
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # strict: an unclosed quote is an error, not the rest of the file in one cell
    reader = csv.reader(io.StringIO(text), dialect, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return [], ["the file is empty"], ()
    except csv.Error:
        return [], [f"line 1: {UNREADABLE}"], ()
    names = [h.strip().lower() for h in header]
    problems = []
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        problems.append("unknown column(s): " + ", ".join(unknown))
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        problems.append("missing column(s): " + ", ".join(missing))
    if len(set(names)) != len(names):
        problems.append("a column appears twice")
    if problems:
        return [], problems, ()
    rows: list[tuple[int, dict]] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                return [], [f"more than {MAX_ROWS} rows"], ()
            line = reader.line_num
            if len(cells) > len(names):
                rows.append((line, {"__too_many__": True}))
                continue
            cells = cells + [""] * (len(names) - len(cells))
            rows.append((line, {n: _unsafe_cell(c.strip()) for n, c in zip(names, cells, strict=True)}))
    except csv.Error:
        # Python's own wording ("unexpected end of data", ...) is not translated.
        return [], [f"line {reader.line_num}: {UNREADABLE}"], ()
    return rows, [], tuple(names)


UNREADABLE = "the file could not be read as CSV (a quote is not closed?)"
_BLANK = {"parent_key": "", "type": "", "department": "", "responsible": "", "template": "",
          "name_zh": "", "name_en": ""}


def plan(
    text: str,
    *,
    existing: dict[str, dict],
    usernames: set[str],
    templates: set[str],
) -> Plan:
    """`existing`: key -> {"id", "kind", "parent_key", and the other FIELDS as
    the CSV writes them} of the site's locations. A field missing from an
    existing entry counts as blank."""
    raw_rows, file_errors, columns = _read(text)
    if file_errors:
        return Plan([], file_errors)
    if not raw_rows:
        return Plan([], ["no rows after the header"])
    present = set(columns)
    planned: list[PlannedRow] = []
    seen: dict[str, int] = {}
    for line, raw in raw_rows:
        row = PlannedRow(line=line, key=raw.get("key", ""), action="create", values={})
        planned.append(row)
        if raw.get("__too_many__"):
            row.error("", "more cells than columns")
            continue
        try:
            key = rules.clean_key(raw.get("key", ""))
        except RoundsError as exc:
            row.error("key", exc.detail["reason"])
            continue
        row.key = key
        if key in seen:
            row.error("key", f"the same key is on line {seen[key]}")
            continue
        seen[key] = line
        before = existing.get(key)
        row.action = "update" if before is not None else "create"
        # An update starts from the location as it is; a new one from blanks.
        base = {**_BLANK, **{f: before.get(f, "") or "" for f in FIELDS}} if before else dict(_BLANK)
        given = {f: raw[f] for f in FIELDS if f in present}
        merged = {**base, **given}
        values: dict = {"key": key}
        try:
            values["kind"] = rules.check_kind(merged.get("kind", "").lower())
        except RoundsError as exc:
            row.error("kind", exc.detail["reason"])
        for word in ("type", "department"):
            try:
                values[word] = rules.clean_word(merged[word], word) if word in given else merged[word]
            except RoundsError as exc:
                row.error(word, exc.detail["reason"])
        try:
            values.update(rules.clean_names(merged))
        except RoundsError as exc:
            row.error(exc.detail["field"], exc.detail["reason"])
        responsible = merged["responsible"].lower() if "responsible" in given else merged["responsible"]
        if "responsible" in given and responsible and responsible not in usernames:
            row.error("responsible", f"no user named {responsible!r}")
        values["responsible"] = responsible
        template = merged["template"]
        if "template" in given and template and template not in templates:
            row.error("template", f"no checklist with key {template!r} in this site")
        values["template"] = template
        parent = merged["parent_key"]
        values["parent_key"] = parent
        if parent == key:
            row.error("parent_key", "a location cannot be its own parent")
        row.values = values
        if before is not None:
            row.changes = {f: (base[f], values[f]) for f in FIELDS
                           if f in values and (base[f] or "") != (values[f] or "")}
            if not row.changes:
                row.action = "unchanged"

    _check_tree(planned, existing)
    return Plan(planned)


def _check_tree(planned: list[PlannedRow], existing: dict[str, dict]) -> None:
    """Parents exist (in the file or the site), placement rules, no cycles."""
    in_file = {r.key: r for r in planned if r.values}
    kinds = {k: v["kind"] for k, v in existing.items()}
    parents = {k: v.get("parent_key") or "" for k, v in existing.items()}
    for r in in_file.values():
        kinds[r.key] = r.values.get("kind", kinds.get(r.key, ""))
        parents[r.key] = r.values["parent_key"]
    for r in in_file.values():
        parent = r.values["parent_key"]
        if parent and parent not in kinds:
            r.error("parent_key", f"no location with key {parent!r} in the file or the site")
            continue
        if "kind" in r.values:
            try:
                rules.check_placement(r.values["kind"], kinds[parent] if parent else None)
            except RoundsError as exc:
                r.error("parent_key", exc.detail["reason"])
        # a cycle: walking up from the row comes back to it
        cur, steps = parent, 0
        while cur and steps <= len(parents):
            if cur == r.key:
                r.error("parent_key", "the parents form a loop")
                break
            cur, steps = parents.get(cur, ""), steps + 1
    # an existing point must not become the parent of something through a kind change
    for r in in_file.values():
        if r.values.get("kind") == "point" and not r.errors:
            has_child = any(p == r.key for k, p in parents.items() if k != r.key)
            if has_child:
                r.error("kind", "a checkpoint cannot contain other locations")


def creation_order(planned: list[PlannedRow]) -> list[PlannedRow]:
    """Rows ordered so every parent in the file comes before its children."""
    by_key = {r.key: r for r in planned}
    out, done = [], set()

    def visit(r: PlannedRow, trail: set[str]) -> None:
        if r.key in done or r.key in trail:
            return
        parent = by_key.get(r.values.get("parent_key", ""))
        if parent is not None:
            visit(parent, trail | {r.key})
        done.add(r.key)
        out.append(r)

    for r in planned:
        visit(r, set())
    return out


def to_csv(rows: list[dict]) -> str:
    """Rows with the COLUMNS keys, as CSV text with a BOM so spreadsheet
    programs open Chinese text correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([_safe_cell(str(r.get(c) or "")) for c in COLUMNS])
    return "\ufeff" + buf.getvalue()


# A cell starting with one of these is run as a formula by spreadsheet programs
# (tab and carriage return too: some programs strip them and read what follows).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _unsafe_cell(value: str) -> str:
    """Undo _safe_cell, so an exported file imports unchanged."""
    return value[1:] if value[:1] == "'" and value[1:2] in _FORMULA_START else value


def _safe_cell(value: str) -> str:
    return "'" + value if value[:1] in _FORMULA_START else value
