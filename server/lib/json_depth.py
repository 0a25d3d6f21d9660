"""Whether a JSON document nests deeper than Rounds accepts, read from its
bytes without decoding it.

Decoders recurse once per level: a body of a few KB nested 1,000 deep makes
msgspec (and json) raise RecursionError, which would surface as a 500. The
app refuses such a body before anything decodes it (server/security/
request_guard.py). Strings are cut out first, so brackets inside them do not
count; then each pass deletes the innermost "[]" pairs (objects count as
arrays), so a document n deep empties in n passes. All of it runs in C
(bytes.replace, translate, split): a fraction of what decoding the body costs."""

from __future__ import annotations

import json

# Far above any document Rounds takes (a visit batch nests 7 deep), far below
# the interpreter's recursion limit.
MAX_DEPTH = 64

_SQUARE = bytes.maketrans(b"{}", b"[]")
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')


def _outside_strings(body: bytes) -> bytes:
    """The brackets of `body` that are not inside a string, as "[" and "]"."""
    if b"\\" in body:
        # Escapes pair up left to right: drop escaped backslashes, then escaped
        # quotes, so every quote left opens or closes a string.
        body = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    parts = body.translate(_SQUARE, _NOT_STRUCTURE).split(b'"')
    return b"".join(parts[::2])


def too_deep(body: bytes, limit: int = MAX_DEPTH) -> bool:
    """True when arrays/objects in `body` nest more than `limit` deep. For
    malformed JSON (unclosed brackets) the answer errs towards True only when
    a decoder could have recursed past `limit` before noticing."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _outside_strings(body)
    passes = 0
    while b"[]" in brackets:
        if passes == limit:
            return True
        brackets = brackets.replace(b"[]", b"")
        passes += 1
    # Left: unmatched brackets (closes, then opens); each open is one more level.
    return passes + brackets.count(b"[") > limit


def loads(data: bytes | str) -> object:
    """json.loads for an uploaded document, refusing one nested too deep with
    ValueError (what callers already catch for "not JSON") instead of letting
    RecursionError through as a 500."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if too_deep(raw):
        raise ValueError(f"JSON nested more than {MAX_DEPTH} deep")
    return json.loads(data)
