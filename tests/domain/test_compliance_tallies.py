"""Rounds done vs required per department and per person."""

from datetime import UTC, datetime, timedelta

from server.domain import compliance
from server.domain.compliance import Slot, SlotState


def st(rid: int, state: str, walkers=()) -> SlotState:
    t = datetime(2026, 11, 22, tzinfo=UTC)
    slot = Slot(rid, f"2026-11-22#{rid}", t, t + timedelta(hours=1), t + timedelta(hours=1), frozenset({1}))
    return SlotState(slot, state, 1 if state in ("done", "late") else 0, 1, list(walkers))


def test_department_tally():
    states = [st(1, "done"), st(1, "missed"), st(2, "late"), st(2, "upcoming")]
    got = compliance.department_tallies(states, {1: "cleaning", 2: "security"})
    assert (got["cleaning"].done, got["cleaning"].required, got["cleaning"].missed) == (1, 2, 1)
    assert (got["security"].done, got["security"].required) == (1, 2)


def test_team_lead_needs_four_and_inspector_one_spot_check():
    states = [st(1, "done", [5]), st(1, "late", [5, 6]), st(1, "missed", [5]), st(1, "done", [6])]
    got = compliance.person_tallies(states, {5: "team_lead", 6: "guard", 8: "inspector"},
                                    assigned={6: 3}, spot_checks={8: 1})
    assert (got[5].done, got[5].required, got[5].ok) == (2, 4, False)
    assert (got[6].done, got[6].required) == (1, 3)
    assert got[8].spot_checks == 1 and got[8].spot_checks_required == 1 and got[8].ok
    assert not compliance.person_tallies([], {8: "inspector"}, {}, {})[8].ok
