"""The `rounds-outbox/1` file a phone exports as a last resort ("Export waiting
items" in the field app; shape in docs/field-app.md). Reading it is all or
nothing: a file that does not have the shape is refused before anything is
replayed, with the item and field that are wrong."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from server.domain.errors import RoundsError
from server.lib import json_depth

FORMAT = "rounds-outbox/1"
KINDS = {"visit": "visits", "incident": "incidents", "fix": "fixes", "photo": "photos"}
MAX_ITEMS = 5000
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class OutboxItem:
    """One waiting request, as the phone would have sent it."""

    index: int
    uuid: str
    kind: str  # visit | incident | fix | photo
    created_at: str
    recorded_at: str  # the phone's own time of the thing (scanned, occurred, captured)
    body: dict | None = None  # visit, incident or fix JSON
    data: bytes | None = None  # photo bytes; None when the phone no longer had them
    sha256: str | None = None
    content_type: str = ""
    visit: str | None = None
    incident: str | None = None
    fix: str | None = None
    item: str | None = None
    captured_at: str | None = None
    phone_error: dict | None = None


@dataclass(frozen=True)
class OutboxFile:
    user_id: int
    username: str
    device_id: str
    exported_at: str
    app_version: str
    items: list[OutboxItem]


def _bad(reason: str, index: int | None = None, field: str | None = None) -> RoundsError:
    detail: dict[str, Any] = {"reason": reason}
    if index is not None:
        detail["index"] = index
    if field is not None:
        detail["field"] = field
    return RoundsError("invalid_outbox_file", detail)


def _text(value: Any, limit: int = 200) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _header(headers: dict, name: str) -> str | None:
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == name.lower() and isinstance(value, str):
            return value
    return None


def _item(index: int, raw: Any) -> OutboxItem:
    if not isinstance(raw, dict):
        raise _bad("item is not an object", index)
    uid, kind = raw.get("uuid"), raw.get("kind")
    if not isinstance(uid, str) or not _UUID.match(uid):
        raise _bad("uuid is not a UUID", index, "uuid")
    if kind not in KINDS:
        raise _bad("kind must be visit, incident, fix or photo", index, "kind")
    request = raw.get("request")
    if not isinstance(request, dict):
        raise _bad("request is missing", index, "request")
    if request.get("method") != "PUT":
        raise _bad("request method must be PUT", index, "request.method")
    if request.get("path") != f"/api/v1/{KINDS[kind]}/{uid}":
        raise _bad("request path does not match the item", index, "request.path")
    headers = request.get("headers") if isinstance(request.get("headers"), dict) else {}
    query = request.get("query") if isinstance(request.get("query"), dict) else {}
    if any(not isinstance(v, str) for v in query.values()):
        raise _bad("query values must be text", index, "request.query")
    error = raw.get("error") if isinstance(raw.get("error"), dict) else None
    common = {"index": index, "uuid": uid.lower(), "kind": kind, "created_at": _text(raw.get("created_at"), 40),
              "phone_error": error}
    if kind == "photo":
        encoded = request.get("body_base64")
        data = None
        if encoded is not None:
            if not isinstance(encoded, str):
                raise _bad("body_base64 must be text", index, "request.body_base64")
            try:
                data = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise _bad("body_base64 is not base64", index, "request.body_base64") from None
        return OutboxItem(
            **common, recorded_at=query.get("captured_at") or _text(raw.get("captured_at"), 40), data=data,
            sha256=_header(headers, "X-Content-SHA256") or _text(raw.get("sha256"), 64) or None,
            content_type=_header(headers, "Content-Type") or _text(raw.get("content_type"), 64),
            visit=query.get("visit"), incident=query.get("incident"), fix=query.get("fix"), item=query.get("item"),
            captured_at=query.get("captured_at"))
    body = request.get("body")
    if not isinstance(body, dict):
        raise _bad("request body must be an object", index, "request.body")
    when = body.get({"visit": "scanned_at", "fix": "fixed_at"}.get(kind, "occurred_at"))
    return OutboxItem(**common, recorded_at=_text(when, 40), body=body)


def parse_outbox(raw: bytes) -> OutboxFile:
    """The file's bytes → OutboxFile, or RoundsError("invalid_outbox_file")."""
    try:
        doc = json_depth.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise _bad("not JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _bad(f"format is not {FORMAT}", field="format")
    user = doc.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), int) or isinstance(user.get("id"), bool) \
            or not isinstance(user.get("username"), str) or not user["username"]:
        raise _bad("user must have an id and a username", field="user")
    items = doc.get("items")
    if not isinstance(items, list):
        raise _bad("items must be a list", field="items")
    if len(items) > MAX_ITEMS:
        raise _bad(f"more than {MAX_ITEMS} items", field="items")
    parsed = [_item(i, raw_item) for i, raw_item in enumerate(items)]
    seen: set[str] = set()
    for item in parsed:
        if item.uuid in seen:
            raise _bad("the same uuid twice", item.index, "uuid")
        seen.add(item.uuid)
    return OutboxFile(
        user_id=user["id"], username=user["username"].strip().lower(),
        device_id=_text(doc.get("device_id"), 64), exported_at=_text(doc.get("exported_at"), 40),
        app_version=_text(doc.get("app_version"), 40), items=parsed,
    )
