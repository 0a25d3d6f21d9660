"""Import of a phone's exported outbox file (`rounds-outbox/1`) on the console.

Each item is replayed as the person who recorded it, through the same ingest
services the phone's own sync uses, so every check applies (the label, the
checklist, the photo's sha256, the user's sites, narrowed to the importer's) and the phone's UUIDs make a
second import, or an import after the phone synced after all, store nothing
twice. The file is checked as a whole before anything is replayed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from server.db.tables import Finding, FindingEvent, Incident, Membership, User, Visit
from server.domain.errors import RoundsError
from server.domain.outbox_file import OutboxFile, OutboxItem, parse_outbox
from server.domain.submission import parse_uuid
from server.services import audit
from server.services.accounts import CurrentUser
from server.services.findings import submit_fix
from server.services.incidents import ingest_incident
from server.services.photos import ingest_photo
from server.services.visits import ingest_visit
from server.storage.base import BlobStore

IMPORTERS = ("admin", "supervisor")
CREATED, HELD, REFUSED = "created", "held", "refused"


@dataclass
class ItemResult:
    item: OutboxItem
    outcome: str  # created | held | refused
    result: dict | None = None  # the stored record's summary, as the phone would have got it
    error: RoundsError | None = None


@dataclass
class ImportReport:
    user: CurrentUser
    user_active: bool
    file: OutboxFile
    results: list[ItemResult] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        tally = Counter(r.outcome for r in self.results)
        return {k: tally.get(k, 0) for k in (CREATED, HELD, REFUSED)}


def require_importer(user: CurrentUser) -> None:
    if user.role not in IMPORTERS:
        raise RoundsError("forbidden", {"reason": "admins and supervisors import outbox files"})


async def _recorded_user(user_id: int, username: str) -> tuple[CurrentUser, bool] | None:
    """The person in the file: id and username must both match (a file from
    another server must not land on whoever has the same id here). A person
    deactivated since is still who did the work, so they are found too."""
    row = await User.select().where((User.id == user_id) & (User.username == username)).first().run()
    if row is None:
        return None
    sites = await Membership.select(Membership.site).where(Membership.user == user_id).run()
    user = CurrentUser(id=row["id"], username=row["username"], display_name=row["display_name"], role=row["role"],
                       department=row["department"], language=row["language"],
                       site_ids=frozenset(s["site"] for s in sites))
    return user, bool(row["active"])


def _in_scope(importer: CurrentUser, recorded: CurrentUser) -> bool:
    # A supervisor imports only for people of their own sites; an admin for
    # people who share one of the admin's sites (an admin works only on the
    # sites they are a member of, like everywhere else on the console).
    if importer.role == "admin":
        return bool(recorded.site_ids & importer.site_ids)
    return bool(recorded.site_ids) and recorded.site_ids <= importer.site_ids


def _replayed_as(importer: CurrentUser, recorded: CurrentUser) -> CurrentUser:
    """The recorded person, narrowed to the sites the importer may reach too:
    every item then goes through the field API's own site checks (same codes)
    for both of them at once."""
    return replace(recorded, site_ids=recorded.site_ids & importer.site_ids)


async def _parent_site(item: OutboxItem) -> int | None:
    """The site of the record a photo documents, when that record is stored."""
    if item.visit:
        row = await Visit.select(Visit.site).where(Visit.client_uuid == parse_uuid(item.visit, "visit")).first().run()
        return row["site"] if row else None
    if item.incident:
        row = await Incident.select(Incident.site).where(
            Incident.client_uuid == parse_uuid(item.incident, "incident")).first().run()
        return row["site"] if row else None
    if item.fix:
        row = await FindingEvent.select(FindingEvent.finding.site.as_alias("site")).where(
            FindingEvent.client_uuid == parse_uuid(item.fix, "fix")).first().run()
        return row["site"] if row else None
    return None


def _photo_parent(item: OutboxItem) -> str | None:
    parent = item.visit or item.incident or item.fix
    return parent.lower() if parent else None


async def _replay(user: CurrentUser, item: OutboxItem, *, store: BlobStore, secret: str,
                  max_photo_bytes: int, max_pixels: int) -> tuple[bool, dict]:
    if item.kind == "visit":
        return await ingest_visit(user, item.uuid, item.body, secret=secret)
    if item.kind == "incident":
        return await ingest_incident(user, item.uuid, item.body)
    if item.kind == "fix":
        return await submit_fix(user, item.uuid, item.body)
    return await ingest_photo(
        user, item.uuid, item.data or b"", declared_sha256=item.sha256, store=store, max_bytes=max_photo_bytes,
        max_pixels=max_pixels, visit=item.visit, incident=item.incident, fix=item.fix, item_id=item.item,
        captured_at=item.captured_at, content_type=item.content_type)


async def _check_photo_parent(actor: CurrentUser, item: OutboxItem, refused: dict[str, RoundsError]) -> None:
    """A photo goes with its record: refused with the record's own refusal when
    that record was refused in this file, and refused when the record is
    stored on a site outside the (narrowed) scope."""
    parent = _photo_parent(item)
    if parent is None:
        return
    if parent in refused:
        raise refused[parent]
    site = await _parent_site(item)
    if site is not None and site not in actor.site_ids:
        raise RoundsError("forbidden", {"reason": "the photo's record is on a site that is not yours"})


async def _check_held_site(actor: CurrentUser, item: OutboxItem, result: dict) -> None:
    """A record already stored (a resend) is reported only when it is on a site
    the importer may reach: its summary names another site's place otherwise."""
    if item.kind in ("visit", "incident"):
        site = result.get("site_id")
    elif item.kind == "fix":
        row = await Finding.select(Finding.site).where(Finding.id == result.get("finding_id")).first().run()
        site = row["site"] if row else None
    else:
        return
    if site not in actor.site_ids:
        raise RoundsError("forbidden", {"reason": "this record is on a site that is not yours"})


async def import_outbox(importer: CurrentUser, raw: bytes, *, store: BlobStore, secret: str,
                        max_photo_bytes: int, max_pixels: int) -> ImportReport:
    """Replays every item of the file; returns one result per item, in the
    file's order. Raises RoundsError (and writes nothing) for a file that is
    not an outbox export, a person unknown here, or one outside the importer's sites."""
    require_importer(importer)
    doc = parse_outbox(raw)
    found = await _recorded_user(doc.user_id, doc.username)
    if found is None:
        raise RoundsError("outbox_unknown_user", {"user_id": doc.user_id, "username": doc.username})
    recorded, active = found
    if not _in_scope(importer, recorded):
        raise RoundsError("forbidden", {"reason": "this person works at a site that is not yours"})
    report = ImportReport(user=recorded, user_active=active, file=doc)
    actor = _replayed_as(importer, recorded)
    # Records before photos, so a photo of a record refused here is refused
    # too and stores nothing (nothing a record checks needs its photos
    # stored first); oldest first within each, as listed in the file.
    order = sorted(doc.items, key=lambda i: (i.kind == "photo", i.index))
    by_index: dict[int, ItemResult] = {}
    refused_records: dict[str, RoundsError] = {}
    for item in order:
        try:
            if item.kind == "photo":
                await _check_photo_parent(actor, item, refused_records)
            created, result = await _replay(actor, item, store=store, secret=secret,
                                            max_photo_bytes=max_photo_bytes, max_pixels=max_pixels)
            if not created:
                await _check_held_site(actor, item, result)
            by_index[item.index] = ItemResult(item, CREATED if created else HELD, result=result)
        except RoundsError as exc:
            by_index[item.index] = ItemResult(item, REFUSED, error=exc)
            if item.kind != "photo":
                refused_records[item.uuid.lower()] = exc
    report.results = [by_index[i.index] for i in doc.items]
    await audit.record(
        "outbox.import", actor_id=importer.id, object_type="user", object_id=recorded.id,
        detail={"device_id": doc.device_id, "exported_at": doc.exported_at, "items": len(doc.items),
                **report.counts,
                "refused_codes": {r.item.uuid: r.error.code for r in report.results if r.error is not None}},
    )
    return report
