"""Integrity flags a supervisor sees on a visit. Pure: the caller gives the
visit's times, its photos' stored flags, the user's other scans of the same
label around it and the device's measured clock offset.

Rules (docs/api.md, "Device heartbeat", says how the offset is measured):
- photo_reused: a photo of the visit carries `reused_exact` or `reused_near`
  (set by the photo pipeline when the same or a near-identical image was
  already submitted for another visit).
- double_scan: the same user scanned the same location again less than
  DOUBLE_SCAN_SECONDS before or after this visit (padding counts by re-scanning
  one label).
- spot_check_disagreed: an inspector's spot check (抽查) of this visit found
  otherwise on at least one item; it counts against the visit.
- clock_skew: the device clock was more than CLOCK_SKEW_MINUTES off the server.
  Offline delivery makes "received long after finished" normal, so that gap
  alone proves nothing. Two signals are used instead:
  1. the offset the device itself reported in its last heartbeat
     (`device_time` in POST /api/v1/sync/status, compared with the server clock
     at that moment, so it holds however late the visit arrives);
  2. a visit that says it finished after the server received it: impossible
     with a right clock, whatever the network did.
- out_of_order: on a round whose checkpoints go in order, the visit was
  scanned while an earlier checkpoint of the route was still not done by the
  same person in the same occurrence (the field app shows "next checkpoint").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DOUBLE_SCAN_SECONDS = 60
CLOCK_SKEW_MINUTES = 5
FLAGS = ("photo_reused", "double_scan", "clock_skew", "out_of_order", "spot_check_disagreed")


@dataclass(frozen=True)
class Flag:
    code: str  # one of FLAGS
    detail: dict


def photo_flags(photos: list[dict]) -> list[Flag]:
    out = []
    for p in photos:
        flags = p.get("flags") or {}
        kinds = [k for k in ("reused_exact", "reused_near") if flags.get(k)]
        if kinds:
            others = [o.get("visit") for k in kinds for o in flags[k] if o.get("visit")]
            out.append(Flag("photo_reused", {"photo": str(p.get("client_uuid")), "kinds": kinds,
                                             "other_visits": sorted(set(others))}))
    return out


def double_scan(scanned_at: datetime, other_scans: list[datetime]) -> Flag | None:
    """`other_scans`: scanned_at of the same user's other visits at this location."""
    window = timedelta(seconds=DOUBLE_SCAN_SECONDS)
    close = sorted(t for t in other_scans if abs(t - scanned_at) < window)
    if not close:
        return None
    gap = min(abs((t - scanned_at).total_seconds()) for t in close)
    return Flag("double_scan", {"count": len(close), "seconds": int(gap)})


def clock_skew(finished_at: datetime, received_at: datetime, reported_skew_seconds: int | None) -> Flag | None:
    limit = CLOCK_SKEW_MINUTES * 60
    if reported_skew_seconds is not None and abs(reported_skew_seconds) > limit:
        return Flag("clock_skew", {"seconds": reported_skew_seconds, "source": "heartbeat"})
    ahead = (finished_at - received_at).total_seconds()
    if ahead > limit:
        return Flag("clock_skew", {"seconds": int(ahead), "source": "finished_after_received"})
    return None


def out_of_order(route: list[int], location: int, done_before: list[int]) -> Flag | None:
    """`route`: the location ids of an ordered round in walking order;
    `done_before`: the locations of the route the same person visited earlier
    in the same occurrence. A revisit, or a location not on the route, is not
    this flag's business (double_scan covers the first)."""
    if location not in route or location in done_before:
        return None
    done = set(done_before)
    expected = next((loc for loc in route if loc not in done), None)
    if expected is None or expected == location:
        return None
    at = route.index(location)
    skipped = [loc for loc in route[:at] if loc not in done]
    return Flag("out_of_order", {"expected": expected, "expected_position": route.index(expected) + 1,
                                 "position": at + 1, "skipped": skipped})


def spot_check_disagreed(visit_id: int, assignments: list[dict]) -> list[Flag]:
    """`assignments`: spot-check assignments naming the visit (as original or
    as the spot check itself); only done ones that disagreed on this visit count."""
    return [Flag("spot_check_disagreed", {"assignment": a["id"], "day": str(a["day"]),
                                          "items": len(a.get("disagreements") or [])})
            for a in assignments if a["original_visit"] == visit_id and a["outcome"] == "disagree"]


def visit_flags(
    *,
    scanned_at: datetime,
    finished_at: datetime,
    received_at: datetime,
    photos: list[dict],
    other_scans: list[datetime],
    reported_skew_seconds: int | None = None,
    order: Flag | None = None,
) -> list[Flag]:
    """`order`: the out_of_order flag, when the visit belongs to an ordered round."""
    out = photo_flags(photos)
    for flag in (double_scan(scanned_at, other_scans),
                 clock_skew(finished_at, received_at, reported_skew_seconds), order):
        if flag is not None:
            out.append(flag)
    return out
