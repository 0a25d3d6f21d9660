"""Supervision records. A visit is an immutable fact; everything a supervisor
or inspector does about it is a new row here that points at it."""

from piccolo.columns import (
    JSON,
    UUID,
    Date,
    Float,
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
from server.db.tables.sites import Location, Site
from server.db.tables.visits import Finding, Visit


class DeviceSeen(Table, tablename="device_seen"):
    """The latest heartbeat of a phone (unique per user + device): when it was
    last online, what it still had to send, and its clock offset."""

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    device_id = Varchar(length=64)
    last_seen = Timestamptz(index=True)
    source = Varchar(length=16, default="")  # pack | status
    pending_visits = Integer(default=0)
    pending_photos = Integer(default=0)
    oldest_pending_at = Timestamptz(null=True, default=None)  # device clock
    clock_skew_seconds = Integer(null=True, default=None)  # device minus server


class Review(Table, tablename="review"):
    """A verdict on one photo of a visit. A rejection is also a redo task for
    the worker until their next visit at that location resolves it."""

    visit = ForeignKey(Visit, null=False, on_delete=OnDelete.restrict, index=True)
    photo_uuid = UUID(null=True, default=None)  # unique with visit (see migration)
    item_id = Varchar(length=32, default="")
    site = ForeignKey(Site, null=False, on_delete=OnDelete.restrict, index=True)
    location = ForeignKey(Location, null=False, on_delete=OnDelete.restrict)
    template_version = ForeignKey(TemplateVersion, null=False, on_delete=OnDelete.restrict)
    worker = ForeignKey(User, null=False, on_delete=OnDelete.restrict, index=True)
    reviewer = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    verdict = Varchar(length=12)  # approved | rejected
    reason_code = Varchar(length=32, default="")
    note = Text(default="")
    created_at = Timestamptz(index=True)
    resolved_by = ForeignKey(Visit, null=True, on_delete=OnDelete.restrict)
    resolved_at = Timestamptz(null=True, default=None)


class FindingEvent(Table, tablename="finding_event"):
    """The history of a finding: fixed on the spot, rectification opened, fix
    evidence from the owner's phone, each re-inspection (复查) and its result,
    and field visits that saw the item without re-inspecting it."""

    finding = ForeignKey(Finding, null=False, on_delete=OnDelete.restrict, index=True)
    # fixed_on_spot | rectification | fix_submitted | reinspection | field_check
    kind = Varchar(length=24)
    passed = Varchar(length=8, default="")  # "" | yes | no (reinspection / field_check)
    actor = ForeignKey(User, null=True, on_delete=OnDelete.restrict)
    visit = ForeignKey(Visit, null=True, on_delete=OnDelete.restrict)
    owner = ForeignKey(User, null=True, on_delete=OnDelete.restrict)
    deadline = Timestamptz(null=True, default=None)
    photos = JSON(default="[]")
    note = Text(default="")
    created_at = Timestamptz()
    # A fix (from the owner's phone, or on the spot from the console) has a
    # UUID: the phone's idempotency key, and what its photos point at
    # (Photo.fix_uuid). Unique where set (see migration).
    client_uuid = UUID(null=True, default=None)
    fingerprint = Varchar(length=64, default="")
    occurred_at = Timestamptz(null=True, default=None)  # device clock of a phone fix
    device_id = Varchar(length=64, default="")


class SpotCheckAssignment(Table, tablename="spot_check_assignment"):
    """One visit an inspector must re-do on a day (unique per inspector + day +
    original visit), and, once done, how the spot check compared."""

    site = ForeignKey(Site, null=False, on_delete=OnDelete.restrict, index=True)
    inspector = ForeignKey(User, null=False, on_delete=OnDelete.restrict, index=True)
    day = Date()
    original_visit = ForeignKey(Visit, null=False, on_delete=OnDelete.restrict)
    location = ForeignKey(Location, null=False, on_delete=OnDelete.restrict)
    template_version = ForeignKey(TemplateVersion, null=False, on_delete=OnDelete.restrict)
    weight = Float(default=1.0)
    rank = Integer(default=0)
    created_at = Timestamptz()
    spot_visit = ForeignKey(Visit, null=True, on_delete=OnDelete.restrict)
    done_at = Timestamptz(null=True, default=None)
    disagreements = JSON(default="[]")  # [{"item", "original_failed", "spot_failed"}]
    outcome = Varchar(length=12, default="")  # "" | agree | disagree


class ReportSignoff(Table, tablename="report_signoff"):
    """The daily patrol report's sign-off (supervisor) and countersign (manager),
    with the totals as they stood when signed."""

    site = ForeignKey(Site, null=False, on_delete=OnDelete.restrict, index=True)
    day = Date()
    stage = Varchar(length=16)  # signed | countersigned (unique with site + day)
    user = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    signed_at = Timestamptz()
    note = Text(default="")
    totals = JSON(default="{}")
