"""Photo pipeline cost against the best bare Pillow chain. Prints, never asserts.

    .venv/bin/python bench/photos.py [--runs 10]

Inputs (--inputs, both by default), each made in memory (gradients + shapes +
sensor-like noise):
  field: what the field app actually sends: its canvas downscale to a 1600 px long
         edge (1600x1200), JPEG at the quality that lands nearest ~350 KB, no EXIF
         (a canvas re-encode drops it);
  12mp:  a camera original (4000x3000), quality 92, EXIF Orientation 6 + GPS +
         DateTimeOriginal (what an upload from the console or an older app sends).

(1) baseline: open + aspect-correct JPEG draft + LANCZOS resize to a 1600 px
    long edge + WebP with the display derivative's exact settings;
(2) pipeline: server.photos.process() (sniff, bomb check, EXIF, draft, decode,
    orient, display + thumbnail WebP, pHash, sha256);
(3) ingest: the whole server path, server.services.photos.ingest_photo() on
    SQLite (WAL, the server's pooled engine) and local storage (fsynced atomic
    writes): sha256 + sniff + process in a worker thread, three store writes,
    the reuse lookup (exact by sha256, near by pHash quarters among
    --history earlier photos of the last 90 days), the insert and its audit row in one
    transaction, the post-commit presence check. Each run sends new bytes
    (a unique trailer after the JPEG's EOI), so every run writes new objects.
Runs are interleaved so machine noise hits all alike; medians are reported with
the spread (min / median / max).
CPU time (process_time, all threads) gives photos/s per core.

    .venv/bin/python bench/photos.py [--runs 10] [--history 20000] [--inputs field,12mp]"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import logging
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.photos.pipeline import DISPLAY_WEBP, process, scaled_size  # noqa: E402


def make_phone_jpeg(width: int = 4000, height: int = 3000, seed: int = 7, quality: int = 92,
                    with_exif: bool = True) -> bytes:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.stack(
        [
            120 + 80 * np.sin(x / width * 3 + seed),
            100 + 90 * (y / height),
            140 - 60 * np.cos((x + y) / (width + height) * 5),
        ],
        axis=-1,
    )
    im = Image.fromarray(base.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(im)
    for _ in range(120):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        s = int(rng.integers(width // 60, width // 6))
        colour = tuple(int(v) for v in rng.integers(0, 255, 3))
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x0 + s, y0 + s * 2 // 3), fill=colour)
        else:
            draw.rectangle((x0, y0, x0 + s, y0 + s // 2), fill=colour)
    im = im.filter(ImageFilter.GaussianBlur(2))  # optics: soft edges
    noisy = np.asarray(im).astype(np.int16) + rng.normal(0, 7, (height, width, 3)).astype(np.int16)
    im = Image.fromarray(noisy.clip(0, 255).astype(np.uint8))

    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # phone held upright: stored sideways
    exif[ExifTags.Base.Make] = "BenchPhone"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:11:22 08:15:30"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] = "+08:00"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (31.0, 14.0, 2.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (121.0, 28.0, 9.1),
    }
    buf = BytesIO()
    im.save(buf, "JPEG", quality=quality, **({"exif": exif} if with_exif else {}))
    return buf.getvalue()


def make_field_jpeg(target: int = 350_000) -> bytes:
    """The field app's upload: 1600x1200, no EXIF, the quality nearest `target` bytes."""
    candidates = [make_phone_jpeg(1600, 1200, quality=q, with_exif=False) for q in (80, 85, 88, 90, 92, 94, 96)]
    return min(candidates, key=lambda d: abs(len(d) - target))


def spread(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


def baseline(data: bytes, long_edge: int = 1600) -> bytes:
    im = Image.open(BytesIO(data))
    target = scaled_size(*im.size, long_edge)  # aspect-correct box: draft works
    im.draft("RGB", target)
    im = im.resize(target, Image.Resampling.LANCZOS)
    out = BytesIO()
    im.save(out, "WEBP", **DISPLAY_WEBP)
    return out.getvalue()


def _ms(fn, data: bytes) -> float:
    started = time.perf_counter()
    fn(data)
    return (time.perf_counter() - started) * 1000


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise KeyError(field)


class IngestBench:
    """A migrated SQLite database in a temp folder with one guard, --history
    earlier photos, and a local blob store: what `rounds serve` runs on."""

    def __init__(self, folder: Path, history: int) -> None:
        self.folder, self.history = folder, history
        self.url = f"sqlite:///{folder / 'bench.sqlite3'}"

    async def __aenter__(self) -> IngestBench:
        import server.db  # noqa: F401  (points Piccolo at our configuration)
        from server.db import engine as db
        from server.db.migrate import migrate
        from server.db.tables import Photo, User
        from server.services.accounts import load_user
        from server.services.photos import _quarter_columns
        from server.storage import LocalStore

        self._connected = db.connected(self.url, pool_size=10)  # the server's default pool
        await self._connected.__aenter__()
        await migrate(quiet=True)
        uid = (await User.insert(User(username="bench", password_hash="x", display_name="bench", role="guard",
                                      language="en", created_at=datetime.now(UTC))).run())[0]["id"]
        self.user = await load_user(uid)
        rng, now = random.Random(4), datetime.now(UTC)
        rows = []
        for i in range(self.history):
            sha = hashlib.sha256(i.to_bytes(8, "big")).hexdigest()
            rows.append(Photo(client_uuid=uuid.UUID(int=rng.getrandbits(128)), user=uid, visit_uuid=uuid.uuid4(),
                              sha256=sha, size_bytes=3_000_000, content_type="image/jpeg", format="jpeg",
                              width=3000, height=4000, storage_key=f"originals/{sha[:2]}/{sha}",
                              display_key=f"display/{sha[:2]}/{sha}.webp", thumb_key=f"thumbs/{sha[:2]}/{sha}.webp",
                              **_quarter_columns(h := rng.getrandbits(64) - (1 << 63)), phash=h,
                              received_at=now - timedelta(minutes=rng.randrange(60 * 24 * 89)), flags={}))
            if len(rows) == 500:
                await Photo.insert(*rows).run()
                rows = []
        if rows:
            await Photo.insert(*rows).run()
        self.store = LocalStore(self.folder / "blobs", b"bench-signing-key-0123456789abcdef")
        return self

    async def __aexit__(self, *exc) -> None:
        await self._connected.__aexit__(*exc)

    async def ingest(self, data: bytes) -> None:
        from server.services.photos import ingest_photo

        data = data + uuid.uuid4().bytes  # after EOI: decoders ignore it, the sha256 is new
        created, _ = await ingest_photo(
            self.user, str(uuid.uuid4()), data, declared_sha256=hashlib.sha256(data).hexdigest(),
            store=self.store, max_bytes=15 * 1024 * 1024, max_pixels=50_000_000, visit=str(uuid.uuid4()))
        assert created


def _timed(fn, data: bytes) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn(data)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


async def _timed_async(fn, data: bytes) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    await fn(data)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


async def ingest_runs(data: bytes, runs: int, history: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        async with IngestBench(Path(folder), history) as bench:
            print(f"ingest set-up: SQLite + local store, {history:,} earlier photos "
                  f"({time.perf_counter() - started:.1f} s)")
            await bench.ingest(data)  # warm-up: engine pool, first directory creation
            base, pipe, ing = [], [], []
            for _ in range(runs):
                base.append(_timed(baseline, data))
                pipe.append(_timed(process, data))
                ing.append(await _timed_async(bench.ingest, data))
    med = {name: (statistics.median(w for w, _ in xs), statistics.median(c for _, c in xs))
           for name, xs in (("baseline", base), ("process", pipe), ("ingest", ing))}
    b_wall, b_cpu = med["baseline"]
    print(f"runs: {runs} each, interleaved (wall ms / CPU ms, medians; wall min / median / max)")
    for (name, label), xs in zip((("baseline", "bare Pillow baseline"), ("process", "process() only"),
                                  ("ingest", "whole ingest path")), (base, pipe, ing), strict=True):
        wall, cpu = med[name]
        print(f"  {label:<22} {wall:7.1f} / {cpu:7.1f}   ratio to baseline {wall / b_wall:.2f} wall, "
              f"{cpu / b_cpu:.2f} CPU   wall {spread([w for w, _ in xs])}")
    i_wall, i_cpu = med["ingest"]
    print(f"ratio ingest/baseline: {i_wall / b_wall:.2f} wall, {i_cpu / b_cpu:.2f} CPU  (target <= 1.30)")
    print(f"ingest throughput: {1000 / i_cpu:.1f} photos/s per core (CPU), {1000 / i_wall:.1f} photos/s "
          f"one at a time (wall)")


def rss_child_ingest(path: str, history: int) -> None:
    """Fresh interpreter: peak RSS growth of one whole ingest, after a warm-up
    ingest of a tiny photo (imports, engine, first writes) as in rss_child."""
    data = Path(path).read_bytes()
    small = BytesIO()
    Image.new("RGB", (64, 48)).save(small, "JPEG")

    async def run() -> float:
        with tempfile.TemporaryDirectory() as folder:
            async with IngestBench(Path(folder), history) as bench:
                await bench.ingest(small.getvalue())
                Path("/proc/self/clear_refs").write_text("5")
                before = _status_mb("VmRSS")
                await bench.ingest(data)
                return _status_mb("VmHWM") - before

    print(asyncio.run(run()))


def rss_child(path: str) -> None:
    """Run in a fresh interpreter: peak RSS growth caused by one process().
    ru_maxrss survives exec() on Linux (it would report the parent's peak), so
    use /proc VmHWM, reset after a warm-up that pays the one-time imports
    (pillow_heif, scipy for pHash)."""
    data = Path(path).read_bytes()
    small = BytesIO()
    Image.new("RGB", (64, 48)).save(small, "JPEG")
    process(small.getvalue())
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to current RSS
        before = _status_mb("VmRSS")
        process(data)
        print(_status_mb("VmHWM") - before)
    except OSError:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        process(data)
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--history", type=int, default=20_000,
                        help="earlier photos in the database for the reuse scan (default 20000)")
    parser.add_argument("--inputs", default="field,12mp", help="field (1600 px, ~350 KB) and/or 12mp")
    parser.add_argument("--rss-child", help=argparse.SUPPRESS)
    parser.add_argument("--rss-child-ingest", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        rss_child(args.rss_child)
        return
    if args.rss_child_ingest:
        rss_child_ingest(args.rss_child_ingest, args.history)
        return
    logging.disable(logging.INFO)  # Piccolo logs each engine start
    makers = {"field": (make_field_jpeg, "the field app's upload, no EXIF"),
              "12mp": (make_phone_jpeg, "camera original q92, EXIF orientation 6 + GPS")}
    for name in args.inputs.split(","):
        make, what = makers[name.strip()]
        data = make()
        probe = Image.open(BytesIO(data))
        print(f"=== input {name}: {probe.size[0]}x{probe.size[1]} JPEG, {len(data) / 1e3:.0f} kB ({what})")
        measure(data, args)
        print()


def measure(data: bytes, args) -> None:
    first = process(data)  # warm-up: HEIF opener registration, codec init
    baseline(data)
    print(
        f"display: {first.display_size[0]}x{first.display_size[1]} WebP {DISPLAY_WEBP}, "
        f"{len(first.display) / 1e3:.1f} kB; thumb {first.thumb_size[0]}x{first.thumb_size[1]} "
        f"{len(first.thumb) / 1e3:.1f} kB; captured_at {first.exif_captured_at}"
    )

    base_ms: list[float] = []
    pipe_ms: list[float] = []
    for _ in range(args.runs):
        base_ms.append(_ms(baseline, data))
        pipe_ms.append(_ms(process, data))
    b, p = statistics.median(base_ms), statistics.median(pipe_ms)
    print(f"runs: {args.runs} each, interleaved")
    print(f"baseline (open+draft+resize+WebP) median: {b:7.1f} ms  (min / median / max {spread(base_ms)})")
    print(f"pipeline process()          median: {p:7.1f} ms  (min / median / max {spread(pipe_ms)})")
    print(f"ratio pipeline/baseline: {p / b:.2f} of medians, {min(pipe_ms) / min(base_ms):.2f} of minimums  (target <= 1.30)")
    print(f"throughput: {1000 / p:.1f} photos/s/core")

    # Why DISPLAY_WEBP is what it is: encoder effort vs bytes on the same image.
    display = Image.open(BytesIO(first.display)).convert("RGB")
    print("WebP choices for the display image (median of 5 encodes):")
    for quality, method in ((80, 0), (80, 2), (80, 4), (75, 2), (85, 2)):
        times, size = [], 0
        for _ in range(5):
            buf = BytesIO()
            started = time.perf_counter()
            display.save(buf, "WEBP", quality=quality, method=method)
            times.append((time.perf_counter() - started) * 1000)
            size = len(buf.getvalue())
        print(f"  quality={quality} method={method}: {statistics.median(times):6.1f} ms, {size / 1e3:6.1f} kB")

    tracemalloc.start()
    process(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"tracemalloc peak per photo: {peak / 1e6:.1f} MB (Python heap only; Pillow pixel buffers are not traced)")

    with tempfile.NamedTemporaryFile(suffix=".jpg", delete=False) as fh:
        fh.write(data)
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--rss-child", fh.name],
            capture_output=True, text=True, check=True,
        )
        print(f"peak RSS growth for one process() in a fresh interpreter: {float(out.stdout):.1f} MB")
        out = subprocess.run(
            [sys.executable, __file__, "--rss-child-ingest", fh.name, "--history", str(args.history)],
            capture_output=True, text=True, check=True,
        )
        print(f"peak RSS growth for one whole ingest in a fresh interpreter: {float(out.stdout.split()[-1]):.1f} MB")
    finally:
        os.unlink(fh.name)

    print()
    print("(3) the whole server ingest path")
    asyncio.run(ingest_runs(data, args.runs, args.history))


if __name__ == "__main__":
    main()
