"""Console page times at scale: the today board and the photo-review queue with
1 million visits / 10 million answers on PostgreSQL, against the same SQL
statements run bare through asyncpg. Prints, never asserts.

    .venv/bin/python bench/console.py [--visits 1000000] [--answers-per-visit 10]
        [--requests 60] [--pg-admin-url postgresql://postgres@127.0.0.1:5432/postgres]
        [--pg-db console_bench] [--reuse]

Data (generated once into --pg-db, never `test`; --reuse skips generation when
the database already holds the visits): the demo site (server/demo) with its
rounds, checkpoints and people; then visits for every round occurrence of the
last N days, ten walkers' worth per occurrence (a very large site), until
--visits, each with --answers-per-visit answers (COPY); one visit in ten
failed with a photo; photos of the last 14 days 70 % reviewed, older ones 98 %; today's
occurrences walked up to now, with a few phones' heartbeats.

Timing: the real app (server.app.create_app, PostgreSQL pool) driven in
process by Litestar's AsyncTestClient, logged in as the demo supervisor:
  board   GET /console/sites/1/today  with HX-Request (the 30 s refresh fragment)
  review  GET /console/review         (the queue page: next photo, count left, older photos waiting)
Every SQL statement the handler sends (session, user, page queries) is
recorded from Piccolo's engine during one request and replayed bare through
one asyncpg connection: "bare" is the database's share of the page time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import re
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402

import server.db  # noqa: E402,F401
from server.db import engine as db  # noqa: E402
from server.db.migrate import migrate  # noqa: E402

SECRET = "console-bench-secret-0123456789abcdefghij"


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


async def recreate(admin_url: str, name: str) -> None:
    if name == "test":
        raise SystemExit("refusing to use the `test` database")
    con = await asyncpg.connect(admin_url)
    try:
        await con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await con.execute(f'CREATE DATABASE "{name}"')
    finally:
        await con.close()


async def generate(url: str, n_visits: int, per_visit: int) -> None:
    from server.db.tables import Round, RoundCheckpoint, Site, TemplateVersion, User
    from server.demo.loader import load_demo
    from server.domain import schedule
    from server.services.catalog import latest_versions, round_seed

    t0 = time.perf_counter()
    async with db.connected(url):
        await migrate()
        await load_demo(secret=SECRET, history_days=0)
        site = await Site.select().first().run()
        tz = site["timezone"]
        rounds = await Round.select().where(Round.site == site["id"]).output(load_json=True).run()
        cps = await RoundCheckpoint.select().run()
        versions = await latest_versions([site["id"]])
        users = {u["username"]: u["id"] for u in await User.select(User.id, User.username).run()}
        items_by_version = {v["id"]: v["items"] for v in await TemplateVersion.select().output(load_json=True).run()}
    walkers = {"team_lead": [users["lead1"]], "cleaner": [users["cleaner1"], users["cleaner2"]],
               "guard": [users["guard1"], users["guard2"]], "technician": [users["tech1"]],
               "inspector": [users["inspector1"]]}
    route: dict[int, list[tuple[int, int]]] = {}
    for cp in sorted(cps, key=lambda c: c["position"]):
        route.setdefault(cp["round"], []).append((cp["location"], versions[cp["template"]]["id"]))
    rules = [(r, schedule.parse_rule(r["schedule"])) for r in rounds]
    now = datetime.now(UTC)
    today = schedule.local_today(now, tz)
    reps = 10

    def walked(day):
        return sum(len(route[r["id"]]) * reps for r, rule in rules
                   for o in schedule.occurrences_on(rule, day, tz, seed=round_seed(SECRET, r["id"])) if o.start <= now)

    # Go back from today until the days hold n_visits; the oldest day is cut
    # at its start so that today and the recent days are always complete.
    days, total = 0, 0
    while total < n_visits:
        total += walked(today - timedelta(days=days))
        days += 1
    skip = total - n_visits
    print(f"generating {n_visits:,} visits: {days} days x {reps} walkers per occurrence", flush=True)

    rng = random.Random(1122)
    con = await asyncpg.connect(url)
    visit_cols = ["id", "client_uuid", "fingerprint", "user", "site", "location", "tag", "template_version", "round",
                  "occurrence", "timing", "kind", "scan_method", "scanned_at", "finished_at", "received_at",
                  "device_id", "note", "failed_count", "points_earned", "points_possible"]
    answer_cols = ["visit", "item_id", "kind", "value", "failed", "note", "photos", "points"]
    photo_cols = ["client_uuid", "user", "visit_uuid", "item_id", "sha256", "size_bytes", "content_type", "format",
                  "width", "height", "storage_key", "display_key", "thumb_key", "captured_at", "received_at", "flags"]
    review_cols = ["visit", "photo_uuid", "item_id", "site", "location", "template_version", "worker", "reviewer",
                   "verdict", "reason_code", "note", "created_at"]
    visits, answers, photos, reviews = [], [], [], []
    vid = 0
    n_answers = 0
    supervisor = users["supervisor1"]

    async def flush(force: bool = False) -> None:
        nonlocal visits, answers, photos, reviews
        if visits and (force or len(visits) >= 50_000):
            await con.copy_records_to_table("visit", records=visits, columns=visit_cols)
            await con.copy_records_to_table("answer", records=answers, columns=answer_cols)
            if photos:
                await con.copy_records_to_table("photo", records=photos, columns=photo_cols)
            if reviews:
                await con.copy_records_to_table("review", records=reviews, columns=review_cols)
            visits, answers, photos, reviews = [], [], [], []

    done = False
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        for r, rule in rules:
            people = walkers.get(r["assigned_role"]) or walkers["team_lead"]
            for occ in schedule.occurrences_on(rule, day, tz, seed=round_seed(SECRET, r["id"])):
                if occ.start > now:
                    continue
                for rep in range(reps):
                    at = occ.start + timedelta(minutes=rng.uniform(0, 20))
                    for loc, version in route[r["id"]]:
                        at += timedelta(seconds=rng.randint(30, 120))
                        if skip > 0:
                            skip -= 1
                            continue
                        if vid >= n_visits:
                            done = True
                            break
                        vid += 1
                        user_id = people[rep % len(people)]
                        fail = rng.random() < 0.1
                        cu = uuid.uuid4()
                        items = items_by_version[version]
                        n_fail = 0
                        for i in range(per_visit):
                            item = items[i] if i < len(items) else {"id": f"x{i}", "kind": "text"}
                            failed = fail and i == 0
                            n_fail += failed
                            answers.append((vid, item["id"], item["kind"], json.dumps("fail" if failed else "pass"),
                                            failed, "有问题" if failed else "", "[]", 0 if failed else 1))
                        n_answers += per_visit
                        received = at + timedelta(seconds=rng.choice([3, 10, 60, 900]))
                        visits.append((vid, cu, "bench", user_id, site["id"], loc, None, version, r["id"], occ.key,
                                       "on_time", r["kind"], "scan", at, at + timedelta(seconds=90), received,
                                       f"bench-{user_id}", "", n_fail, per_visit - n_fail, per_visit))
                        if fail:
                            pu = uuid.uuid4()
                            sha = f"{vid:064x}"
                            photos.append((pu, user_id, cu, items[0]["id"], sha, 150_000, "image/jpeg", "jpeg",
                                           1280, 960, f"originals/{sha[:2]}/{sha}", f"display/{sha[:2]}/{sha}.webp",
                                           f"thumbs/{sha[:2]}/{sha}.webp", at, received, "{}"))
                            if rng.random() < (0.7 if back < 15 else 0.98):
                                reviews.append((vid, pu, items[0]["id"], site["id"], loc, version, user_id,
                                                supervisor, "approved", "", "", received + timedelta(hours=1)))
                    await flush()
                    if done:
                        break
                if done:
                    break
            if done:
                break
        if done:
            break
        if back % 20 == 0:
            print(f"  {day}: {vid:,} visits, {n_answers:,} answers ({time.perf_counter() - t0:.0f} s)", flush=True)
    await flush(force=True)
    await con.execute("SELECT setval(pg_get_serial_sequence('visit', 'id'), (SELECT max(id) FROM visit))")
    beats = [(users[u], f"phone-{u}", now - timedelta(minutes=m), "status", 0, 0) for u, m in
             (("lead1", 5), ("guard1", 300), ("cleaner1", 40))]
    await con.copy_records_to_table("device_seen", records=beats, columns=[
        "user", "device_id", "last_seen", "source", "pending_visits", "pending_photos"])
    await con.execute("ANALYZE")
    counts = {t: await con.fetchval(f'SELECT count(*) FROM "{t}"') for t in ("visit", "answer", "photo", "review")}
    await con.close()
    print(f"generated {counts} in {time.perf_counter() - t0:.0f} s", flush=True)


class Recorder:
    """Records (sql, args) of every statement Piccolo sends while on."""

    def __init__(self) -> None:
        self.on = False
        self.statements: list[tuple[str, list]] = []

    def install(self) -> None:
        from piccolo.engine.postgres import PostgresEngine

        original = PostgresEngine.run_querystring
        recorder = self

        async def run_querystring(engine, querystring, in_pool: bool = True):
            if recorder.on:
                recorder.statements.append(querystring.compile_string(engine_type=engine.engine_type))
            return await original(engine, querystring, in_pool)

        PostgresEngine.run_querystring = run_querystring


async def measure(url: str, n: int) -> None:
    from litestar.testing import AsyncTestClient

    from server.app import create_app
    from server.settings import load_settings

    rec = Recorder()
    rec.install()
    settings = load_settings({"DATABASE_URL": url, "VAR_DIR": "/tmp/console-bench-var", "SECRET_KEY": SECRET,
                              "STORAGE_URL": "/tmp/console-bench-var/blobs", "DATABASE_POOL_SIZE": "10",
                              "LOGIN_ATTEMPTS": "1000"})
    app = create_app(settings)
    bare = await asyncpg.connect(url)
    results = {}
    async with AsyncTestClient(app=app, base_url="http://bench.local") as client:
        page = await client.get("/console/login")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
        r = await client.post("/console/login", data={"username": "supervisor1", "password": "rounds-demo",
                                                      "next": "/console", "_csrf_token": token})
        assert r.status_code == 200, r.status_code
        for name, path, headers in (("board", "/console/sites/1/today", {"HX-Request": "true"}),
                                    ("board (full page)", "/console/sites/1/today", {}),
                                    ("review", "/console/review", {})):
            for _ in range(3):  # warm up: pool, template cache, plans
                assert (await client.get(path, headers=headers)).status_code == 200
            rec.statements, rec.on = [], True
            resp = await client.get(path, headers=headers)
            rec.on = False
            statements = list(rec.statements)
            assert resp.status_code == 200
            app_times, bare_times = [], []
            for _ in range(n):
                t = time.perf_counter()
                resp = await client.get(path, headers=headers)
                app_times.append((time.perf_counter() - t) * 1000)
                assert resp.status_code == 200
                t = time.perf_counter()
                for sql, args in statements:
                    await bare.fetch(sql, *args)
                bare_times.append((time.perf_counter() - t) * 1000)
            results[name] = (app_times, bare_times, len(statements), len(resp.content))
    await bare.close()
    print(f"\n{'page':<20}{'stmts':>6}{'app p50':>10}{'app p95':>10}{'bare p50':>10}{'bare p95':>10}{'ratio p50':>10}")
    for name, (a, b, k, size) in results.items():
        print(f"{name:<20}{k:>6}{statistics.median(a):>9.1f}m{pct(a, 95):>9.1f}m"
              f"{statistics.median(b):>9.1f}m{pct(b, 95):>9.1f}m{statistics.median(a) / statistics.median(b):>10.2f}"
              f"   ({size:,} bytes)")
    print("(ms; app = whole request through Litestar incl. session, queries, Jinja; "
          "bare = the same statements through one asyncpg connection)")


async def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    ap = argparse.ArgumentParser()
    ap.add_argument("--visits", type=int, default=1_000_000)
    ap.add_argument("--answers-per-visit", type=int, default=10)
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--pg-db", default="console_bench")
    ap.add_argument("--reuse", action="store_true")
    a = ap.parse_args()
    base = a.pg_admin_url.rsplit("/", 1)[0]
    url = f"{base}/{a.pg_db}"
    have = 0
    if a.reuse:
        try:
            con = await asyncpg.connect(url)
            have = await con.fetchval("SELECT count(*) FROM visit")
            await con.close()
        except Exception:  # noqa: BLE001 (no database yet)
            have = 0
    if not have:
        await recreate(a.pg_admin_url, a.pg_db)
        await generate(url, a.visits, a.answers_per_visit)
    else:
        print(f"reusing {a.pg_db}: {have:,} visits")
        async with db.connected(url):
            await migrate()  # a database generated by an older checkout gets the new columns/indexes
    await measure(url, a.requests)


if __name__ == "__main__":
    asyncio.run(main())
