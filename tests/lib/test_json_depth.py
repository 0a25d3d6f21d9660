"""too_deep() reads nesting from the bytes, ignoring brackets inside strings
(escaped quotes and backslashes included)."""

import json

import pytest

from server.lib.json_depth import MAX_DEPTH, too_deep


@pytest.mark.parametrize(("body", "deep"), [
    (b"[" * 1000 + b"]" * 1000, True),
    (b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, False),
    (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), True),
    (b'{"a":' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1), True),
    (b"[" * 1000, True),  # never closed: a decoder recurses before it sees the end
    (b'"' + b"[" * 1000 + b'"', False),
    (json.dumps({"note": "\\\"[" * 500, "x": [[1]]}).encode(), False),
    (json.dumps(["\\", "[" * 500]).encode(), False),
    (json.dumps({"a\"[": "]\\\\" + "{" * 200}).encode(), False),
    (b"12", False),
    (b"", False),
])
def test_too_deep(body, deep):
    assert too_deep(body) is deep


def test_a_real_batch_is_far_below_the_limit():
    visit = {"answers": [{"item": "a", "value": "x", "note": "[{", "photos": ["p"]}] * 300}
    body = json.dumps({"visits": [{"client_uuid": "u", "body": visit}] * 100}).encode()
    # {visits [ { body { answers [ { photos [ : 7 levels
    assert not too_deep(body, limit=7)
    assert too_deep(body, limit=6)
