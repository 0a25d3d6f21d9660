from piccolo.columns import (
    JSON,
    UUID,
    BigInt,
    Boolean,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.db.tables.checklists import TemplateVersion
from server.db.tables.people import User
from server.db.tables.rounds import Round
from server.db.tables.sites import Location, Site, Tag


class Visit(Table, tablename="visit"):
    """One scan and its checklist: an immutable fact recorded on a phone."""

    client_uuid = UUID(unique=True)
    fingerprint = Varchar(length=64)  # sha256 of the canonical request body
    user = ForeignKey(User, null=False, on_delete=OnDelete.restrict, index=True)
    site = ForeignKey(Site, null=False, on_delete=OnDelete.restrict, index=True)
    location = ForeignKey(Location, null=False, on_delete=OnDelete.restrict, index=True)
    tag = ForeignKey(Tag, null=True, on_delete=OnDelete.restrict)
    template_version = ForeignKey(TemplateVersion, null=False, on_delete=OnDelete.restrict)
    round = ForeignKey(Round, null=True, on_delete=OnDelete.restrict, index=True)
    occurrence = Varchar(length=32, null=True, default=None)  # "2026-11-22#2"
    timing = Varchar(length=12, default="")  # on_time | late | outside | ""
    kind = Varchar(length=16)  # self_check | patrol | spot_check | joint
    scan_method = Varchar(length=8, default="scan")  # scan | link | typed
    scanned_at = Timestamptz()  # device clock
    finished_at = Timestamptz()  # device clock
    received_at = Timestamptz(index=True)  # server clock
    device_id = Varchar(length=64, default="")
    note = Text(default="")
    failed_count = Integer(default=0)
    points_earned = Integer(default=0)
    points_possible = Integer(default=0)


class Answer(Table, tablename="answer"):
    visit = ForeignKey(Visit, null=False, on_delete=OnDelete.restrict, index=True)
    item_id = Varchar(length=32)  # unique with visit
    kind = Varchar(length=16)
    value = JSON(null=True, default=None)
    failed = Boolean(default=False)
    note = Text(default="")
    photos = JSON(default="[]")  # photo client UUIDs
    points = Integer(default=0)


class Photo(Table, tablename="photo"):
    """A photo's original bytes are evidence: stored unaltered under storage_key."""

    client_uuid = UUID(unique=True)
    user = ForeignKey(User, null=False, on_delete=OnDelete.restrict, index=True)
    # Linked by the phone's UUIDs: a photo may arrive before its visit.
    visit_uuid = UUID(null=True, default=None, index=True)
    incident_uuid = UUID(null=True, default=None, index=True)
    fix_uuid = UUID(null=True, default=None, index=True)  # a finding's fix (FindingEvent.client_uuid)
    item_id = Varchar(length=32, default="")
    sha256 = Varchar(length=64, index=True)
    size_bytes = BigInt()
    content_type = Varchar(length=64, default="")
    format = Varchar(length=8, default="")
    width = Integer(null=True, default=None)
    height = Integer(null=True, default=None)
    storage_key = Varchar(length=200)
    display_key = Varchar(length=200, default="")
    thumb_key = Varchar(length=200, default="")
    phash = BigInt(null=True, default=None)
    # phash cut in 16-bit quarters (photos/hashing.py, multi-index hashing):
    # indexed, so a near-copy lookup reads a few rows, not every recent photo.
    phash_q0 = Integer(null=True, default=None, index=True)
    phash_q1 = Integer(null=True, default=None, index=True)
    phash_q2 = Integer(null=True, default=None, index=True)
    phash_q3 = Integer(null=True, default=None, index=True)
    captured_at = Timestamptz(null=True, default=None)  # device clock
    exif_captured_at = Varchar(length=40, null=True, default=None)  # as the camera wrote it
    received_at = Timestamptz()
    flags = JSON(default="{}")  # integrity flags: reuse of an earlier photo, ...


class Finding(Table, tablename="finding"):
    """A failed item. Open until fixed on the spot or rectified and re-inspected."""

    visit = ForeignKey(Visit, null=False, on_delete=OnDelete.restrict, index=True)
    item_id = Varchar(length=32)  # unique with visit
    site = ForeignKey(Site, null=False, on_delete=OnDelete.restrict, index=True)
    location = ForeignKey(Location, null=False, on_delete=OnDelete.restrict, index=True)
    status = Varchar(length=16, default="open")  # open | fixed | rectifying | closed
    owner = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    deadline = Timestamptz(null=True, default=None)
    created_at = Timestamptz(index=True)
    closed_at = Timestamptz(null=True, default=None)


class Incident(Table, tablename="incident"):
    client_uuid = UUID(unique=True)
    fingerprint = Varchar(length=64)
    user = ForeignKey(User, null=False, on_delete=OnDelete.restrict, index=True)
    site = ForeignKey(Site, null=False, on_delete=OnDelete.restrict, index=True)
    location = ForeignKey(Location, null=True, on_delete=OnDelete.restrict)
    kind = Varchar(length=24)
    note = Text(default="")
    photos = JSON(default="[]")
    occurred_at = Timestamptz()
    received_at = Timestamptz(index=True)
    device_id = Varchar(length=64, default="")
