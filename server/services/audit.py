"""The append-only audit log: who did what, when."""

from __future__ import annotations

from typing import Any

from server.db.tables import AuditLog
from server.lib.clock import now


async def record(
    action: str,
    *,
    actor_id: int | None,
    site_id: int | None = None,
    object_type: str = "",
    object_id: Any = "",
    detail: dict | None = None,
) -> None:
    await AuditLog.insert(
        AuditLog(
            at=now(),
            actor=actor_id,
            site=site_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            detail=detail or {},
        )
    ).run()


async def record_many(entries: list[dict]) -> None:
    """Several entries in one INSERT; each dict holds record()'s arguments."""
    if not entries:
        return
    moment = now()
    await AuditLog.insert(*[
        AuditLog(at=moment, actor=e["actor_id"], site=e.get("site_id"), action=e["action"],
                 object_type=e.get("object_type", ""), object_id=str(e.get("object_id", "")),
                 detail=e.get("detail") or {})
        for e in entries
    ]).run()
