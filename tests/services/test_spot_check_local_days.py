"""Spot-check days are the site's local dates: an assignment stays open for
OPEN_DAYS local days after its day — in the pack and for matching the
inspector's spot-check visit — whatever the UTC date is."""

from datetime import UTC, datetime, timedelta

from server.db.tables import Site, SpotCheckAssignment
from server.domain import schedule
from server.services import spot_checks
from tests.factories import build_world
from tests.supervision_support import SECRET, send_visit, user


def _zone_where_the_date_differs(at: datetime) -> str:
    """A zone whose local date is not the UTC date at `at` (UTC+14 late in the
    UTC day, UTC-10 early in it), so a UTC-date bug shows at any hour."""
    return "Pacific/Kiritimati" if at.hour >= 10 else "Pacific/Honolulu"


async def test_open_days_count_in_site_local_dates(engine):
    world = await build_world()
    at = datetime.now(UTC)
    zone = _zone_where_the_date_differs(at)
    await Site.update({Site.timezone: zone}).where(Site.id == world.site_a).run()
    local_today = schedule.local_today(at, zone)
    assert local_today != at.date()
    cleaner, inspector = await user(world, "cleaner"), await user(world, "inspector")
    original = await send_visit(world, cleaner, kind="self_check")
    pump = await send_visit(world, cleaner, kind="self_check", where="a_pump",
                            template_version_id=world.versions["a_pump"],
                            answers=[{"item": "pressure", "value": 0.5}, {"item": "leaks", "value": "pass"}])
    # Today's list exists (empty of these), so the pack draws nothing new.
    day = await spot_checks.ensure_daily(inspector, world.site_a, secret=SECRET, at=at)
    assert day == local_today
    await SpotCheckAssignment.delete(force=True).run()
    still_open = local_today - timedelta(days=spot_checks.OPEN_DAYS)
    too_old = still_open - timedelta(days=1)
    for rank, (d, visit, loc) in enumerate([(too_old, pump, "a_pump"), (still_open, original, "a_toilet"),
                                            (local_today, original, "a_toilet")], start=1):
        await SpotCheckAssignment.insert(SpotCheckAssignment(
            site=world.site_a, inspector=inspector.id, day=d, original_visit=visit["id"],
            location=world.locations[loc], template_version=world.versions[loc], rank=rank, created_at=at)).run()

    entries = await spot_checks.pack_entries(inspector, secret=SECRET, at=at)
    assert sorted(e["day"] for e in entries) == [still_open.isoformat(), local_today.isoformat()]

    # A spot check at the pump does not complete the assignment that has expired ...
    await send_visit(world, inspector, kind="spot_check", where="a_pump", template_version_id=world.versions["a_pump"],
                     answers=[{"item": "pressure", "value": 0.5}, {"item": "leaks", "value": "pass"}])
    assert (await SpotCheckAssignment.select().where(SpotCheckAssignment.day == too_old).first().run())[
        "done_at"] is None
    # ... and one at the toilet completes the oldest one still open there.
    await send_visit(world, inspector, kind="spot_check")
    done = await SpotCheckAssignment.select(SpotCheckAssignment.day).where(
        SpotCheckAssignment.done_at.is_not_null()).run()
    assert [r["day"] for r in done] == [still_open]
