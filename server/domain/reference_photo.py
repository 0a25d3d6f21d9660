"""Reference photos ("what good looks like") of checklist items.

An item's `reference_photo` names an image an admin uploaded in the checklist
editor: the SHA-256 of the uploaded bytes (64 hex digits). The image itself is
kept as metadata-free WebP derivatives in blob storage (see
server/services/setup_reference_photos.py) and served at a stable URL, so the
field app can cache it for offline use and a published version keeps pointing
at the same picture. Older items may hold a link (https://... or /...) typed by
hand, or a submitted photo's UUID; those are passed through as they are."""

from __future__ import annotations

import re
import uuid

_STORED = re.compile(r"[0-9a-f]{64}")
SIZES = ("display", "thumb")
URL_PREFIX = "/api/v1/reference-photos/"


def is_stored(ref: object) -> bool:
    """Whether `ref` names an uploaded reference photo."""
    return isinstance(ref, str) and bool(_STORED.fullmatch(ref))


def url(ref: str, size: str = "display") -> str:
    """The stable URL of an uploaded reference photo."""
    if not is_stored(ref) or size not in SIZES:
        raise ValueError("not a stored reference photo")
    return f"{URL_PREFIX}{ref}{'-thumb' if size == 'thumb' else ''}.webp"


def parse_name(name: str) -> tuple[str, str] | None:
    """"<sha>.webp" / "<sha>-thumb.webp" -> (ref, size); anything else None."""
    m = re.fullmatch(r"([0-9a-f]{64})(-thumb)?\.webp", name)
    if m is None:
        return None
    return m[1], "thumb" if m[2] else "display"


def with_urls(items: list[dict]) -> list[dict]:
    """Items as the field app receives them: an uploaded reference photo gets
    `reference_photo_url` beside its id (the item itself is not changed)."""
    out = []
    for item in items:
        ref = item.get("reference_photo")
        out.append({**item, "reference_photo_url": url(ref)} if is_stored(ref) else item)
    return out


def refs_of(items: list[dict]) -> list[str]:
    """The uploaded reference photos a list of items uses, in order, once each."""
    return list(dict.fromkeys(i["reference_photo"] for i in items if is_stored(i.get("reference_photo"))))


def photo_uuid(ref: object) -> str | None:
    """The submitted photo an (older) item's reference names by UUID, canonical
    form; None for anything else. Such a photo must be one of the template's
    own site: a reference shown on a review screen must not open another
    site's evidence."""
    if not isinstance(ref, str) or is_stored(ref):
        return None
    try:
        return str(uuid.UUID(ref.strip()))
    except ValueError:
        return None
