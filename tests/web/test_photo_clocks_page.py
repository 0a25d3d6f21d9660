"""The camera's time (EXIF) is shown beside the phone's and the server's, on
the supervisor's visit page and in the evidence print's caption; a camera
time far from the phone's is marked."""

import hashlib
import re
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PIL import ExifTags, Image

from server.db.tables import Photo, Visit
from server.services.photo_views import caption_lines
from server.services.photos import ingest_photo
from server.services.visits import ingest_visit
from tests.factories import visit_body
from tests.photos.conftest import encode, synthetic_photo
from tests.supervision_support import SECRET, user


def camera_jpeg(taken: str, seed: int) -> bytes:
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    return encode(synthetic_photo(seed, (320, 240)), "JPEG", exif=exif.tobytes())


async def _visit_with(console, shots: list[tuple[str, str]]) -> tuple[int, list[str]]:
    lead = await user(console.world, "team_lead")
    store = console.client.app.state.store
    vid, pids = str(uuid.uuid4()), []
    for i, (taken, device) in enumerate(shots):
        data = camera_jpeg(taken, seed=90 + i)
        pid = str(uuid.uuid4())
        await ingest_photo(lead, pid, data, declared_sha256=hashlib.sha256(data).hexdigest(), store=store,
                           max_bytes=5_000_000, max_pixels=50_000_000, visit=vid, item_id="floor",
                           captured_at=device)
        pids.append(pid)
    await ingest_visit(lead, vid, visit_body(console.world, answers=[
        {"item": "floor", "value": "fail", "note": "x", "photos": pids}, {"item": "smell", "value": True}]),
        secret=SECRET)
    row = await Visit.select().where(Visit.client_uuid == uuid.UUID(vid)).first().run()
    return row, pids


async def test_visit_page_and_caption_show_camera_device_and_received_times(console):
    visit, (fresh, old) = await _visit_with(console, [
        ("2026:11:22 08:15:30", "2026-11-22T08:16:00+08:00"),
        ("2026:11:19 17:02:00", "2026-11-22T08:18:00+08:00"),  # picked from the gallery
    ])
    await console.login("supervisor")
    page = (await console.client.get(f"/console/visits/{visit['id']}")).text
    spans = [" ".join(s.split()) for s in re.findall(r'<span class="photo-times[^"]*"[^>]*>(.*?)</span>', page, re.S)]
    received = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d")
    assert spans[0].startswith("taken 08:15 (camera) · device 08:16 · received " + received), spans
    assert spans[1].startswith("⚠ taken 2026-11-19 17:02 (camera) · device 08:18 · received"), spans
    assert 'class="photo-times mismatch"' in page and "the photo may be old" in page

    row = await Photo.select().where(Photo.client_uuid == uuid.UUID(fresh)).first().run()
    lines = await caption_lines(row, visit)
    time_line = next(line for line in lines if line.startswith("时间 Time"))
    assert time_line.startswith("时间 Time 2026-11-22: 拍摄 taken 08:15 (相机 camera) · 设备 device 08:16 · "
                                f"收到 received {received}")
    assert time_line.endswith("(CST)")
    row = await Photo.select().where(Photo.client_uuid == uuid.UUID(old)).first().run()
    assert any("2026-11-19 17:02 (相机 camera)" in line and "⚠ 相机时间不符 camera time differs" in line
               for line in await caption_lines(row, visit))
