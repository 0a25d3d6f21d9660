"""NUL characters are refused wherever a submission carries text, naming the
field, by the same rule on both engines."""

from datetime import UTC, datetime

import pytest

from server.domain.checklist import check_answers
from server.domain.errors import RoundsError
from server.domain.submission import parse_credentials, parse_visit
from server.domain.text import nul_path

ITEMS = [{"id": "remark", "kind": "text", "required": False, "points": 0}]


@pytest.mark.parametrize(("value", "where"), [
    ("a\x00", "body"),
    ({"a": ["ok", {"b": "\x00"}]}, "a[1].b"),
    ({"k\x00": 1}, "'k\\x00'"),
    ([1, True, None, 2.5, "fine"], None),
])
def test_nul_path(value, where):
    assert nul_path(value) == where


def test_text_answer_and_note_refused():
    for answer in ({"item": "remark", "value": "\x00"}, {"item": "remark", "value": "x", "note": "n\x00"}):
        with pytest.raises(RoundsError) as exc:
            check_answers(ITEMS, [answer])
        assert exc.value.code == "nul_character" and exc.value.status == 422


def test_visit_field_refused():
    now = datetime.now(UTC)
    body = {"tag_code": "t", "template_version_id": 1, "kind": "patrol", "scanned_at": now.isoformat(),
            "finished_at": now.isoformat(), "device_id": "d\x00", "answers": []}
    with pytest.raises(RoundsError) as exc:
        parse_visit(body, now)
    assert exc.value.code == "nul_character" and exc.value.detail == {"field": "device_id"}


def test_login_username_refused():
    with pytest.raises(RoundsError) as exc:
        parse_credentials({"username": "a\x00", "password": "p"})
    assert exc.value.detail == {"field": "username"}
    assert parse_credentials({"username": "a", "password": "p"}) == ("a", "p")
