"""A spot check that finds otherwise counts against the original visit: the
visit is flagged (detail page and visit list), the worker's board row shows
it, the worker's later visits weigh more in the next draws, and the daily
report counts it."""

import dataclasses
from datetime import UTC, datetime

import pytest

from server.domain import sampling, schedule
from server.services import board, reports, spot_checks
from server.services.visit_detail import recent_visits, visit_detail
from server.storage.local import LocalStore
from tests.factories import build_world
from tests.supervision_support import SECRET, send_visit, user


async def test_a_disagreement_counts_against_the_original(engine, tmp_path):
    world = await build_world()
    cleaner, inspector, sup = [await user(world, r) for r in ("cleaner", "inspector", "supervisor")]
    original = await send_visit(world, cleaner, kind="self_check")  # "the floor is fine"
    await spot_checks.ensure_daily(inspector, world.site_a, secret=SECRET)
    await send_visit(world, inspector, floor="fail", kind="spot_check")  # it is not

    store = LocalStore(tmp_path / "blobs", signing_key=b"k" * 32)
    detail = await visit_detail(sup, original["id"], store, secret=SECRET)
    [flag] = [f for f in detail["flags"] if f.code == "spot_check_disagreed"]
    assert flag.detail["items"] == 1
    listed = {v["id"]: v["disputed"] for v in await recent_visits(sup, world.site_a)}
    assert listed[original["id"]] is True and list(listed.values()).count(True) == 1

    b = await board.today_board(sup, world.site_a, secret=SECRET)
    row = next(p for p in b["persons"] if p["user"]["username"] == "cleaner")
    assert (row["spot_checked"], row["disagreed"]) == (1, 1)

    # The cleaner's next visit there is riskier to the sampler than it was.
    await send_visit(world, cleaner, kind="self_check")
    pool = await spot_checks.candidates(world.site_a, inspector.id, datetime.now(UTC))
    [cand] = [c for c in pool if c.location_id == world.locations["a_toilet"]]
    assert cand.worker_disagreement_rate == 1.0
    without = dataclasses.replace(cand, worker_disagreement_rate=0.0)
    assert sampling.weight(cand) == pytest.approx(sampling.weight(without) + sampling.W_DISAGREEMENT)

    day = schedule.local_today(datetime.now(UTC), "Asia/Shanghai")
    r = await reports.daily_report(sup, world.site_a, day, secret=SECRET)
    assert r["totals"]["spot_checks_done"] == 1 and r["totals"]["spot_checks_disagree"] == 1
    assert [d["worker"] for d in r["disagreements"]] == ["cleaner"]


async def test_an_agreeing_spot_check_marks_nothing(engine, tmp_path):
    world = await build_world()
    cleaner, inspector, sup = [await user(world, r) for r in ("cleaner", "inspector", "supervisor")]
    original = await send_visit(world, cleaner, kind="self_check")
    await spot_checks.ensure_daily(inspector, world.site_a, secret=SECRET)
    await send_visit(world, inspector, kind="spot_check")
    store = LocalStore(tmp_path / "blobs", signing_key=b"k" * 32)
    detail = await visit_detail(sup, original["id"], store, secret=SECRET)
    assert not [f for f in detail["flags"] if f.code == "spot_check_disagreed"]
    b = await board.today_board(sup, world.site_a, secret=SECRET)
    row = next(p for p in b["persons"] if p["user"]["username"] == "cleaner")
    assert (row["spot_checked"], row["disagreed"]) == (1, 0)
    pool = await spot_checks.candidates(world.site_a, inspector.id, datetime.now(UTC))
    assert all(c.worker_disagreement_rate == 0.0 for c in pool)
