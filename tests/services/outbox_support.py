"""Outbox files shaped exactly like the field app's "Export waiting items"
(pwa/js/app.js exportWaiting; docs/field-app.md), for the import tests."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import UTC, datetime

from server.db.tables import AuditLog, Incident, Photo, Visit
from tests.factories import World, visit_body
from tests.photos.conftest import encode, synthetic_photo

HEADERS = {"X-Rounds-Client": "pwa"}


def photo_item(parent: str, data: bytes, *, item: str | None = "floor", sha: str | None = None,
               parent_kind: str = "visit") -> dict:
    uid = str(uuid.uuid4())
    sha = sha or hashlib.sha256(data).hexdigest()
    captured = datetime.now(UTC).isoformat()
    query = {parent_kind: parent, "captured_at": captured}
    if item:
        query["item"] = item
    return {
        "uuid": uid, "kind": "photo", "state": "saved", "created_at": captured, "attempts": 0, "error": None,
        "parent": parent, "parent_kind": parent_kind, "item": item, "captured_at": captured, "sha256": sha,
        "content_type": "image/jpeg", "size_bytes": len(data),
        "request": {"method": "PUT", "path": f"/api/v1/photos/{uid}", "query": query,
                    "headers": {"Content-Type": "image/jpeg", "X-Content-SHA256": sha, **HEADERS},
                    "body_base64": base64.b64encode(data).decode()},
    }


def json_item(kind: str, body: dict, uid: str | None = None, *, state: str = "saved", error: dict | None = None) -> dict:
    uid = uid or str(uuid.uuid4())
    path = {"visit": "visits", "incident": "incidents", "fix": "fixes"}[kind]
    return {
        "uuid": uid, "kind": kind, "state": state, "created_at": datetime.now(UTC).isoformat(),
        "attempts": 1 if error else 0, "error": error,
        "request": {"method": "PUT", "path": f"/api/v1/{path}/{uid}", "query": {},
                    "headers": {"Content-Type": "application/json", **HEADERS}, "body": body},
    }


def outbox_file(user_id: int, username: str, items: list[dict]) -> bytes:
    doc = {
        "format": "rounds-outbox/1", "exported_at": datetime.now(UTC).isoformat(), "app_version": "test",
        "device_id": "d-test", "origin": "http://testserver.local", "user": {"id": user_id, "username": username},
        "count": len(items), "items": items,
    }
    return json.dumps(doc, ensure_ascii=False).encode()


def failed_visit_with_photo(world: World, seed: int = 1) -> tuple[list[dict], str, str]:
    """A visit whose floor item failed, with its note and photo: [photo, visit]."""
    visit_uuid = str(uuid.uuid4())
    photo = photo_item(visit_uuid, encode(synthetic_photo(seed), "JPEG"))
    body = visit_body(world, answers=[
        {"item": "floor", "value": "fail", "note": "litter", "photos": [photo["uuid"]]},
        {"item": "smell", "value": True},
    ])
    return [photo, json_item("visit", body, visit_uuid)], visit_uuid, photo["uuid"]


async def counts() -> dict[str, int]:
    return {
        "visit": await Visit.count().run(),
        "photo": await Photo.count().run(),
        "incident": await Incident.count().run(),
        "audit_import": await AuditLog.count().where(AuditLog.action == "outbox.import").run(),
    }
