"""Field sync throughput: visits/second through the real HTTP API against
inserting the same rows straight through the same database driver. Prints,
never asserts.

    .venv/bin/python bench/sync.py [--engines sqlite,postgres] [--visits 500]
                                   [--concurrency 4] [--repeat 3]
                                   [--pg-admin-url postgresql://postgres@127.0.0.1:5432/postgres]
                                   [--pg-db bench_sync]

Per engine: a fresh database (SQLite: a temp file; PostgreSQL: the database
--pg-db, dropped and recreated — never `test`), migrated with
server.db.migrate, seeded with one site, one location, a few tags, a template
version of 10 items (pass_fail, yes_no, number with ranges, choice, text) and a
guard who is a member of the site.

(1) api: the real server (`rounds serve --quiet`, a subprocess) is started,
    one login over HTTP, then --visits PUT /api/v1/visits/{uuid} with 10
    passing answers each, --concurrency in flight (httpx, one keep-alive
    connection per worker). Every reply must be 201.
(2) direct (the baseline): the same visits, with the same column values
    (client_uuid, fingerprint, foreign keys, kind, times, scores, answers),
    written by hand-made SQL through the same driver the server uses
    (aiosqlite / asyncpg): one transaction per visit (SQLite: BEGIN IMMEDIATE),
    one INSERT ... RETURNING id for the visit and one multi-row INSERT for its
    10 answers, --concurrency workers each holding one connection. SQLite
    connections get the same per-connection PRAGMAs the server engine uses.

The baseline writes only what the phone sent (visit + answers); the API also
writes an audit_log row and does its reads (session, user, tag, template,
idempotency checks) — that work is part of what the ratio measures.
Runs are interleaved (the order alternates per repeat); every figure is printed
as min / median / max over the repeats, ratios taken per repeat.
Row counts are checked after every run."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import server.db  # noqa: E402,F401  (points Piccolo at our configuration first)
from server.db import engine as db  # noqa: E402
from server.db.migrate import migrate  # noqa: E402
from server.db.tables import (  # noqa: E402
    Location,
    Membership,
    Site,
    Tag,
    Template,
    TemplateVersion,
    User,
)
from server.domain import checklist  # noqa: E402
from server.lib.canonical import fingerprint  # noqa: E402
from server.lib.passwords import hash_password  # noqa: E402

USERNAME, PASSWORD = "benchguard", "bench-password-123"
HEADERS = {"X-Rounds-Client": "pwa"}

ITEMS = [
    {"id": "floor", "kind": "pass_fail", "label_zh": "地面无垃圾", "label_en": "No litter on the floor",
     "required": True, "photo_on_fail": True, "points": 2},
    {"id": "smell", "kind": "yes_no", "label_zh": "无异味", "label_en": "No odour", "required": True,
     "fail_on": False, "points": 1},
    {"id": "pressure", "kind": "number", "label_zh": "出水压力", "label_en": "Outlet pressure",
     "unit": "MPa", "min": 0, "max": 2.5, "pass_min": 0.2, "pass_max": 0.8, "required": True, "points": 2},
    {"id": "temp", "kind": "number", "label_zh": "室温", "label_en": "Room temperature",
     "unit": "°C", "min": -20, "max": 60, "pass_min": 5, "pass_max": 35, "required": True, "points": 1},
    {"id": "soap", "kind": "choice", "label_zh": "洗手液", "label_en": "Hand soap", "required": True,
     "choices": [{"value": "full", "label_zh": "充足", "label_en": "Full", "fails": False},
                 {"value": "low", "label_zh": "偏少", "label_en": "Low", "fails": False},
                 {"value": "empty", "label_zh": "缺少", "label_en": "Empty", "fails": True}], "points": 1},
    {"id": "lights", "kind": "pass_fail", "label_zh": "照明正常", "label_en": "Lights work",
     "required": True, "points": 1},
    {"id": "exit", "kind": "yes_no", "label_zh": "疏散通道畅通", "label_en": "Exit route clear",
     "required": True, "fail_on": False, "points": 2},
    {"id": "extinguisher", "kind": "choice", "label_zh": "灭火器", "label_en": "Extinguisher",
     "required": True, "choices": [{"value": "ok", "label_zh": "正常", "label_en": "OK", "fails": False},
                                   {"value": "expired", "label_zh": "过期", "label_en": "Expired",
                                    "fails": True}], "points": 2},
    {"id": "humidity", "kind": "number", "label_zh": "湿度", "label_en": "Humidity", "unit": "%",
     "min": 0, "max": 100, "pass_min": 20, "pass_max": 80, "required": False, "points": 0},
    {"id": "remark", "kind": "text", "label_zh": "备注", "label_en": "Remarks", "required": False},
]


def answers_for(i: int) -> list[dict]:
    """10 passing answers (so no findings), varied a little per visit."""
    return [
        {"item": "floor", "value": "pass"},
        {"item": "smell", "value": True},
        {"item": "pressure", "value": round(0.3 + (i % 40) / 100, 2)},
        {"item": "temp", "value": 18 + i % 10},
        {"item": "soap", "value": "full" if i % 3 else "low"},
        {"item": "lights", "value": "pass" if i % 7 else "na"},
        {"item": "exit", "value": True},
        {"item": "extinguisher", "value": "ok"},
        {"item": "humidity", "value": 40 + i % 30},
        {"item": "remark", "value": f"round {i}: all in order 一切正常", "note": ""},
    ]


@dataclass
class World:
    user_id: int
    site_id: int
    location_id: int
    tag_id: int
    tag_code: str
    version_id: int
    items: list[dict]


@dataclass
class Visit:
    """One visit: the body the phone sends, and the rows the server stores for
    it (computed outside the timed section with the server's own domain code)."""

    client_uuid: uuid.UUID
    body: dict
    fingerprint: str
    scanned_at: datetime
    finished_at: datetime
    failed_count: int
    earned: int
    possible: int
    answers: list[checklist.CheckedAnswer] = field(default_factory=list)


def make_visits(world: World, n: int, tag: str) -> list[Visit]:
    base = datetime.now(UTC).replace(microsecond=0)
    out = []
    for i in range(n):
        scanned = base - timedelta(minutes=3, seconds=i)
        finished = scanned + timedelta(seconds=95)
        body = {
            "tag_code": world.tag_code,
            "template_version_id": world.version_id,
            "kind": "patrol",
            "scan_method": "scan",
            "scanned_at": scanned.isoformat(),
            "finished_at": finished.isoformat(),
            "device_id": f"bench-{tag}",
            "note": "",
            "answers": answers_for(i),
        }
        checked = checklist.check_answers(world.items, body["answers"])
        earned, possible = checklist.score(checked, world.items)
        out.append(Visit(uuid.uuid4(), body, fingerprint(body), scanned, finished,
                         sum(a.failed for a in checked), earned, possible, checked))
    return out


# ------------------------------------------------------------------ setup


async def _insert(table, **values) -> int:
    return (await table.insert(table(**values)).run())[0]["id"]


async def seed() -> World:
    now = datetime.now(UTC)
    items = checklist.validate_items(ITEMS)
    site = await _insert(Site, code="bench", name_zh="基准大厦", name_en="Bench Tower",
                         timezone="Asia/Shanghai", created_at=now)
    template = await _insert(Template, site=site, key="mixed", name_zh="综合", name_en="Mixed",
                             created_at=now)
    version = await _insert(TemplateVersion, template=template, version=1, name_zh="综合",
                            name_en="Mixed", items=items, checksum="bench", published_at=now)
    floor = await _insert(Location, site=site, key="f1", kind="floor", name_zh="一层", name_en="1F",
                          created_at=now)
    tags = []
    for n in range(3):
        loc = await _insert(Location, site=site, parent=floor, key=f"p{n}", kind="point", type="toilet",
                            name_zh=f"点{n}", name_en=f"Point {n}", template=template, created_at=now)
        code = f"bench-{n}-{uuid.uuid4().hex[:16]}"
        tid = await _insert(Tag, site=site, location=loc, code=code, short_code=f"BN{n:04d}", issued_at=now)
        tags.append((loc, tid, code))
    user = await _insert(User, username=USERNAME, password_hash=hash_password(PASSWORD),
                         display_name="Bench guard", role="guard", language="en", created_at=now)
    await _insert(Membership, user=user, site=site, created_at=now)
    loc, tid, code = tags[0]
    return World(user, site, loc, tid, code, version, items)


async def reset_postgres(admin_url: str, dbname: str) -> None:
    import asyncpg

    if dbname == "test":
        raise SystemExit("refusing to use the `test` database (the test suite resets it)")
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{dbname}"')
    finally:
        await conn.close()


def pg_url(admin_url: str, dbname: str) -> str:
    head, _, _ = admin_url.rpartition("/")
    return f"{head}/{dbname}"


async def prepare(url: str) -> World:
    async with db.connected(url):
        await migrate()
        return await seed()


# ------------------------------------------------------------------ api run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(url: str, var_dir: Path, extra_env: dict[str, str] | None = None, profile: str | None = None,
           root: Path | None = None):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "VAR_DIR": str(var_dir),
        "STORAGE_URL": str(var_dir / "blobs"),
        "SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789",
        **(extra_env or {}),
    }
    cmd = [str(ROOT / ".venv" / "bin" / "rounds"), "serve", "--port", str(port), "--quiet"]
    if root is not None:  # another checkout's server/ (e.g. a proposed change), same venv
        env["PYTHONPATH"] = str(root)
        cmd = [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--quiet"]
    if profile:  # cProfile of the whole server run, written when it stops (SIGTERM)
        cmd = [sys.executable, "-m", "cProfile", "-o", profile, *cmd]
    proc = subprocess.Popen(cmd, env=env, cwd=root or ROOT, stdout=subprocess.DEVNULL)
    try:
        import httpx

        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"server exited with {proc.returncode}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("server did not answer /healthz within 30 s")
            time.sleep(0.1)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)  # graceful, and lets cProfile write its file
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def login(base: str) -> dict[str, str]:
    import httpx

    async with httpx.AsyncClient(base_url=base) as client:
        r = await client.post("/api/v1/session", json={"username": USERNAME, "password": PASSWORD},
                              headers=HEADERS)
        if r.status_code != 200:
            raise SystemExit(f"login failed: {r.status_code} {r.text}")
        return dict(client.cookies)


async def run_api(base: str, cookies: dict[str, str], visits: list[Visit], concurrency: int, batch: int = 1
                  ) -> tuple[float, list[float]]:
    """batch 1: one PUT /visits/{uuid} per visit; batch N: POST /visits/batch with N visits."""
    import httpx

    latencies: list[float] = []
    bad: list[str] = []
    payloads = [(v.client_uuid, json.dumps(v.body).encode()) for v in visits]
    queue = list(reversed(payloads))
    headers = {**HEADERS, "Content-Type": "application/json"}

    async def worker() -> None:
        # One keep-alive connection per worker, like a phone's outbox.
        async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=60) as client:
            while queue:
                group = [queue.pop() for _ in range(min(batch, len(queue)))]
                t0 = time.perf_counter()
                if batch == 1:
                    uid, content = group[0]
                    r = await client.put(f"/api/v1/visits/{uid}", content=content, headers=headers)
                    statuses = [r.status_code]
                else:
                    body = b'{"visits":[' + b",".join(
                        b'{"client_uuid":"' + str(uid).encode() + b'","body":' + content + b"}" for uid, content in group
                    ) + b"]}"
                    r = await client.post("/api/v1/visits/batch", content=body, headers=headers)
                    statuses = [x["status"] for x in r.json()["results"]] if r.status_code == 200 else [r.status_code]
                latencies.append(time.perf_counter() - t0)
                if any(code != 201 for code in statuses):
                    bad.append(f"{r.status_code} {r.text[:200]}")

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - t0
    if bad:
        print(f"  !! {len(bad)} API replies were not 201, first: {bad[0]}")
    return wall, latencies


# --------------------------------------------------------------- direct run

VISIT_COLS = ('client_uuid', 'fingerprint', '"user"', 'site', 'location', 'tag', 'template_version',
              'round', 'occurrence', 'timing', 'kind', 'scan_method', 'scanned_at', 'finished_at',
              'received_at', 'device_id', 'note', 'failed_count', 'points_earned', 'points_possible')
ANSWER_COLS = ("visit", "item_id", "kind", "value", "failed", "note", "photos", "points")


def visit_values(world: World, v: Visit, received: datetime) -> list:
    b = v.body
    return [v.client_uuid, v.fingerprint, world.user_id, world.site_id, world.location_id, world.tag_id,
            world.version_id, None, None, "", b["kind"], b["scan_method"], v.scanned_at, v.finished_at,
            received, b["device_id"], b["note"], v.failed_count, v.earned, v.possible]


def answer_values(visit_id: int, a: checklist.CheckedAnswer) -> list:
    return [visit_id, a.item_id, a.kind, json.dumps(a.value), a.failed, a.note, json.dumps(list(a.photos)),
            a.points]


def _sqlite_value(value):
    # What Piccolo's sqlite3 adapters store (piccolo/engine/sqlite.py): UUIDs
    # as text, aware datetimes converted to UTC and str()'d, bools as 0/1.
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return str(value.astimezone(UTC))
    if isinstance(value, bool):
        return int(value)
    return value


async def _workers(visits: list[Visit], concurrency: int, open_conn, write, chunk: int = 1
                   ) -> tuple[float, list[float]]:
    """`write(conn, visits)` commits one transaction per chunk of visits."""
    queue = list(reversed(visits))
    latencies: list[float] = []

    async def worker(conn) -> None:
        while queue:
            group = [queue.pop() for _ in range(min(chunk, len(queue)))]
            t0 = time.perf_counter()
            await write(conn, group)
            latencies.append(time.perf_counter() - t0)

    conns = [await open_conn() for _ in range(concurrency)]
    try:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(c) for c in conns))
        wall = time.perf_counter() - t0
    finally:
        for c in conns:
            await c.close()
    return wall, latencies


async def run_direct_sqlite(path: str, world: World, visits: list[Visit], concurrency: int, chunk: int = 1
                            ) -> tuple[float, list[float]]:
    import aiosqlite

    pragmas = getattr(db, "SQLITE_CONNECTION_PRAGMAS", ("PRAGMA foreign_keys = 1",))
    vsql = (f'INSERT INTO "visit" ({", ".join(VISIT_COLS)}) VALUES ({", ".join("?" * len(VISIT_COLS))})'
            ' RETURNING "id"')
    row = "(" + ", ".join("?" * len(ANSWER_COLS)) + ")"

    async def open_conn():
        # The same connect() arguments the server's engine passes to aiosqlite.
        kwargs = dict(db.build_engine(f"sqlite:///{path}").connection_kwargs)
        conn = await aiosqlite.connect(**kwargs)
        for pragma in pragmas:
            await conn.execute(pragma)
        return conn

    async def write(conn, group: list[Visit]) -> None:
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for v in group:
                values = [_sqlite_value(x) for x in visit_values(world, v, datetime.now(UTC))]
                async with conn.execute(vsql, values) as cur:
                    visit_id = (await cur.fetchone())[0]
                args = [_sqlite_value(x) for a in v.answers for x in answer_values(visit_id, a)]
                await conn.execute(
                    f'INSERT INTO "answer" ({", ".join(ANSWER_COLS)}) VALUES {", ".join([row] * len(v.answers))}',
                    args)
            await conn.execute("COMMIT")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise

    return await _workers(visits, concurrency, open_conn, write, chunk)


async def run_direct_pg(url: str, world: World, visits: list[Visit], concurrency: int, chunk: int = 1
                        ) -> tuple[float, list[float]]:
    import asyncpg

    vsql = (f'INSERT INTO "visit" ({", ".join(VISIT_COLS)}) VALUES '
            f'({", ".join(f"${i + 1}" for i in range(len(VISIT_COLS)))}) RETURNING "id"')
    n = len(ANSWER_COLS)

    def asql(count: int) -> str:
        rows = ", ".join("(" + ", ".join(f"${r * n + c + 1}" for c in range(n)) + ")" for r in range(count))
        return f'INSERT INTO "answer" ({", ".join(ANSWER_COLS)}) VALUES {rows}'

    async def open_conn():
        return await asyncpg.connect(url)

    async def write(conn, group: list[Visit]) -> None:
        async with conn.transaction():
            for v in group:
                visit_id = await conn.fetchval(vsql, *visit_values(world, v, datetime.now(UTC)))
                args = [x for a in v.answers for x in answer_values(visit_id, a)]
                await conn.execute(asql(len(v.answers)), *args)

    return await _workers(visits, concurrency, open_conn, write, chunk)


async def counts(url: str) -> tuple[int, int]:
    async with db.connected(url) as engine:
        v = await engine.run_ddl('SELECT count(*) AS n FROM "visit"')
        a = await engine.run_ddl('SELECT count(*) AS n FROM "answer"')
        return v[0]["n"], a[0]["n"]


# ------------------------------------------------------------------ main


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@dataclass
class Result:
    engine: str
    rate: dict[str, list[float]] = field(default_factory=dict)  # kind -> visits/s per repeat
    p50: dict[str, list[float]] = field(default_factory=dict)  # kind -> ms per request/transaction
    p95: dict[str, list[float]] = field(default_factory=dict)


KINDS = {
    "api": "API, one PUT per visit",
    "direct": "direct, one transaction per visit",
    "api_batch": "API, POST /visits/batch",
    "direct_batch": "direct, one transaction per batch",
}


async def bench_engine(engine: str, args, tmp: Path) -> Result:
    if engine == "sqlite":
        path = tmp / "bench.sqlite3"
        url = f"sqlite:///{path}"
    else:
        await reset_postgres(args.pg_admin_url, args.pg_db)
        url = pg_url(args.pg_admin_url, args.pg_db)
    world = await prepare(url)
    res = Result(engine)
    kinds = ["api", "direct"] + (["api_batch", "direct_batch"] if args.batch > 1 else [])

    async def direct(visits: list[Visit], chunk: int = 1):
        if engine == "sqlite":
            return await run_direct_sqlite(str(path), world, visits, args.concurrency, chunk)
        return await run_direct_pg(url, world, visits, args.concurrency, chunk)

    profile = f"{args.profile_server}.{engine}.prof" if args.profile_server else None
    root = Path(args.server_root).resolve() if args.server_root else None
    workers = {"WEB_WORKERS": str(args.server_workers)}
    with server(url, tmp / f"var-{engine}", extra_env=workers, profile=profile, root=root) as base:
        cookies = await login(base)
        # Warm-up: imports, prepared statements, pools, page cache.
        await run_api(base, cookies, make_visits(world, 20, "warm"), args.concurrency)
        await direct(make_visits(world, 20, "warm"))
        for rep in range(args.repeat):
            # Rotate the order so no kind always runs on a warmer (or more loaded) machine.
            order = kinds[rep % len(kinds):] + kinds[:rep % len(kinds)]
            for which in order:
                visits = make_visits(world, args.visits, f"{which}{rep}")
                before = await counts(url)
                if which == "api":
                    wall, lat = await run_api(base, cookies, visits, args.concurrency)
                elif which == "api_batch":
                    wall, lat = await run_api(base, cookies, visits, args.concurrency, args.batch)
                elif which == "direct":
                    wall, lat = await direct(visits)
                else:
                    wall, lat = await direct(visits, args.batch)
                after = await counts(url)
                dv, da = after[0] - before[0], after[1] - before[1]
                ok = dv == len(visits) and da == 10 * len(visits)
                print(f"  {engine:8} #{rep + 1} {which:12}: {len(visits) / wall:8.1f} visits/s "
                      f"(p50 {pct(lat, .5) * 1000:6.1f} ms, p95 {pct(lat, .95) * 1000:6.1f} ms)"
                      f"  rows +{dv} visits +{da} answers{'' if ok else '  !! MISMATCH'}")
                res.rate.setdefault(which, []).append(len(visits) / wall)
                res.p50.setdefault(which, []).append(pct(lat, .5) * 1000)
                res.p95.setdefault(which, []).append(pct(lat, .95) * 1000)
    return res


async def amain(args) -> None:
    results = []
    with tempfile.TemporaryDirectory(prefix="rounds-bench-sync-") as tmp:
        for engine in args.engines.split(","):
            results.append(await bench_engine(engine.strip(), args, Path(tmp)))
    med = statistics.median

    def spread(values: list[float], fmt: str = ".1f") -> str:
        return f"{min(values):{fmt}} / {med(values):{fmt}} / {max(values):{fmt}}"

    print()
    print(f"visits: {args.visits} x 10 answers, concurrency {args.concurrency}, batch {args.batch}, "
          f"repeat {args.repeat}, server worker processes {args.server_workers}; "
          "baseline = direct insert through the same driver; min / median / max over the repeats")
    print(f"{'engine':9} {'kind':42} {'visits/s':>23} {'p50 ms':>23} {'p95 ms':>23}")
    for r in results:
        for kind in r.rate:
            print(f"{r.engine:9} {KINDS[kind]:42} {spread(r.rate[kind]):>23} {spread(r.p50[kind]):>23} "
                  f"{spread(r.p95[kind]):>23}")
    print()
    # Each repeat runs every kind once, back to back: a ratio per repeat, then its spread.
    print(f"{'engine':9} {'ratio (per repeat)':48} {'min / median / max':>20}")
    for r in results:
        pairs = [("API (PUT each) / direct (txn per visit)", "api", "direct")]
        if "api_batch" in r.rate:
            pairs += [("API (batch) / direct (txn per visit)", "api_batch", "direct"),
                      ("API (batch) / direct (txn per batch)", "api_batch", "direct_batch")]
        for label, top, bottom in pairs:
            ratios = [a / b for a, b in zip(r.rate[top], r.rate[bottom], strict=True)]
            print(f"{r.engine:9} {label:48} {spread(ratios, '.2f'):>20}")
    print("target: api/direct >= 0.50")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--visits", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--server-workers", type=int, default=1,
                        help="`rounds serve` worker processes (WEB_WORKERS); 2 uses both cores of this box")
    parser.add_argument("--batch", type=int, default=25,
                        help="visits per POST /visits/batch (and per direct transaction); 1 skips batch runs")
    parser.add_argument("--pg-admin-url", default=os.environ.get(
        "BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a database to connect to for DROP/CREATE DATABASE")
    parser.add_argument("--profile-server", metavar="PREFIX",
                        help="run the server under cProfile, writing PREFIX.<engine>.prof")
    parser.add_argument("--server-root", metavar="DIR",
                        help="serve from another checkout of the repo (same venv) to measure a change")
    parser.add_argument("--pg-db", default="bench_sync", help="dropped and recreated; never `test`")
    asyncio.run(amain(parser.parse_args()))


if __name__ == "__main__":
    main()
