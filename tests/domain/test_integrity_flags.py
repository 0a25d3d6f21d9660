"""Integrity flags on a visit: reused photo, double scan, device clock."""

from datetime import UTC, datetime, timedelta

from server.domain import integrity

T = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def codes(**kw) -> list[str]:
    base = dict(scanned_at=T, finished_at=T + timedelta(minutes=2), received_at=T + timedelta(minutes=3),
                photos=[], other_scans=[], reported_skew_seconds=None)
    return [f.code for f in integrity.visit_flags(**{**base, **kw})]


def test_clean_visit_has_no_flags():
    assert codes() == []


def test_photo_reuse_flags_come_from_the_photo_pipeline():
    photo = {"client_uuid": "p1", "flags": {"reused_exact": [{"photo": "p0", "visit": "v0"}]}}
    flags = integrity.visit_flags(scanned_at=T, finished_at=T, received_at=T, photos=[photo], other_scans=[])
    assert flags[0].code == "photo_reused" and flags[0].detail["other_visits"] == ["v0"]
    assert codes(photos=[{"client_uuid": "p2", "flags": {}}]) == []


def test_same_label_scanned_twice_within_a_minute():
    assert codes(other_scans=[T + timedelta(seconds=40)]) == ["double_scan"]
    assert codes(other_scans=[T - timedelta(seconds=59)]) == ["double_scan"]
    assert codes(other_scans=[T + timedelta(seconds=61)]) == []


def test_late_delivery_alone_is_not_a_clock_problem():
    assert codes(received_at=T + timedelta(hours=9)) == []


def test_finishing_after_the_server_received_it_means_the_clock_is_ahead():
    assert codes(finished_at=T + timedelta(minutes=20), received_at=T + timedelta(minutes=3)) == ["clock_skew"]
    assert codes(finished_at=T + timedelta(minutes=6), received_at=T + timedelta(minutes=3)) == []


def test_heartbeat_offset_beyond_five_minutes():
    assert codes(reported_skew_seconds=-900) == ["clock_skew"]
    assert codes(reported_skew_seconds=200) == []
