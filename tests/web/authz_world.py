"""The two-site world the authorization matrix walks: tests/factories.py's
sites A and B, plus one person of every role at site B and one of every
object at each site (visit, photo, finding, finding in rectification, fix,
incident, spot check, round), all made through the real services. `ids(...)`
gives the values that fill a route's parameters for an own-site, a
foreign-site or an unknown target."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from server.db.tables import (
    Finding,
    Membership,
    Round,
    RoundCheckpoint,
    SpotCheckAssignment,
    Tag,
    Template,
    User,
    Visit,
)
from server.domain import schedule
from server.domain.roles import ROLES
from server.services import findings, spot_checks
from server.services.accounts import load_user
from server.services.incidents import ingest_incident
from tests.factories import _HASH, World, build_world
from tests.supervision_support import SECRET, photo, send_visit

UNKNOWN_ID = 987_654


@dataclass(frozen=True)
class Ids:
    """What fills a route's parameters; one of these per scope."""

    site: int
    location: int
    tag_id: int
    tag_code: str
    short_code: str
    template: int
    version: int
    round: int
    visit: int
    visit_uuid: str
    photo: str
    finding: int
    rectifying: int  # a finding in rectification, owned by the site's cleaner
    incident: str
    fix: str
    spot_check: int
    person: int  # a member of this site only (its cleaner)
    person_name: str
    day: str


@dataclass
class TwoSites:
    world: World
    b_users: dict[str, int]  # role -> id, members of site B only
    own: Ids
    foreign: Ids
    unknown: Ids


async def _user(uid: int):
    u = await load_user(uid)
    assert u is not None
    return u


async def _site_objects(world: World, site: int, prefix: str, users: dict[str, int], store) -> Ids:
    now = datetime.now(UTC)
    cleaner, supervisor, inspector = [await _user(users[r]) for r in ("cleaner", "supervisor", "inspector")]
    where = f"{prefix}_toilet"
    version = world.versions[where]
    # a failed self-check with its photo: a visit, a photo and a finding
    vid = str(uuid.uuid4())
    pid = await photo(cleaner, store, vid, "floor")
    await send_visit(world, cleaner, floor="fail", kind="self_check", where=where, visit_uuid=vid,
                     photos=[pid], template_version_id=version)
    visit = (await Visit.select(Visit.id).where(Visit.client_uuid == uuid.UUID(vid)).first().run())["id"]
    finding = (await Finding.select(Finding.id).where(Finding.visit == visit).first().run())["id"]
    # a second one, put into rectification (整改) with the cleaner fixing it, and a fix sent
    await send_visit(world, cleaner, floor="fail", kind="self_check", where=where, template_version_id=version)
    rect = (await Finding.select(Finding.id).where(Finding.site == site).order_by(
        Finding.id, ascending=False).first().run())["id"]
    await findings.open_rectification(supervisor, rect, owner_id=cleaner.id, deadline=now + timedelta(hours=4))
    fix_uuid = str(uuid.uuid4())
    after = await photo(cleaner, store, None, "floor", colour=(10, 200, 30), fix=fix_uuid)
    await findings.submit_fix(cleaner, fix_uuid, {"finding_id": rect, "note": "cleaned", "photos": [after],
                                                  "fixed_at": now.isoformat()})
    # an incident
    incident = str(uuid.uuid4())
    await ingest_incident(cleaner, incident, {"kind": "hazard", "note": "wet floor", "photos": [],
                                              "tag_code": world.tags[where]["code"],
                                              "occurred_at": now.isoformat()})
    # the inspector's spot-check list of the day (drawn from the visits above)
    await spot_checks.ensure_daily(inspector, site, secret=SECRET)
    spot = (await SpotCheckAssignment.select(SpotCheckAssignment.id).where(
        SpotCheckAssignment.site == site).first().run())["id"]
    tag = await Tag.select(Tag.id).where(Tag.code == world.tags[where]["code"]).first().run()
    template = await Template.select(Template.id).where((Template.site == site) & (Template.key == "toilet")).first().run()
    round_id = (await Round.select(Round.id).where(Round.site == site).first().run())["id"]
    return Ids(
        site=site, location=world.locations[where], tag_id=tag["id"], tag_code=world.tags[where]["code"],
        short_code=world.tags[where]["short_code"], template=template["id"], version=version, round=round_id,
        visit=visit, visit_uuid=vid, photo=pid, finding=finding, rectifying=rect, incident=incident,
        fix=fix_uuid, spot_check=spot, person=users["cleaner"], person_name="cleaner" if prefix == "a" else "b_cleaner",
        day=(schedule.local_today(now, "Asia/Shanghai") - timedelta(days=1)).isoformat(),
    )


async def build_two_sites(store) -> TwoSites:
    world = await build_world()
    now = datetime.now(UTC)
    b_users: dict[str, int] = {}
    for role in ROLES:
        uid = (await User.insert(User(
            username=f"b_{role}", password_hash=_HASH, display_name=f"b_{role}", role=role,
            department="cleaning" if role in ("cleaner", "team_lead") else "", language="en",
            created_at=now)).run())[0]["id"]
        await Membership.insert(Membership(user=uid, site=world.site_b, created_at=now)).run()
        b_users[role] = uid
    # site B gets a round of its own (factories makes one at site A only)
    b_toilet = await Template.select(Template.id).where(
        (Template.site == world.site_b) & (Template.key == "toilet")).first().run()
    b_round = (await Round.insert(Round(
        site=world.site_b, key="lead", name_zh="领班巡查", name_en="Team-lead round", kind="patrol",
        department="cleaning", assigned_role="team_lead", ordered=True,
        schedule={"type": "daily", "windows": [{"start": "00:00", "end": "23:59"}], "grace_minutes": 0},
        created_at=now)).run())[0]["id"]
    await RoundCheckpoint.insert(RoundCheckpoint(round=b_round, location=world.locations["b_toilet"],
                                                 template=b_toilet["id"], position=1)).run()
    own = await _site_objects(world, world.site_a, "a", world.users, store)
    foreign = await _site_objects(world, world.site_b, "b", b_users, store)
    unknown = Ids(
        site=UNKNOWN_ID, location=UNKNOWN_ID, tag_id=UNKNOWN_ID, tag_code="no-such-label-code",
        short_code="ZZ999", template=UNKNOWN_ID, version=UNKNOWN_ID, round=UNKNOWN_ID, visit=UNKNOWN_ID,
        visit_uuid=str(uuid.uuid4()), photo=str(uuid.uuid4()), finding=UNKNOWN_ID, rectifying=UNKNOWN_ID,
        incident=str(uuid.uuid4()), fix=str(uuid.uuid4()), spot_check=UNKNOWN_ID, person=UNKNOWN_ID, person_name="nobody",
        day=own.day,
    )
    return TwoSites(world=world, b_users=b_users, own=own, foreign=foreign, unknown=unknown)
