"""Ordered rounds: a scan that skips ahead of the route is flagged."""

from datetime import UTC, datetime

from server.domain import integrity

ROUTE = [11, 12, 13, 14]


def test_walking_the_route_in_order_is_not_flagged():
    assert integrity.out_of_order(ROUTE, 11, []) is None
    assert integrity.out_of_order(ROUTE, 12, [11]) is None
    assert integrity.out_of_order(ROUTE, 14, [11, 12, 13]) is None


def test_skipping_ahead_names_the_expected_stop_and_what_was_skipped():
    flag = integrity.out_of_order(ROUTE, 13, [11])
    assert flag.code == "out_of_order"
    assert flag.detail == {"expected": 12, "expected_position": 2, "position": 3, "skipped": [12]}
    first = integrity.out_of_order(ROUTE, 14, [])
    assert first.detail["expected"] == 11 and first.detail["skipped"] == [11, 12, 13]


def test_going_back_to_a_skipped_stop_is_the_next_expected_one():
    # after 11 then 13 (flagged), 12 is the first stop not done: in order again
    assert integrity.out_of_order(ROUTE, 12, [11, 13]) is None
    assert integrity.out_of_order(ROUTE, 14, [11, 13]).detail["expected"] == 12


def test_revisits_and_locations_off_the_route_are_not_this_flag():
    assert integrity.out_of_order(ROUTE, 11, [11, 12]) is None
    assert integrity.out_of_order(ROUTE, 99, []) is None
    assert integrity.out_of_order([], 11, []) is None


def test_visit_flags_carries_the_order_flag():
    now = datetime.now(UTC)
    flag = integrity.out_of_order(ROUTE, 13, [11])
    flags = integrity.visit_flags(scanned_at=now, finished_at=now, received_at=now, photos=[], other_scans=[],
                                  order=flag)
    assert [f.code for f in flags] == ["out_of_order"]
    assert integrity.visit_flags(scanned_at=now, finished_at=now, received_at=now, photos=[],
                                 other_scans=[]) == []
