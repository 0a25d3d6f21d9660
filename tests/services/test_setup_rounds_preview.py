"""Rounds: details, route, and a preview of the next seven days that matches the rule."""

from datetime import UTC, datetime

import pytest

from server.db.tables import RoundCheckpoint
from server.domain import schedule
from server.domain.errors import RoundsError
from server.services import setup_rounds

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai


def test_four_windows_a_day_give_28_occurrences_at_those_times():
    rule = {"type": "daily", "windows": [{"start": s, "end": e} for s, e in
                                         (("08:00", "09:00"), ("11:00", "12:00"), ("14:00", "15:00"), ("17:00", "18:00"))],
            "grace_minutes": 30}
    days = setup_rounds.preview(rule, tz="Asia/Shanghai", at=AT, secret="s", round_id=1)
    assert len(days) == 7 and days[0]["day"].isoformat() == "2026-11-23"
    assert all([o["start"].strftime("%H:%M") for o in d["occurrences"]] == ["08:00", "11:00", "14:00", "17:00"]
               for d in days)
    assert all((o["grace_end"] - o["end"]).total_seconds() == 1800 for d in days for o in d["occurrences"])


def test_weekly_monthly_not_before_and_random():
    weekly = {"type": "weekly", "weekdays": [1, 4], "windows": [{"start": "20:00", "end": "21:00"}]}
    days = setup_rounds.preview(weekly, tz="Asia/Shanghai", at=AT, secret="s", round_id=1)
    assert [d["day"].weekday() for d in days if d["occurrences"]] == [1, 4]
    late = {"type": "daily", "windows": [{"start": "08:00", "end": "09:00"}], "not_before": "2026-11-26"}
    assert sum(len(d["occurrences"]) for d in setup_rounds.preview(late, tz="Asia/Shanghai", at=AT, secret="s",
                                                                   round_id=1)) == 4  # 26..29 Nov
    rnd = {"type": "random_daily", "from": "09:00", "to": "17:00", "window_minutes": 30}
    days = setup_rounds.preview(rnd, tz="Asia/Shanghai", at=AT, secret="s", round_id=1)
    occs = [o for d in days for o in d["occurrences"]]
    assert len(occs) == 7 and all(o["hidden"] for o in occs)  # unannounced: the time is not shown
    expected = schedule.occurrences_between(schedule.parse_rule(rnd), days[0]["day"], days[-1]["day"],
                                            "Asia/Shanghai", seed="s:round:1")
    assert [o["start"] for o in occs] == [e.start for e in expected]


async def test_create_round_with_route_and_refusals(world, admin):
    rule = {"type": "daily", "windows": [{"start": "08:00", "end": "10:00"}]}
    rid = await setup_rounds.create(world.site_a, {"key": "night", "name_zh": "夜巡", "kind": "patrol",
                                                   "assigned_role": "guard", "ordered": True}, rule, actor=admin)
    toilet_t = (await RoundCheckpoint.select(RoundCheckpoint.template).where(
        RoundCheckpoint.round == world.round_id).first().run())["template"]
    await setup_rounds.set_checkpoints(world.site_a, rid, [(world.locations["a_pump"], toilet_t),
                                                           (world.locations["a_toilet"], toilet_t)], actor=admin)
    cps = await RoundCheckpoint.select().where(RoundCheckpoint.round == rid).order_by(RoundCheckpoint.position).run()
    assert [c["location"] for c in cps] == [world.locations["a_pump"], world.locations["a_toilet"]]
    with pytest.raises(RoundsError) as exc:
        await setup_rounds.set_checkpoints(world.site_a, rid, [(world.locations["b_toilet"], toilet_t)], actor=admin)
    assert exc.value.detail["field"] == "checkpoints[0].location"
    with pytest.raises(RoundsError) as exc:
        await setup_rounds.create(world.site_a, {"key": "x", "name_zh": "x"}, rule, actor=admin)
    assert exc.value.detail["field"] == "assigned_role"
    with pytest.raises(RoundsError) as exc:
        await setup_rounds.create(world.site_a, {"key": "y", "name_zh": "y", "assigned_role": "guard"},
                                  {"type": "daily", "windows": []}, actor=admin)
    assert exc.value.code == "invalid_schedule"
