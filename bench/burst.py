"""The outage burst: after a site-wide network outage, N phones reconnect within
a window and drain their outboxes at once. Prints, never asserts (except that
nothing may be lost).

    .venv/bin/python bench/burst.py [--phones 1000] [--visits 30] [--photos 30]
                                    [--window 60] [--workers 2,1] [--max-seconds 3600]
                                    [--pg-admin-url postgresql://postgres@127.0.0.1:5432/postgres]
                                    [--pg-db bench_burst]

Server: `rounds serve --workers W` on PostgreSQL (--pg-db, dropped and recreated;
never `test`) and S3 (moto_server, a subprocess on 127.0.0.1), once per entry of
--workers, each on a fresh database and bucket. Every phone already holds a
session from before the outage (one login each, not timed). Then each phone
waits a random moment within --window seconds and sends, as the field app does,
its photos first (one PUT each, 1600 px JPEG of ~350 KB, every photo's pixels
different so each has its own sha256 and perceptual hash) and then its visits,
25 per POST /visits/batch, over one keep-alive connection, retrying a failed
request (connection error, 5xx, 429) after a pause, as the phone does.

Reported per run: time to drain (first reconnect to last ack), visits/s,
photos/s, request latency p50/p95/p99 (photo PUTs and batches separately),
errors (failed attempts; must be 0), and peak server RSS (the `rounds serve`
process tree, summed, sampled every 0.25 s from /proc). Afterwards every visit
and photo is checked to be on the server exactly once: visit rows by client
UUID, photo rows by UUID and sha256, and each original object in the bucket
read back and hashed. Ends with a Markdown block for bench/README.md.
Bounded: --max-seconds per run, 127.0.0.1 only."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import io
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sync import (  # noqa: E402  (the same seeded world as bench/sync.py)
    PASSWORD,
    USERNAME,
    World,
    answers_for,
    pg_url,
    prepare,
    reset_postgres,
)

HEADERS = {"X-Rounds-Client": "pwa"}
SECRET = "bench-burst-secret-key-0123456789abcdef0123"
BATCH = 25


# ------------------------------------------------------------------ photos


def _photo(args: tuple[int, int, str]) -> tuple[str, int]:
    """One field-size photo (1600x1200 JPEG): a shared base scene, shifted,
    tinted and drawn over differently per seed, so pixels (and the perceptual
    hash) differ, as real photos of different rooms do."""
    import numpy as np
    from PIL import Image, ImageDraw

    seed, quality, path = args
    rng = np.random.default_rng(seed)
    base = _base_scene()
    arr = np.roll(base, (int(rng.integers(0, 1200)), int(rng.integers(0, 1600))), axis=(0, 1))
    arr = (arr * rng.uniform(0.7, 1.2, 3)).clip(0, 255).astype(np.uint8)
    im = Image.fromarray(arr)
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x, y = int(rng.integers(0, 1500)), int(rng.integers(0, 1100))
        w, h = int(rng.integers(80, 600)), int(rng.integers(80, 500))
        draw.rectangle((x, y, x + w, y + h), fill=tuple(int(c) for c in rng.integers(0, 255, 3)))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    Path(path).write_bytes(buf.getvalue())
    return path, len(buf.getvalue())


_BASE = None


def _base_scene():
    import numpy as np

    global _BASE
    if _BASE is None:
        rng = np.random.default_rng(7)
        y, x = np.mgrid[0:1200, 0:1600].astype(np.float32)
        ramp = (x / 1600 + y / 1200) / 2
        img = 60 + 150 * ramp[..., None] * np.array([1.0, 0.9, 0.8])
        img = img + rng.normal(0, 14, (1200, 1600, 3))  # sensor noise: compresses like a photo
        _BASE = img.clip(0, 255).astype(np.float32)
    return _BASE


def field_quality() -> int:
    """The JPEG quality at which the base scene is closest to ~350 KB."""
    best = None
    with tempfile.TemporaryDirectory() as tmp:
        for q in (60, 70, 75, 80, 85, 90):
            _, size = _photo((1, q, f"{tmp}/q.jpg"))
            if best is None or abs(size - 350_000) < abs(best[1] - 350_000):
                best = (q, size)
    return best[0]


def make_photos(count: int, folder: Path, jobs: int) -> list[str]:
    quality = field_quality()
    with ProcessPoolExecutor(jobs) as pool:
        return [p for p, _ in pool.map(_photo, [(1000 + i, quality, str(folder / f"{i}.jpg"))
                                                for i in range(count)], chunksize=16)]


# ------------------------------------------------------------------ servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, what: str, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not answer within {timeout:.0f} s")
        time.sleep(0.2)


@contextlib.contextmanager
def moto_server():
    port = free_port()
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc, "moto_server")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def tree_rss(pid: int) -> int:
    """Resident bytes of pid and its descendants (the uvicorn supervisor and its workers)."""
    total, todo, seen = 0, [pid], set()
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
        todo.extend(children.get(p, []))
    return total


class RssSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self._halt = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._halt.wait(0.25)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


@contextlib.contextmanager
def rounds_server(url: str, storage_url: str, var_dir: Path, workers: int):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "STORAGE_URL": storage_url, "S3_ACCESS_KEY": "bench",
           "S3_SECRET_KEY": "bench", "SECRET_KEY": SECRET, "VAR_DIR": str(var_dir),
           "BASE_URL": f"http://127.0.0.1:{port}", "LOGIN_ATTEMPTS": "1000"}
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "rounds"), "serve", "--port", str(port),
                             "--workers", str(workers), "--quiet"], env=env, stdout=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/healthz", proc, "rounds serve")
        time.sleep(2 if workers > 1 else 0)  # let every worker finish starting
        yield base, proc.pid
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ------------------------------------------------------------------ phones


@dataclass
class Phone:
    n: int
    cookies: dict[str, str]
    photos: list[tuple[str, str, str, str]] = field(default_factory=list)  # (uuid, visit uuid, path, sha256)
    visits: list[tuple[str, bytes]] = field(default_factory=list)  # (uuid, exact PUT body bytes)


def build_phone(world: World, n: int, cookies: dict[str, str], visits: int, photo_paths: list[str]) -> Phone:
    phone = Phone(n, cookies)
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    vids = [str(uuid.uuid4()) for _ in range(visits)]
    for j, path in enumerate(photo_paths):
        data = Path(path).read_bytes()
        phone.photos.append((str(uuid.uuid4()), vids[j % visits], path, hashlib.sha256(data).hexdigest()))
    photos_of: dict[str, list[str]] = {}
    for pid, vid, _, _ in phone.photos:
        photos_of.setdefault(vid, []).append(pid)
    for i, vid in enumerate(vids):
        scanned = base + timedelta(minutes=2 * i)
        answers = answers_for(n * 1000 + i)
        answers[0] = {**answers[0], "photos": photos_of.get(vid, [])}
        body = {"tag_code": world.tag_code, "template_version_id": world.version_id, "kind": "patrol",
                "scan_method": "scan", "scanned_at": scanned.isoformat(),
                "finished_at": (scanned + timedelta(seconds=90)).isoformat(),
                "device_id": f"burst-{n}", "note": "", "answers": answers}
        phone.visits.append((vid, json.dumps(body).encode()))
    return phone


@dataclass
class Stats:
    photo_ms: list[float] = field(default_factory=list)
    batch_ms: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    lost: int = 0


async def drain(base: str, phone: Phone, start_at: float, deadline: float, stats: Stats) -> None:
    import httpx

    await asyncio.sleep(max(0.0, start_at - time.monotonic()))

    async def send(client, method: str, path: str, content: bytes, headers: dict, sink: list[float]) -> bool:
        pause = 1.0
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                r = await client.request(method, path, content=content, headers=headers)
                ok = r.status_code in (200, 201) and (
                    method != "POST" or all(x["status"] in (200, 201) for x in r.json()["results"]))
                reason = f"{r.status_code} {r.text[:200]}"
            except httpx.HTTPError as exc:
                ok, reason = False, f"{type(exc).__name__}: {exc}"
            sink.append((time.perf_counter() - t0) * 1000)
            if ok:
                return True
            stats.errors += 1
            stats.first_error = stats.first_error or reason
            await asyncio.sleep(pause)
            pause = min(pause * 2, 30)
        return False

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)  # one connection, like the phone
    async with httpx.AsyncClient(base_url=base, cookies=phone.cookies, timeout=300, limits=limits) as client:
        for pid, vid, path, sha in phone.photos:
            data = Path(path).read_bytes()
            headers = {**HEADERS, "Content-Type": "image/jpeg", "X-Content-SHA256": sha}
            if not await send(client, "PUT", f"/api/v1/photos/{pid}?visit={vid}&item=floor", data, headers,
                              stats.photo_ms):
                stats.lost += 1
        for k in range(0, len(phone.visits), BATCH):
            group = phone.visits[k:k + BATCH]
            body = b'{"visits":[' + b",".join(
                b'{"client_uuid":"' + uid.encode() + b'","body":' + b + b"}" for uid, b in group) + b"]}"
            if not await send(client, "POST", "/api/v1/visits/batch", body,
                              {**HEADERS, "Content-Type": "application/json"}, stats.batch_ms):
                stats.lost += len(group)


async def login_all(base: str, phones: int) -> list[dict[str, str]]:
    import httpx

    sem = asyncio.Semaphore(4)

    async def one() -> dict[str, str]:
        async with sem, httpx.AsyncClient(base_url=base, timeout=60) as client:
            r = await client.post("/api/v1/session", json={"username": USERNAME, "password": PASSWORD},
                                  headers=HEADERS)
            if r.status_code != 200:
                raise SystemExit(f"login failed: {r.status_code} {r.text[:200]}")
            return dict(client.cookies)

    return list(await asyncio.gather(*(one() for _ in range(phones))))


# ------------------------------------------------------------------ checks


async def check_everything(url: str, store, phones: list[Phone]) -> tuple[bool, str]:
    from server.db import engine as db

    sent_visits = {uid for p in phones for uid, _ in p.visits}
    sent_photos = {pid: sha for p in phones for pid, _, _, sha in p.photos}
    async with db.connected(url) as engine:
        vrows = await engine.run_ddl(
            "SELECT client_uuid::text AS u, count(*) AS n FROM visit GROUP BY client_uuid")
        prows = await engine.run_ddl("SELECT client_uuid::text AS u, sha256, storage_key FROM photo")
    problems = []
    if {r["u"] for r in vrows} != sent_visits or any(r["n"] != 1 for r in vrows):
        problems.append(f"visits: {len(vrows)} stored for {len(sent_visits)} sent")
    stored = {r["u"]: r["sha256"] for r in prows}
    if stored != sent_photos or len(prows) != len(sent_photos):
        problems.append(f"photos: {len(prows)} rows for {len(sent_photos)} sent, or a sha256 differs")
    originals = {k async for k in store.iter_keys("originals/")}
    if originals != {r["storage_key"] for r in prows} or len(originals) != len(set(sent_photos.values())):
        problems.append(f"bucket: {len(originals)} originals for {len(sent_photos)} photos")
    sem = asyncio.Semaphore(8)
    bad = 0

    async def hash_one(key: str, sha: str) -> None:
        nonlocal bad
        async with sem:
            if hashlib.sha256(await store.get(key)).hexdigest() != sha:
                bad += 1

    await asyncio.gather(*(hash_one(r["storage_key"], r["sha256"]) for r in prows))
    if bad:
        problems.append(f"{bad} originals in the bucket do not hash to their sha256")
    if problems:
        return False, "; ".join(problems)
    return True, (f"all {len(sent_visits)} visits stored once (by client UUID); all {len(sent_photos)} photos "
                  f"stored once with matching sha256, and every original read back from the bucket hashes to it")


# ------------------------------------------------------------------ main


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


@dataclass
class Run:
    workers: int
    drain_s: float
    visits: int
    photos: int
    stats: Stats
    rss_peak: int
    verified: bool
    verdict: str

    @property
    def all_ms(self) -> list[float]:
        return self.stats.photo_ms + self.stats.batch_ms


async def one_run(args, workers: int, photo_paths: list[str], moto: str, tmp: Path) -> Run:
    import boto3

    from server.storage.factory import open_store

    await reset_postgres(args.pg_admin_url, args.pg_db)
    url = pg_url(args.pg_admin_url, args.pg_db)
    world = await prepare(url)
    bucket = f"burst-{workers}w-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=moto, region_name="us-east-1", aws_access_key_id="bench",
                 aws_secret_access_key="bench").create_bucket(Bucket=bucket)
    storage_url = f"s3://{bucket}/photos?endpoint={moto}&region=us-east-1&path_style=true"
    with rounds_server(url, storage_url, tmp / f"var-{workers}", workers) as (base, pid):
        print(f"  {workers} worker(s): logging {args.phones} phones in (before the outage, not timed)")
        cookies = await login_all(base, args.phones)
        rng = random.Random(workers)
        phones = [build_phone(world, n, cookies[n], args.visits,
                              photo_paths[n * args.photos:(n + 1) * args.photos]) for n in range(args.phones)]
        stats = Stats()
        sampler = RssSampler(pid)
        sampler.start()
        t0 = time.monotonic()
        deadline = t0 + args.max_seconds
        await asyncio.gather(*(drain(base, p, t0 + rng.uniform(0, args.window), deadline, stats)
                               for p in phones))
        drain_s = time.monotonic() - t0
        rss = sampler.stop()
    store = open_store(storage_url, signing_key=SECRET.encode(), access_key="bench", secret_key="bench")
    try:
        ok, verdict = await check_everything(url, store, phones)
    finally:
        await store.close()
    run = Run(workers, drain_s, args.phones * args.visits, args.phones * args.photos, stats, rss, ok, verdict)
    print(f"  {workers} worker(s): drained in {drain_s:.1f} s, errors {stats.errors}, lost {stats.lost}, "
          f"peak RSS {rss / 2**20:.0f} MiB; {'OK' if ok else 'FAILED'}: {verdict}")
    return run


def markdown(args, runs: list[Run], photo_kb: float, command: str) -> str:
    lines = [
        f"Outage burst: {args.phones} phones reconnecting within {args.window} s, each with {args.visits} "
        f"visits (batches of {BATCH}) and {args.photos} photos (1600x1200 JPEG, mean {photo_kb:.0f} KB); "
        "PostgreSQL + S3 (moto_server) on 127.0.0.1, client on the same machine; PHOTO_WORKERS "
        f"{os.environ.get('PHOTO_WORKERS', 'unset (the server default)')}.",
        "",
        f"`{command}`",
        "",
        "| workers | drain s | visits/s | photos/s | p50 ms | p95 ms | p99 ms | photo PUT p95 ms "
        "| batch p95 ms | errors | peak RSS MiB | everything stored once |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|",
    ]
    for r in runs:
        ms = r.all_ms
        lines.append(
            f"| {r.workers} | {r.drain_s:.1f} | {r.visits / r.drain_s:.1f} | {r.photos / r.drain_s:.1f} "
            f"| {pct(ms, .5):.0f} | {pct(ms, .95):.0f} | {pct(ms, .99):.0f} | {pct(r.stats.photo_ms, .95):.0f} "
            f"| {pct(r.stats.batch_ms, .95):.0f} | {r.stats.errors} | {r.rss_peak / 2**20:.0f} "
            f"| {'yes' if r.verified else 'NO: ' + r.verdict} |")
    by: dict[int, list[Run]] = {}
    for r in runs:
        by.setdefault(r.workers, []).append(r)
    if 1 in by and 2 in by:
        # Repeated entries (--workers 2,1,2,1) alternate, so load from other users hits both; medians.
        drain = {w: statistics.median(r.drain_s for r in by[w]) for w in (1, 2)}
        rss = {w: statistics.median(r.rss_peak for r in by[w]) for w in (1, 2)}
        lines += ["", f"Ratio 2 workers / 1 worker (medians of {len(by[2])} and {len(by[1])} runs): "
                      f"drain time {drain[2] / drain[1]:.2f}, throughput {drain[1] / drain[2]:.2f}, "
                      f"peak RSS {rss[2] / max(rss[1], 1):.2f}."]
    lines += ["", "Afterwards: " + "; ".join(f"{r.workers} worker(s): {r.verdict}" for r in runs) + "."]
    return "\n".join(lines)


async def amain(args) -> None:
    if args.pg_db == "test":
        raise SystemExit("refusing to use the `test` database")
    total = args.phones * args.photos
    with tempfile.TemporaryDirectory(prefix="rounds-burst-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "photos").mkdir()
        print(f"making {total} field-size photos with Pillow ({args.jobs} processes)...")
        t = time.monotonic()
        paths = make_photos(total, tmp / "photos", args.jobs)
        sizes = [Path(p).stat().st_size for p in paths]
        print(f"  done in {time.monotonic() - t:.0f} s, mean {statistics.mean(sizes) / 1000:.0f} KB, "
              f"{sum(sizes) / 2**20:.0f} MiB in all")
        runs = []
        with moto_server() as moto:
            for workers in [int(w) for w in args.workers.split(",")]:
                runs.append(await one_run(args, workers, paths, moto, tmp))
    env = f"PHOTO_WORKERS={os.environ['PHOTO_WORKERS']} " if "PHOTO_WORKERS" in os.environ else ""
    command = env + "python bench/burst.py " + " ".join(sys.argv[1:])
    print()
    print(markdown(args, runs, statistics.mean(sizes) / 1000, command.strip()))
    if not all(r.verified and r.stats.lost == 0 for r in runs):
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--visits", type=int, default=30, help="visits per phone")
    parser.add_argument("--photos", type=int, default=30, help="photos per phone")
    parser.add_argument("--window", type=float, default=60, help="seconds within which the phones reconnect")
    parser.add_argument("--workers", default="2,1",
                        help="`rounds serve --workers` values, one run each (repeat them, 2,1,2,1, on a noisy box)")
    parser.add_argument("--max-seconds", type=float, default=3600, help="a phone gives up retrying after this")
    parser.add_argument("--jobs", type=int, default=2, help="processes making the photos (before timing)")
    parser.add_argument("--pg-admin-url", default=os.environ.get(
        "BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--pg-db", default="bench_burst", help="dropped and recreated; never `test`")
    asyncio.run(amain(parser.parse_args()))


if __name__ == "__main__":
    main()
