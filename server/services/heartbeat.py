"""Device heartbeats: the phone says "I am online, and this is what I still
have to send" when it fetches the pack or asks for its sync status. The today
board uses the latest one per device to tell "pending sync" from "missed"."""

from __future__ import annotations

from datetime import datetime

from server.db import engine as db
from server.db.tables import DeviceSeen
from server.domain.errors import RoundsError
from server.domain.text import refuse_nul
from server.lib.clock import now
from server.services.accounts import CurrentUser

MAX_DEVICE_ID = 64
MAX_PENDING = 1_000_000
MAX_SKEW = 2**31 - 1


def _time(value: object, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise RoundsError("invalid_time", {"field": field})
    return parsed


def _count(value: object, field: str) -> int:
    if value is None:
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON has one number type: 3.0 is the integer 3
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_PENDING:
        raise RoundsError("malformed_body", {"field": field})
    return value


def parse(body: dict) -> dict | None:
    """The heartbeat part of a sync-status body, or None when it has no device_id.
    Fields: device_id, pending {visits, photos, oldest_scanned_at}, device_time."""
    refuse_nul(body)
    device_id = body.get("device_id")
    if device_id is None:
        return None
    if not isinstance(device_id, str) or not device_id.strip() or len(device_id) > MAX_DEVICE_ID:
        raise RoundsError("malformed_body", {"field": "device_id"})
    pending = body.get("pending") or {}
    if not isinstance(pending, dict):
        raise RoundsError("malformed_body", {"field": "pending"})
    return {
        "device_id": device_id.strip(),
        "pending_visits": _count(pending.get("visits"), "pending.visits"),
        "pending_photos": _count(pending.get("photos"), "pending.photos"),
        "oldest_pending_at": _time(pending.get("oldest_scanned_at"), "pending.oldest_scanned_at"),
        "device_time": _time(body.get("device_time"), "device_time"),
    }


async def record(user: CurrentUser, beat: dict, *, source: str) -> None:
    at = now()
    skew = None
    if beat.get("device_time") is not None:
        skew = int((beat["device_time"] - at).total_seconds())
        # A reset phone clock can be centuries off; the column is 32-bit and
        # anything near its limit (68 years) already reads "far off".
        skew = max(-MAX_SKEW, min(MAX_SKEW, skew))
    values = {
        DeviceSeen.last_seen: at,
        DeviceSeen.source: source,
        DeviceSeen.pending_visits: beat.get("pending_visits", 0),
        DeviceSeen.pending_photos: beat.get("pending_photos", 0),
        DeviceSeen.oldest_pending_at: beat.get("oldest_pending_at"),
    }
    if skew is not None:
        values[DeviceSeen.clock_skew_seconds] = skew
    where = (DeviceSeen.user == user.id) & (DeviceSeen.device_id == beat["device_id"])
    for _ in range(2):
        existing = await DeviceSeen.select(DeviceSeen.id).where(where).first().run()
        if existing is not None:
            await DeviceSeen.update(values).where(DeviceSeen.id == existing["id"]).run()
            return
        try:
            async with db.transaction():
                await DeviceSeen.insert(DeviceSeen(
                    user=user.id, device_id=beat["device_id"],
                    **{col._meta.name: v for col, v in values.items()},
                )).run()
            return
        except Exception as exc:
            if not db.is_unique_violation(exc):
                raise  # a concurrent first heartbeat of this device won: update it


async def from_pack(user: CurrentUser, device_id: str | None) -> None:
    """A pack fetch with the X-Rounds-Device header: the device is online now."""
    if not device_id:
        return
    if len(device_id) > MAX_DEVICE_ID:
        raise RoundsError("malformed_body", {"header": "X-Rounds-Device"})
    refuse_nul(device_id, "X-Rounds-Device")
    existing = await DeviceSeen.select(
        DeviceSeen.pending_visits, DeviceSeen.pending_photos, DeviceSeen.oldest_pending_at).where(
        (DeviceSeen.user == user.id) & (DeviceSeen.device_id == device_id)).first().run()
    # A pack fetch says nothing about the outbox: keep what the last status said.
    beat = {"device_id": device_id,
            "pending_visits": existing["pending_visits"] if existing else 0,
            "pending_photos": existing["pending_photos"] if existing else 0,
            "oldest_pending_at": existing["oldest_pending_at"] if existing else None}
    await record(user, beat, source="pack")
