"""Loads the demo site (server/demo/catalog.py) into the database. Safe to run
twice: setup rows are matched by their keys, a template whose items changed
gets a new published version, and history is generated only once."""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.db import engine as db
from server.db.tables import (
    Answer,
    Finding,
    Incident,
    Location,
    Membership,
    Photo,
    Round,
    RoundCheckpoint,
    Site,
    Tag,
    Template,
    TemplateVersion,
    User,
    Visit,
)
from server.demo import catalog
from server.domain import checklist, schedule
from server.lib.canonical import fingerprint
from server.lib.clock import now
from server.lib.codes import short_code, tag_code
from server.lib.passwords import hash_password
from server.services.catalog import round_seed


async def _one(table, where) -> dict | None:
    return await table.select().where(where).first().run()


async def _insert(table, **values) -> int:
    return (await table.insert(table(**values)).run())[0]["id"]


async def _site() -> int:
    s = catalog.SITE
    row = await _one(Site, Site.code == s["code"])
    values = {k: s[k] for k in ("name_zh", "name_en", "timezone", "address_zh", "address_en") if k in s}
    if row:
        await Site.update(values).where(Site.id == row["id"]).run()
        return row["id"]
    return await _insert(Site, code=s["code"], created_at=now(), **values)


async def _users(site_id: int) -> dict[str, int]:
    ids: dict[str, int] = {}
    password_hash = None
    for u in catalog.USERS:
        row = await _one(User, User.username == u["username"])
        if row is None:
            password_hash = password_hash or hash_password(catalog.DEMO_PASSWORD)
            uid = await _insert(User, username=u["username"], password_hash=password_hash,
                                display_name=u["display_name"], role=u["role"],
                                department=u.get("department", ""), language=u.get("language", "zh-CN"),
                                created_at=now())
        else:
            uid = row["id"]
        if not await Membership.exists().where((Membership.user == uid) & (Membership.site == site_id)).run():
            await _insert(Membership, user=uid, site=site_id, created_at=now())
        ids[u["username"]] = uid
    return ids


async def _reference_photos(store) -> dict[tuple[str, str], str]:
    """Store the illustrative reference photos; (template key, item id) -> ref."""
    from server.demo import reference_images
    from server.services.setup_reference_photos import store_image

    out = {}
    for key in reference_images.REFERENCES:
        out[key], _ = await store_image(reference_images.render(key), store=store, max_bytes=20_000_000,
                                        max_pixels=50_000_000)
    return out


async def _templates(site_id: int, refs: dict[tuple[str, str], str]) -> tuple[dict[str, int], dict[str, dict]]:
    """template key -> id, and key -> latest version row."""
    ids, versions = {}, {}
    for t in catalog.TEMPLATES:
        items = checklist.validate_items(t["items"])
        for item in items:
            item["reference_photo"] = refs.get((t["key"], item["id"]), item["reference_photo"])
        row = await _one(Template, (Template.site == site_id) & (Template.key == t["key"]))
        if row is None:
            tid = await _insert(Template, site=site_id, key=t["key"], name_zh=t["name_zh"],
                                name_en=t["name_en"], department=t.get("department", ""),
                                draft_items=items, created_at=now())
        else:
            tid = row["id"]
        latest = await TemplateVersion.select().where(TemplateVersion.template == tid).order_by(
            TemplateVersion.version, ascending=False).output(load_json=True).first().run()
        checksum = fingerprint(items)
        if latest is None or latest["checksum"] != checksum:
            number = 1 if latest is None else latest["version"] + 1
            await _insert(TemplateVersion, template=tid, version=number, name_zh=t["name_zh"],
                          name_en=t["name_en"], items=items, checksum=checksum,
                          published_at=now())
            latest = await TemplateVersion.select().where(
                (TemplateVersion.template == tid) & (TemplateVersion.version == number)
            ).output(load_json=True).first().run()
        ids[t["key"]] = tid
        versions[t["key"]] = latest
    return ids, versions


async def _locations(site_id: int, template_ids: dict[str, int]) -> dict[str, dict]:
    out: dict[str, dict] = {}

    async def walk(nodes: list, parent: int | None) -> None:
        for position, node in enumerate(nodes):
            values = {
                "parent": parent, "kind": node["kind"], "type": node.get("type", ""),
                "name_zh": node["name_zh"], "name_en": node["name_en"],
                "department": node.get("department", ""),
                "template": template_ids.get(node.get("template") or ""),
                "position": position,
            }
            row = await _one(Location, (Location.site == site_id) & (Location.key == node["key"]))
            if row is None:
                lid = await _insert(Location, site=site_id, key=node["key"], created_at=now(), **values)
            else:
                lid = row["id"]
                await Location.update(values).where(Location.id == lid).run()
            out[node["key"]] = {"id": lid, **node}
            await walk(node.get("children", []), lid)

    await walk(catalog.LOCATIONS, None)
    return out


async def _tags(site_id: int, locations: dict[str, dict]) -> int:
    issued = 0
    for loc in locations.values():
        if loc["kind"] != "point":
            continue
        active = await Tag.exists().where((Tag.location == loc["id"]) & Tag.revoked_at.is_null()).run()
        if active:
            continue
        for _ in range(5):  # short codes are random; retry on the rare collision
            code = short_code()
            if not await Tag.exists().where(Tag.short_code == code).run():
                break
        await _insert(Tag, site=site_id, location=loc["id"], code=tag_code(), short_code=code,
                      batch="demo-1", issued_at=now())
        issued += 1
    return issued


async def _rounds(site_id: int, locations: dict[str, dict], template_ids: dict[str, int],
                  users: dict[str, int]) -> dict[str, dict]:
    out = {}
    for r in catalog.ROUNDS:
        rule = schedule.parse_rule(r["schedule"]).to_dict()
        values = {
            "name_zh": r["name_zh"], "name_en": r["name_en"], "kind": r["kind"],
            "department": r.get("department", ""), "assigned_role": r.get("assigned_role", ""),
            "ordered": r.get("ordered", True), "schedule": rule, "active": True,
        }
        row = await _one(Round, (Round.site == site_id) & (Round.key == r["key"]))
        if row is None:
            rid = await _insert(Round, site=site_id, key=r["key"], created_at=now(), **values)
        else:
            rid = row["id"]
            await Round.update(values).where(Round.id == rid).run()
        wanted = [
            (pos, locations[k]["id"], template_ids[locations[k]["template"]])
            for pos, k in enumerate(r["checkpoints"], start=1)
        ]
        have = await RoundCheckpoint.select(
            RoundCheckpoint.position, RoundCheckpoint.location, RoundCheckpoint.template
        ).where(RoundCheckpoint.round == rid).order_by(RoundCheckpoint.position).run()
        if [(h["position"], h["location"], h["template"]) for h in have] != wanted:
            await RoundCheckpoint.delete().where(RoundCheckpoint.round == rid).run()
            await RoundCheckpoint.insert(*[
                RoundCheckpoint(round=rid, position=p, location=lid, template=tid) for p, lid, tid in wanted
            ]).run()
        out[r["key"]] = {"id": rid, **r, "rule": rule}
    return out


def _answer_value(item: dict, rng: random.Random, fail: bool):
    kind = item["kind"]
    if kind == "pass_fail":
        return "fail" if fail else ("na" if rng.random() < 0.02 else "pass")
    if kind == "yes_no":
        fail_on = item.get("fail_on", False)
        return fail_on if fail else (not fail_on)
    if kind == "number":
        lo = item.get("pass_min", item["min"])
        hi = item.get("pass_max", item["max"])
        if fail:
            return round(min(item["max"], hi + (hi - lo) * 0.3 + 0.01), 2)
        return round(rng.uniform(lo, hi), 2)
    if kind == "choice":
        options = [c for c in item["choices"] if c.get("fails", False) == fail] or item["choices"]
        return rng.choice(options)["value"]
    if kind == "text":
        return ""
    return None


PHOTO_DAYS = 3  # failed items of the last days get an evidence photo (the review queue's work)
REUSED_PHOTOS = 2  # photos the demo re-submits on a later visit, so the "photo reused" flag has examples


@dataclass
class _PlannedPhoto:
    uuid: uuid.UUID
    seed: int
    user_id: int
    visit_uuid: uuid.UUID
    item_id: str
    captured_at: datetime
    received_at: datetime | None = None  # the visit's (photos go up with it)


async def _history(site: dict, rounds: dict[str, dict], versions: dict[str, dict],
                   locations: dict[str, dict], users: dict[str, int], days: int, secret: str,
                   photos_wanted: bool = False) -> tuple[int, list[_PlannedPhoto]]:
    """Synthetic past visits: mostly done on time, some late, some missed, a few
    failures with notes and findings (some fixed). Reproducible (fixed seed).
    With `photos_wanted`, the failed photo-on-fail items of the last PHOTO_DAYS
    name an evidence photo (returned, to be stored once the visits exist)."""
    planned: list[_PlannedPhoto] = []
    if days <= 0 or await Visit.exists().where(Visit.site == site["id"]).run():
        return 0, planned
    rng = random.Random(20261122)
    by_role: dict[str, list[int]] = {}
    for u in catalog.USERS:
        by_role.setdefault(u["role"], []).append(users[u["username"]])
    tz = site["timezone"]
    today = schedule.local_today(now(), tz)
    tags = {t["location"]: t["id"] for t in await Tag.select(Tag.id, Tag.location).where(
        (Tag.site == site["id"]) & Tag.revoked_at.is_null()).run()}
    notes = getattr(catalog, "FAILURE_NOTES", {})
    visits, answers_by_visit, findings_by_visit = [], {}, {}
    for offset in range(days, 0, -1):
        day: date = today - timedelta(days=offset)
        for r in rounds.values():
            rule = schedule.parse_rule(r["rule"])
            walkers = by_role.get(r.get("assigned_role", ""), []) or by_role.get("team_lead", [])
            for occ in schedule.occurrences_on(rule, day, tz, seed=round_seed(secret, r["id"])):
                if rng.random() < 0.06:
                    continue  # missed
                user_id = rng.choice(walkers)
                late = rng.random() < 0.08
                span = (occ.grace_end if late and occ.grace_end > occ.end else occ.end) - occ.start
                at = occ.start + timedelta(seconds=rng.uniform(0, max(60, span.total_seconds() * 0.6)))
                if late and occ.grace_end > occ.end:
                    at = occ.end + (occ.grace_end - occ.end) * rng.uniform(0.1, 0.9)
                for key in r["checkpoints"]:
                    loc = locations[key]
                    version = versions[loc["template"]]
                    at += timedelta(seconds=rng.randint(60, 240))
                    finished = at + timedelta(seconds=rng.randint(40, 200))
                    fail_item = None
                    if rng.random() < 0.12:
                        failable = [i for i in version["items"] if i["kind"] in ("pass_fail", "yes_no", "number", "choice")]
                        fail_item = rng.choice(failable)["id"] if failable else None
                    answers, failed = [], []
                    uid = uuid.uuid4()
                    for item in version["items"]:
                        fail = item["id"] == fail_item
                        value = _answer_value(item, rng, fail)
                        note = ""
                        if fail:
                            options = notes.get(loc["template"]) or []
                            options = [n for n in options if n.get("item") == item["id"]] or options
                            pick = rng.choice(options) if options else {"zh": "现场发现问题，已拍照"}
                            note = f"{pick.get('zh', '')} / {pick['en']}" if pick.get("en") else pick.get("zh", "")
                            failed.append(item["id"])
                        passed_points = 0 if fail or value == "na" else item.get("points", 0)
                        photo_ids: list[str] = []
                        if fail and photos_wanted and item.get("photo_on_fail") and offset <= PHOTO_DAYS:
                            originals = [p for p in planned if p.seed > 0]
                            reuse = rng.choice(originals) if (
                                originals and offset == 1 and sum(p.seed < 0 for p in planned) < REUSED_PHOTOS
                                and rng.random() < 0.3) else None
                            shot = _PlannedPhoto(uuid.UUID(int=rng.getrandbits(128), version=4),
                                                 -reuse.seed if reuse else len(planned) + 1,
                                                 user_id, uid, item["id"], at + timedelta(seconds=20))
                            planned.append(shot)
                            photo_ids.append(str(shot.uuid))
                        answers.append({"item_id": item["id"], "kind": item["kind"], "value": value,
                                        "failed": fail, "note": note, "points": passed_points,
                                        "photos": photo_ids})
                    timing = schedule.timing(occ, at)
                    visits.append(dict(
                        client_uuid=uid, fingerprint="demo", user=user_id, site=site["id"],
                        location=loc["id"], tag=tags.get(loc["id"]), template_version=version["id"],
                        round=r["id"], occurrence=occ.key, timing=timing, kind=r["kind"],
                        scan_method=rng.choice(["scan", "scan", "scan", "link", "typed"]),
                        scanned_at=at, finished_at=finished,
                        received_at=finished + timedelta(seconds=rng.choice([2, 5, 30, 600, 3600])),
                        device_id=f"demo-{user_id}", note="",
                        failed_count=len(failed),
                        points_earned=sum(a["points"] for a in answers),
                        points_possible=sum(i.get("points", 0) for i, a in zip(version["items"], answers, strict=True) if a["value"] != "na"),
                    ))
                    answers_by_visit[uid] = answers
                    findings_by_visit[uid] = failed
    # Batched inserts keep the loader quick on SQLite's connection-per-query engine.
    for start in range(0, len(visits), 200):
        chunk = visits[start:start + 200]
        async with db.transaction():
            rows = await Visit.insert(*[Visit(**v) for v in chunk]).returning(Visit.id, Visit.client_uuid).run()
            ids = {r["client_uuid"]: r["id"] for r in rows}
            answer_rows, finding_rows = [], []
            for v in chunk:
                vid = ids[v["client_uuid"]]
                answer_rows += [Answer(visit=vid, **{**a, "value": json.dumps(a["value"])})
                                for a in answers_by_visit[v["client_uuid"]]]
                for item_id in findings_by_visit[v["client_uuid"]]:
                    closed = rng.random() < 0.7
                    finding_rows.append(Finding(
                        visit=vid, item_id=item_id, site=v["site"], location=v["location"],
                        status="closed" if closed else "open", created_at=v["received_at"],
                        closed_at=v["received_at"] + timedelta(hours=rng.randint(1, 30)) if closed else None))
            for s in range(0, len(answer_rows), 500):
                await Answer.insert(*answer_rows[s:s + 500]).run()
            if finding_rows:
                await Finding.insert(*finding_rows).run()
    # A few incidents reported on patrol.
    guards = by_role.get("guard", [])
    kinds = [k["kind"] if isinstance(k, dict) else k for k in getattr(catalog, "INCIDENT_KINDS", [])] or ["hazard"]
    points = [loc for loc in locations.values() if loc["kind"] == "point"]
    for i in range(min(days, 6)):
        at = datetime.combine(today - timedelta(days=i * 2 + 1), datetime.min.time(), tzinfo=UTC) + timedelta(hours=rng.randint(0, 23))
        await _insert(Incident, client_uuid=uuid.uuid4(), fingerprint="demo", user=rng.choice(guards or list(users.values())),
                      site=site["id"], location=rng.choice(points)["id"], kind=rng.choice(kinds),
                      note="巡逻中发现，已处理 / Found on patrol, handled", photos=[], occurred_at=at,
                      received_at=at + timedelta(minutes=5), device_id="demo")
    received = {v["client_uuid"]: v["received_at"] for v in visits}
    for p in planned:
        p.received_at = received[p.visit_uuid] - timedelta(seconds=3)
    return len(visits), planned


async def _store_photos(planned: list[_PlannedPhoto], store, *, tz: str, max_bytes: int, max_pixels: int) -> int:
    """Each planned photo through the real ingest (pipeline, storage, reuse
    flags), as the person who took it. A negative seed re-submits the picture
    of an earlier photo: that is what the reuse flag is for."""
    from server.demo.evidence_images import draw
    from server.services.accounts import load_user
    from server.services.photos import ingest_photo

    people: dict[int, object] = {}
    for p in planned:
        if p.user_id not in people:
            people[p.user_id] = await load_user(p.user_id)
        data = draw(abs(p.seed), p.captured_at.astimezone(ZoneInfo(tz)))
        await ingest_photo(people[p.user_id], str(p.uuid), data, declared_sha256=hashlib.sha256(data).hexdigest(),
                           store=store, max_bytes=max_bytes, max_pixels=max_pixels, visit=str(p.visit_uuid),
                           item_id=p.item_id, captured_at=p.captured_at.isoformat())
        # History: the photo reached the server with its visit, not when the demo was loaded.
        await Photo.update({Photo.received_at: p.received_at}).where(Photo.client_uuid == p.uuid).run()
    return len(planned)


async def demo_skip_reason(*, database_url_set: bool = False) -> str | None:
    """Why `rounds demo --if-empty` (run by `make run`) must not load the demo
    here, or None. It fills only the default embedded database, and only while
    it is new: a database named by DATABASE_URL may be meant for production,
    and one that has any user or site is somebody's data."""
    if database_url_set:
        return ("DATABASE_URL is set: the demo is loaded only into the default embedded database; "
                "run `rounds demo` to load it here on purpose. Demo not loaded.")
    if await User.exists().run() or await Site.exists().run():
        return "The database already has users or sites; demo not loaded."
    return None


async def load_demo(*, secret: str, if_empty: bool = False, history_days: int = 14, store=None,
                    max_photo_bytes: int = 15 * 1024 * 1024, max_image_pixels: int = 50_000_000) -> str:
    """`store` (a BlobStore): also add illustrative reference photos to a few
    checklist items, and evidence photos to the recent failed items. All of it
    in one transaction: a load that fails half-way leaves nothing, so the next
    `rounds demo --if-empty` (`make run`) loads it again."""
    if if_empty and (reason := await demo_skip_reason()):
        return reason
    async with db.transaction():
        return await _load(secret=secret, history_days=history_days, store=store,
                           max_photo_bytes=max_photo_bytes, max_image_pixels=max_image_pixels)


async def _load(*, secret: str, history_days: int, store, max_photo_bytes: int, max_image_pixels: int) -> str:
    site_id = await _site()
    users = await _users(site_id)
    refs = await _reference_photos(store) if store is not None else {}
    template_ids, versions = await _templates(site_id, refs)
    locations = await _locations(site_id, template_ids)
    issued = await _tags(site_id, locations)
    rounds = await _rounds(site_id, locations, template_ids, users)
    site = await _one(Site, Site.id == site_id)
    made, planned = await _history(site, rounds, versions, locations, users, history_days, secret,
                                   photos_wanted=store is not None)
    shots = await _store_photos(planned, store, tz=site["timezone"], max_bytes=max_photo_bytes,
                                max_pixels=max_image_pixels) if planned else 0
    points = sum(1 for loc in locations.values() if loc["kind"] == "point")
    return (f"Demo site '{catalog.SITE['name_en']}' ready: {points} checkpoints, {issued} new tags, "
            f"{len(template_ids)} checklists, {len(rounds)} rounds, {len(users)} users, "
            f"{made} synthetic visits, {shots} evidence photos.")


async def demo_logins() -> str:
    """The demo accounts that exist in this database, for the start-up banner."""
    present = {r["username"] for r in await User.select(User.username).where(
        User.username.is_in([u["username"] for u in catalog.USERS])).run()}
    if not present:
        return ""
    lines = [f"Demo logins (password: {catalog.DEMO_PASSWORD}):"]
    for u in catalog.USERS:
        if u["username"] in present:
            lines.append(f"  {u['username']:<12} {u['role']:<11} {u['display_name']}")
    return "\n".join(lines)
