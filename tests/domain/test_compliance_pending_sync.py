"""'Pending sync' vs 'missed': a device that may still hold the round's
visits is not a missed alarm; one that has sent everything is. A phone that
fetched its pack shortly before the window and went silent (offline through
the whole window) is pending until the cut-off, then missed."""

from datetime import UTC, datetime, timedelta

from server.domain import compliance
from server.domain.compliance import (
    PENDING_SYNC_LEAD,
    PENDING_SYNC_LIMIT,
    Heartbeat,
    PendingRule,
    Slot,
    VisitFact,
)

START = datetime(2026, 11, 22, 0, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
GRACE = END + timedelta(minutes=30)
SLOT = Slot(1, "2026-11-22#1", START, END, GRACE, frozenset({1, 2}), frozenset({7}))
AFTER = GRACE + timedelta(hours=2)


def state(beats, at=AFTER, visits=(), rule=compliance.DEFAULT_PENDING):
    return compliance.classify(SLOT, list(visits), beats, at, rule)


def test_no_heartbeat_is_missed():
    assert state([]).state == "missed"


def test_device_seen_in_the_window_and_not_since_is_pending_sync():
    st = state([Heartbeat(7, "phone-a", START + timedelta(minutes=10))])
    assert st.state == "pending_sync" and st.pending_devices == ["phone-a"]


def test_device_seen_after_the_window_with_nothing_pending_is_missed():
    assert state([Heartbeat(7, "phone-a", AFTER - timedelta(minutes=5), pending_visits=0)]).state == "missed"


def test_device_seen_after_the_window_still_holding_visits_from_before_grace_end():
    beat = Heartbeat(7, "phone-a", AFTER - timedelta(minutes=5), pending_visits=3,
                     oldest_pending_at=START + timedelta(minutes=5))
    assert state([beat]).state == "pending_sync"


def test_pending_visits_all_newer_than_the_window_do_not_excuse_it():
    beat = Heartbeat(7, "phone-a", AFTER - timedelta(minutes=5), pending_visits=3,
                     oldest_pending_at=GRACE + timedelta(minutes=1))
    assert state([beat]).state == "missed"


def test_a_phone_silent_since_shortly_before_the_window_is_pending_sync():
    # It fetched its pack at the start of the shift and has been offline since.
    beat = Heartbeat(7, "phone-a", START - timedelta(hours=2))
    st = state([beat])
    assert st.state == "pending_sync" and st.pending_devices == ["phone-a"]
    assert state([Heartbeat(7, "phone-a", START - PENDING_SYNC_LEAD)]).state == "pending_sync"


def test_a_phone_last_seen_long_before_the_window_is_missed():
    beat = Heartbeat(7, "phone-a", START - PENDING_SYNC_LEAD - timedelta(seconds=1))
    assert state([beat]).state == "missed"


def test_the_silent_phone_is_missed_after_the_cut_off():
    beat = Heartbeat(7, "phone-a", START - timedelta(hours=1))
    assert state([beat], at=GRACE + PENDING_SYNC_LIMIT - timedelta(seconds=1)).state == "pending_sync"
    assert state([beat], at=GRACE + PENDING_SYNC_LIMIT).state == "missed"


def test_lead_and_cut_off_are_configurable():
    beat = Heartbeat(7, "phone-a", START - timedelta(hours=3))
    short = PendingRule.hours(lead=2, cutoff=1)
    assert state([beat], rule=short).state == "missed"  # seen too long before the window for this rule
    near = Heartbeat(7, "phone-a", START - timedelta(hours=1))
    assert state([near], at=GRACE + timedelta(minutes=59), rule=short).state == "pending_sync"
    assert state([near], at=GRACE + timedelta(hours=1), rule=short).state == "missed"
    assert state([beat], rule=PendingRule.hours(lead=0, cutoff=12)).state == "missed"


def test_only_devices_of_people_who_walk_the_round_count():
    assert state([Heartbeat(99, "someone-else", START + timedelta(minutes=10))]).state == "missed"


def test_a_partial_walker_counts_even_if_not_assigned():
    v = VisitFact(1, SLOT.key, 1, 42, "patrol", "on_time", START + timedelta(minutes=5), START + timedelta(minutes=6))
    beat = Heartbeat(42, "phone-b", START + timedelta(minutes=20))
    assert state([beat], visits=[v]).state == "pending_sync"


def test_the_benefit_of_the_doubt_runs_out():
    beat = Heartbeat(7, "phone-a", START + timedelta(minutes=10))
    assert state([beat], at=GRACE + PENDING_SYNC_LIMIT - timedelta(seconds=1)).state == "pending_sync"
    assert state([beat], at=GRACE + PENDING_SYNC_LIMIT).state == "missed"


def test_while_the_grace_time_runs_it_is_due_not_pending():
    assert state([Heartbeat(7, "phone-a", START + timedelta(minutes=10))], at=END).state == "due"
