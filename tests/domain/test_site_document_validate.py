"""The whole-site setup document is checked completely before an import."""

import copy

import pytest

from server.domain.errors import RoundsError
from server.domain.site_document import validate

ITEM = {"id": "c1", "kind": "pass_fail", "label_zh": "地面清洁", "label_en": "Floor clean"}
DOC = {
    "format": "rounds.site", "version": 1, "exported_at": "2026-11-22T06:00:00+00:00",
    "site": {"code": "alpha", "name_zh": "甲", "name_en": "Alpha", "timezone": "Asia/Shanghai"},
    "templates": [{"key": "toilet", "name_zh": "卫生间", "name_en": "Toilet", "draft_items": [ITEM],
                   "versions": [{"version": 1, "name_zh": "卫生间", "name_en": "Toilet", "items": [ITEM],
                                 "published_at": "2026-11-01T00:00:00+00:00"}]}],
    "locations": [{"key": "tower", "kind": "building", "name_zh": "主楼", "name_en": "Tower"},
                  {"key": "wc", "parent_key": "tower", "kind": "point", "name_zh": "卫生间", "name_en": "WC",
                   "template": "toilet"}],
    "tags": [{"location": "wc", "code": "abcdefgh12345678", "short_code": "7KQ3MX",
              "issued_at": "2026-11-01T00:00:00+00:00"}],
    "rounds": [{"key": "r", "name_zh": "路线", "name_en": "R", "assigned_role": "cleaner",
                "schedule": {"type": "daily", "windows": [{"start": "08:00", "end": "09:00"}]},
                "checkpoints": [{"location": "wc", "template": "toilet"}]}],
}


def test_a_good_document_is_normalised():
    doc = validate(DOC)
    assert doc["locations"][1]["parent_key"] == "tower" and doc["rounds"][0]["ordered"] is True
    assert doc["templates"][0]["versions"][0]["items"] == [ITEM]  # kept as written


def _broken(path_fn):
    doc = copy.deepcopy(DOC)
    path_fn(doc)
    with pytest.raises(RoundsError) as exc:
        validate(doc)
    assert exc.value.code == "invalid_document"
    return exc.value.detail["path"]


def test_problems_are_reported_with_their_path():
    assert _broken(lambda d: d.update(format="other")) == "format"
    assert _broken(lambda d: d["site"].update(code="Bad Code")) == "site.code"
    assert _broken(lambda d: d["locations"][1].update(parent_key="nowhere")) == "locations[1].parent_key"
    assert _broken(lambda d: d["locations"].reverse()) == "locations[0].parent_key"
    assert _broken(lambda d: d["tags"][0].update(short_code="7kq-3")) == "tags[0].short_code"
    assert _broken(lambda d: d["templates"][0]["versions"][0]["items"][0].update(kind="x")).startswith(
        "templates[0].versions[0].items")
    assert _broken(lambda d: d["rounds"][0]["checkpoints"].append({"location": "tower", "template": "toilet"})) \
        == "rounds[0].checkpoints[1].location"
    assert _broken(lambda d: d["rounds"][0].update(schedule={"type": "daily"})).startswith("rounds[0].schedule")
    assert _broken(lambda d: d.update(extra=1)) == "extra"
