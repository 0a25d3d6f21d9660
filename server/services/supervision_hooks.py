"""What a newly received visit does to supervision records, inside the
visit's own transaction (all or nothing): it resolves the worker's redo tasks
at that place, counts as a re-inspection (or a field check) for
rectifications there, and completes a matching spot-check assignment."""

from __future__ import annotations

from datetime import datetime

from server.services import findings, review, spot_checks


async def concerned_locations(*, user_id: int, location_ids: set[int], kinds: set[str]) -> set[int]:
    """Of a batch's places, those where after_visit() may have something to do
    (asked once per batch, not per visit): the worker has a redo task open
    there, a rectification is open there, or the batch holds spot checks. Each
    condition comes from the module whose hook acts on it."""
    if "spot_check" in kinds:
        return set(location_ids)
    locs = sorted(location_ids)
    return await review.redo_locations(user_id, locs) | await findings.rectifying_locations(locs)


async def after_visit(*, visit_id: int, user_id: int, location_id: int, site_id: int, kind: str,
                      checked: list, at: datetime, role: str = "") -> set[str]:
    """`checked`: the visit's CheckedAnswer list. Returns the failed item ids
    that an open rectification already tracks (no new finding for them)."""
    failed = {a.item_id: a.failed for a in checked}
    photos = {a.item_id: [str(p) for p in a.photos] for a in checked}
    notes = {a.item_id: a.note for a in checked}
    await review.resolve_redos(visit_id, user_id, location_id, at, site_id=site_id)
    consumed = await findings.on_visit(visit_id, user_id, role, location_id, site_id, failed, photos, at, notes)
    await spot_checks.on_visit(visit_id, user_id, location_id, site_id, kind, failed, at)
    return consumed
