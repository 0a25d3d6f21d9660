"""Text Rounds can store on both engines. PostgreSQL refuses the NUL character
(U+0000) in text and json values, where SQLite keeps it; so a phone's NUL (a
stray byte in a pasted note, a broken keyboard app) is refused here, by the
same rule on both engines, before anything is written. The refusal is a 4xx
(nul_character, 422): the field app keeps the item as "needs attention"
instead of retrying it forever."""

from __future__ import annotations

from typing import Any

from server.domain.errors import RoundsError

NUL = "\x00"


def nul_path(value: Any, path: str = "") -> str | None:
    """Where the first NUL is in a decoded JSON value ("answers[2].note"), in
    a string or an object key; None when there is none."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, str):
            if NUL in node:
                return where or "body"
        elif isinstance(node, dict):
            for key, child in reversed(list(node.items())):
                if isinstance(key, str) and NUL in key:
                    return f"{where}.{key!r}" if where else repr(key)
                stack.append((f"{where}.{key}" if where else str(key), child))
        elif isinstance(node, list):
            stack.extend((f"{where}[{i}]", child) for i, child in reversed(list(enumerate(node))))
    return None


def refuse_nul(value: Any, field: str = "") -> None:
    """Raise nul_character naming the field when `value` holds a NUL anywhere."""
    where = nul_path(value, field)
    if where is not None:
        raise RoundsError("nul_character", {"field": where})
