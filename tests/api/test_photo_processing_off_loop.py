"""Photo work (sha256 and the Pillow pipeline) runs in worker threads, so the
server keeps answering other requests while a large photo is processed; and
at most PHOTO_WORKERS photos are decoded at once, so a burst of uploads
queues instead of holding many decoded images in memory."""

import asyncio
import dataclasses
import threading
import time
import uuid
from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from server.photos import pipeline
from tests.api.conftest import concurrent_api


def heavy_png(seed: int = 0, side: int = 6000) -> bytes:
    """36 MP that compress to well under a megabyte: about a second of decode
    and resize, with no JPEG draft shortcut."""
    y, x = np.mgrid[0:side, 0:side]
    arr = np.stack([(x * 255 // side + seed) % 256, y * 255 // side, (x + y) * 255 // (2 * side)], -1)
    buf = BytesIO()
    Image.fromarray(arr.astype(np.uint8)).save(buf, "PNG", compress_level=6)
    return buf.getvalue()


async def test_cheap_requests_are_answered_while_a_large_photo_is_processed(settings, monkeypatch):
    data = heavy_png()
    window = {}  # when the pipeline ran for this photo (monotonic seconds)
    real_process = pipeline.process

    def timed_process(*args, **kwargs):
        window["start"] = time.monotonic()
        try:
            return real_process(*args, **kwargs)
        finally:
            window["end"] = time.monotonic()

    monkeypatch.setattr(pipeline, "process", timed_process)
    async with concurrent_api(settings) as api:
        await api.login("guard")
        upload = asyncio.create_task(api.put_photo(str(uuid.uuid4()), data, visit=str(uuid.uuid4())))
        checks = []  # (sent, answered) of health checks made while the upload was pending
        while not upload.done():
            sent = time.monotonic()
            health = await api.client.get("/healthz")
            assert health.status_code == 200
            checks.append((sent, time.monotonic()))
            await asyncio.sleep(0.01)
        response = await upload
    assert response.status_code == 201, response.text
    start, end = window["start"], window["end"]
    assert end - start > 0.3, "the photo was too quick to prove anything"
    # Sent after the pipeline started and answered before it finished: impossible
    # if the pipeline held the event loop.
    inside = [(s, a) for s, a in checks if s >= start and a <= end]
    assert len(inside) >= 3, (end - start, checks)


@pytest.mark.parametrize("workers", [1, 2])
async def test_photo_decoding_is_capped_by_photo_workers(settings, monkeypatch, workers):
    running, peak, lock = 0, 0, threading.Lock()
    real_process = pipeline.process

    def counting_process(*args, **kwargs):
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        try:
            return real_process(*args, **kwargs)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(pipeline, "process", counting_process)
    photos = [heavy_png(seed, side=4000) for seed in range(3)]
    async with concurrent_api(dataclasses.replace(settings, photo_workers=workers)) as api:
        await api.login("guard")
        responses = await asyncio.gather(*(api.put_photo(str(uuid.uuid4()), p) for p in photos))
    assert [r.status_code for r in responses] == [201, 201, 201]
    assert peak == workers
