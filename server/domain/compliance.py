"""Round compliance: the state of every occurrence of a day at a moment `now`.

Pure: the caller gives the occurrences (from schedule.py), the visits that
counted for them and the latest heartbeat of each device; this module says
done / late / in_progress / due / upcoming / missed / pending_sync.

States, for one occurrence of a round with checkpoints C:
- done: every checkpoint of C has a visit counted for the occurrence, all on time;
- late: complete, but at least one visit was scanned in the grace time;
- in_progress: some checkpoints visited and the grace time is still running;
- due: started, nothing visited yet, grace time still running;
- upcoming: not started;
- pending_sync: the grace time is over and the occurrence is not complete, but a
  device of someone who walks this round may still hold the work (see
  `device_may_hold`): not a "missed" alarm yet;
- missed: the grace time is over, not complete, and no device may still hold it.

A visit counts by its device scan time (scanned_at), never by when it reached
the server, so a round walked offline and synced hours later is done, not late.

`device_may_hold` — a device may still hold unsynced work for [start, grace_end)
when its latest heartbeat says either
1. it was seen during the window and not since (it went offline in the window), or
2. it was seen shortly before the window (at most `PendingRule.lead` before the
   start: it fetched its pack for the shift) and not since — a phone offline
   through the whole window may have walked it; or
3. it was seen after the window and still had visits waiting to sync, the oldest
   of them scanned before the window's grace end.
A device seen after the window with nothing pending has sent all it had, so the
occurrence is missed. The benefit of the doubt lasts `PendingRule.cutoff` after
the grace end (the end of a shift, by default); after that an occurrence nobody
synced is missed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

STATES = ("done", "late", "in_progress", "due", "upcoming", "pending_sync", "missed")
COMPLETE = ("done", "late")
PENDING_SYNC_LEAD = timedelta(hours=12)
PENDING_SYNC_LIMIT = timedelta(hours=12)

# Minimums of the trade (DOMAIN.md): team leads walk at least 4 rounds a day,
# inspectors make at least one spot check a day.
ROUNDS_PER_DAY = {"team_lead": 4}
SPOT_CHECKS_PER_DAY = {"inspector": 1}


@dataclass(frozen=True)
class Slot:
    """One occurrence of a round to be judged."""

    round_id: int
    key: str  # occurrence key "2026-11-22#2"
    start: datetime
    end: datetime
    grace_end: datetime
    checkpoints: frozenset[int]  # location ids
    walkers: frozenset[int] = frozenset()  # users expected to walk it (assignee / role)


@dataclass(frozen=True)
class VisitFact:
    round_id: int | None
    occurrence: str | None
    location_id: int
    user_id: int
    kind: str
    timing: str  # on_time | late | outside | ""
    scanned_at: datetime
    received_at: datetime


@dataclass(frozen=True)
class Heartbeat:
    user_id: int
    device_id: str
    last_seen: datetime
    pending_visits: int = 0
    oldest_pending_at: datetime | None = None


@dataclass
class SlotState:
    slot: Slot
    state: str
    visited: int
    required: int
    walkers: list[int] = field(default_factory=list)  # who scanned, most scans first
    synced_late: bool = False  # some visit reached the server after the grace end
    pending_devices: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.state in COMPLETE


@dataclass(frozen=True)
class PendingRule:
    """How much benefit of the doubt a silent phone gets (settings
    PENDING_SYNC_LEAD_HOURS / PENDING_SYNC_CUTOFF_HOURS)."""

    lead: timedelta = PENDING_SYNC_LEAD  # seen at most this long before the window opened
    cutoff: timedelta = PENDING_SYNC_LIMIT  # after grace end + this, unsynced means missed

    @classmethod
    def hours(cls, lead: float, cutoff: float) -> PendingRule:
        return cls(timedelta(hours=lead), timedelta(hours=cutoff))


DEFAULT_PENDING = PendingRule()


def device_may_hold(beat: Heartbeat, start: datetime, grace_end: datetime, now: datetime,
                    rule: PendingRule = DEFAULT_PENDING) -> bool:
    if now >= grace_end + rule.cutoff:
        return False
    if start <= beat.last_seen < grace_end:
        return True
    if start - rule.lead <= beat.last_seen < start:
        return True
    if beat.last_seen >= grace_end and beat.pending_visits > 0:
        return beat.oldest_pending_at is None or beat.oldest_pending_at < grace_end
    return False


def classify(slot: Slot, visits: list[VisitFact], beats: list[Heartbeat], now: datetime,
             rule: PendingRule = DEFAULT_PENDING) -> SlotState:
    """The state of one occurrence. `visits` are those counted for it (same
    round and occurrence key); `beats` the latest heartbeat of every device."""
    mine = [v for v in visits if v.round_id == slot.round_id and v.occurrence == slot.key]
    seen = {v.location_id for v in mine} & slot.checkpoints
    required = len(slot.checkpoints) or 1
    visited = len(seen) if slot.checkpoints else min(1, len(mine))
    walkers = [u for u, _ in Counter(v.user_id for v in mine).most_common()]
    synced_late = any(v.received_at >= slot.grace_end for v in mine)
    out = SlotState(slot, "", visited, required, walkers, synced_late)
    if visited >= required:
        out.state = "late" if any(v.timing == "late" for v in mine) else "done"
        return out
    if now < slot.start:
        out.state = "upcoming"
        return out
    if now < slot.grace_end:
        out.state = "in_progress" if visited else "due"
        return out
    expected = slot.walkers | set(walkers)
    holding = [
        b.device_id for b in beats
        if b.user_id in expected and device_may_hold(b, slot.start, slot.grace_end, now, rule)
    ]
    out.pending_devices = sorted(set(holding))
    out.state = "pending_sync" if holding else "missed"
    return out


def classify_all(slots: list[Slot], visits: list[VisitFact], beats: list[Heartbeat], now: datetime,
                 rule: PendingRule = DEFAULT_PENDING) -> list[SlotState]:
    by_occ: dict[tuple[int, str], list[VisitFact]] = defaultdict(list)
    for v in visits:
        if v.round_id is not None and v.occurrence:
            by_occ[(v.round_id, v.occurrence)].append(v)
    return [classify(s, by_occ.get((s.round_id, s.key), []), beats, now, rule) for s in slots]


def counts(states: list[SlotState]) -> dict[str, int]:
    out = dict.fromkeys(STATES, 0)
    for s in states:
        out[s.state] += 1
    return out


@dataclass
class Tally:
    """Rounds done against rounds required, for a department or a person."""

    done: int = 0
    required: int = 0
    missed: int = 0
    spot_checks: int = 0
    spot_checks_required: int = 0

    @property
    def ok(self) -> bool:
        return self.done >= self.required and self.spot_checks >= self.spot_checks_required


def department_tallies(states: list[SlotState], department_of: dict[int, str]) -> dict[str, Tally]:
    """Per department: occurrences complete vs occurrences of the day."""
    out: dict[str, Tally] = defaultdict(Tally)
    for s in states:
        t = out[department_of.get(s.slot.round_id, "")]
        t.required += 1
        t.done += s.complete
        t.missed += s.state == "missed"
    return dict(out)


def person_tallies(
    states: list[SlotState],
    roles: dict[int, str],
    assigned: dict[int, int],
    spot_checks: dict[int, int],
) -> dict[int, Tally]:
    """Per person: occurrences they completed (credited to whoever scanned most
    of it) vs what they must do: the role minimum or the occurrences of rounds
    assigned to them, whichever is more; spot checks done vs the role minimum.
    `assigned`: user -> occurrences of the day on rounds assigned to them;
    `spot_checks`: user -> spot-check visits of the day."""
    out: dict[int, Tally] = {}
    for uid, role in roles.items():
        out[uid] = Tally(
            required=max(ROUNDS_PER_DAY.get(role, 0), assigned.get(uid, 0)),
            spot_checks=spot_checks.get(uid, 0),
            spot_checks_required=SPOT_CHECKS_PER_DAY.get(role, 0),
        )
    for s in states:
        if s.complete and s.walkers and s.walkers[0] in out:
            out[s.walkers[0]].done += 1
    return out
