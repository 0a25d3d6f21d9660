"""Spot-check sampling: which recent visits an inspector re-does today.

Weighted by risk, without replacement, reproducible from a seed:
    weight = 1 + W_REJECTION * worker's rejection rate
               + W_DISAGREEMENT * worker's spot-check disagreement rate
               + W_FAILURE * location's failure rate
               + W_STALE * min(days since the location was last spot-checked, STALE_CAP) / STALE_CAP
Rates are in [0, 1]; a location never spot-checked counts as STALE_CAP days.
The disagreement rate is the share of the worker's spot-checked visits where
the inspector found otherwise: a worker caught out once is checked more often.
At most one visit per location is taken, so a list covers several places.
The seed makes the list the same on every process and every reload of a day.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

W_REJECTION = 4.0
W_DISAGREEMENT = 5.0
W_FAILURE = 3.0
W_STALE = 2.0
STALE_CAP = 14  # days


@dataclass(frozen=True)
class Candidate:
    visit_id: int
    location_id: int
    worker_rejection_rate: float  # rejected reviews / reviews of the worker
    location_failure_rate: float  # failed visits / visits at the location
    days_since_checked: float | None  # None: never spot-checked
    worker_disagreement_rate: float = 0.0  # disagreeing spot checks / spot checks of the worker's visits


def weight(c: Candidate) -> float:
    def clamp(x: float) -> float:
        return min(1.0, max(0.0, x))

    stale = STALE_CAP if c.days_since_checked is None else min(max(c.days_since_checked, 0.0), STALE_CAP)
    return (1.0 + W_REJECTION * clamp(c.worker_rejection_rate)
            + W_DISAGREEMENT * clamp(c.worker_disagreement_rate)
            + W_FAILURE * clamp(c.location_failure_rate) + W_STALE * stale / STALE_CAP)


def seed_for(*parts: object) -> int:
    """A stable integer seed (Python's hash() of a str differs between processes)."""
    digest = hashlib.sha256("\x00".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def sample(candidates: list[Candidate], k: int, seed: int) -> list[Candidate]:
    """k candidates drawn without replacement with probability proportional to
    weight (Efraimidis–Spirakis keys), one per location, in draw order."""
    rng = random.Random(seed)
    # Sort first so the input order (a database's whim) cannot change the draw.
    ordered = sorted(candidates, key=lambda c: c.visit_id)
    keyed = sorted(((rng.random() ** (1.0 / weight(c)), c) for c in ordered),
                   key=lambda kc: kc[0], reverse=True)
    out: list[Candidate] = []
    places: set[int] = set()
    for _, c in keyed:
        if c.location_id in places:
            continue
        out.append(c)
        places.add(c.location_id)
        if len(out) >= k:
            break
    return out
