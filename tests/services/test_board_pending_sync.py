"""The today board from real rows: a round done offline and not yet synced is
'pending sync' (the phone was active in the window), not 'missed'; once the
visits arrive it is done; with no device activity it is missed."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.db.tables import DeviceSeen, Round, RoundCheckpoint, Template
from server.domain import schedule
from server.services import board
from tests.factories import build_world
from tests.supervision_support import SECRET, send_visit, user


async def _round(world) -> int:
    tmpl = (await Template.select(Template.id).where(
        (Template.site == world.site_a) & (Template.key == "toilet")).first().run())["id"]
    rid = (await Round.insert(Round(
        site=world.site_a, key="morning", name_zh="早巡", name_en="Morning", kind="patrol",
        department="cleaning", assigned_role="team_lead", ordered=False,
        schedule={"type": "daily", "windows": [{"start": "08:00", "end": "09:00"}], "grace_minutes": 30},
        created_at=datetime.now(UTC))).run())[0]["id"]
    await RoundCheckpoint.insert(RoundCheckpoint(round=rid, location=world.locations["a_toilet"],
                                                 template=tmpl, position=1)).run()
    return rid


def _slot(data: dict, rid: int) -> dict:
    row = next(r for r in data["rows"] if r["round"]["id"] == rid)
    return row["slots"][0]


async def test_pending_sync_then_done_and_missed(engine):
    world = await build_world()
    rid = await _round(world)
    zone = ZoneInfo("Asia/Shanghai")
    day = schedule.local_today(datetime.now(UTC), "Asia/Shanghai") - timedelta(days=1)
    at = datetime.combine(day, time(11, 0), tzinfo=zone)
    supervisor = await user(world, "supervisor")

    data = await board.today_board(supervisor, world.site_a, secret=SECRET, at=at)
    assert _slot(data, rid)["state"] == "missed"

    # The team lead's phone fetched the pack at 08:20 and has not been seen since.
    await DeviceSeen.insert(DeviceSeen(user=world.users["team_lead"], device_id="lead-phone",
                                       last_seen=datetime.combine(day, time(8, 20), tzinfo=zone),
                                       source="pack")).run()
    data = await board.today_board(supervisor, world.site_a, secret=SECRET, at=at)
    slot = _slot(data, rid)
    assert slot["state"] == "pending_sync"
    assert data["counts"]["pending_sync"] >= 1

    # The phone comes back and its visit, scanned at 08:25, arrives: done, synced late.
    lead = await user(world, "team_lead")
    await send_visit(world, lead, round_id=rid, at=datetime.combine(day, time(8, 25), tzinfo=zone))
    data = await board.today_board(supervisor, world.site_a, secret=SECRET, at=at)
    slot = _slot(data, rid)
    assert slot["state"] == "done" and slot["synced_late"] and slot["who"] == ["team_lead"]
    lead_row = next(p for p in data["persons"] if p["user"]["username"] == "team_lead")
    assert lead_row["tally"].done == 1 and lead_row["tally"].required == 4


async def test_a_device_that_synced_everything_after_the_window_means_missed(engine):
    world = await build_world()
    rid = await _round(world)
    zone = ZoneInfo("Asia/Shanghai")
    day = schedule.local_today(datetime.now(UTC), "Asia/Shanghai") - timedelta(days=1)
    await DeviceSeen.insert(DeviceSeen(user=world.users["team_lead"], device_id="lead-phone",
                                       last_seen=datetime.combine(day, time(10, 0), tzinfo=zone),
                                       pending_visits=0, source="status")).run()
    data = await board.today_board(await user(world, "supervisor"), world.site_a, secret=SECRET,
                                   at=datetime.combine(day, time(11, 0), tzinfo=zone))
    assert _slot(data, rid)["state"] == "missed"


async def test_a_phone_offline_through_the_whole_window_is_pending_until_the_cut_off(engine):
    """The lead's phone fetched its pack at 07:30 for the 08:00–09:00 round and
    has not been seen since: pending sync, not missed — until the cut-off
    (12 h after the 09:30 grace end by default; shorter when configured)."""
    from server.domain.compliance import PendingRule

    world = await build_world()
    rid = await _round(world)
    zone = ZoneInfo("Asia/Shanghai")
    day = schedule.local_today(datetime.now(UTC), "Asia/Shanghai") - timedelta(days=1)
    await DeviceSeen.insert(DeviceSeen(user=world.users["team_lead"], device_id="lead-phone",
                                       last_seen=datetime.combine(day, time(7, 30), tzinfo=zone),
                                       source="pack")).run()
    sup = await user(world, "supervisor")

    async def state_at(hour: int, minute: int = 0, **kw) -> str:
        data = await board.today_board(sup, world.site_a, secret=SECRET,
                                       at=datetime.combine(day, time(hour, minute), tzinfo=zone), **kw)
        return _slot(data, rid)["state"]

    assert await state_at(11) == "pending_sync"
    assert await state_at(21, 29) == "pending_sync"
    assert await state_at(21, 30) == "missed"
    assert await state_at(11, pending=PendingRule.hours(lead=12, cutoff=1)) == "missed"
    assert await state_at(11, pending=PendingRule.hours(lead=0, cutoff=12)) == "missed"
