"""`rounds serve --workers 2` on PostgreSQL + S3 (moto over HTTP): the field loop
runs through both worker processes (a session made on one is valid on the
other), and SIGKILLing the worker that holds an upload or a batch loses
nothing once the phone retries."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import http.client
import json
import os
import signal
import time
import urllib.request

import pytest

from server.db import engine as db
from server.db.migrate import migrate
from tests.factories import PASSWORD, build_world
from tests.photos.conftest import encode, synthetic_photo
from tests.scale_support import Conn, batch_body, conn_on, login, new_uuid, serve


@pytest.fixture
def two_workers(scratch_pg, moto_endpoint, tmp_path):
    import boto3

    url = scratch_pg("scaleout")

    async def prepare():
        async with db.connected(url):
            await migrate()
            return await build_world()

    world = asyncio.run(prepare())
    bucket = f"rounds-scale-{os.getpid()}"
    boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=bucket)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "STORAGE_URL": f"s3://{bucket}/photos?endpoint={moto_endpoint}&region=us-east-1&path_style=true",
        "S3_ACCESS_KEY": "testing", "S3_SECRET_KEY": "testing",
        "SECRET_KEY": "scale-secret-key-0123456789abcdefghijklmnop",
        "VAR_DIR": str(tmp_path / "var"),
        "LOGIN_ATTEMPTS": "1000",
        "PHOTO_WORKERS": "1",
        "DATABASE_POOL_SIZE": "4",
    }
    app = serve(env, 2, tmp_path / "serve.log", cwd=tmp_path)
    app.world, app.database_url = world, url
    try:
        yield app
    finally:
        app.stop()


def _visit(world, photo: str | None = None) -> tuple[str, bytes]:
    from datetime import UTC, datetime

    now = datetime.now(UTC).isoformat()
    answers = [{"item": "floor", "value": "pass", **({"photos": [photo]} if photo else {})},
               {"item": "smell", "value": True}, {"item": "soap", "value": "full"}]
    body = {"tag_code": world.tags["a_toilet"]["code"], "template_version_id": world.versions["a_toilet"],
            "kind": "patrol", "scan_method": "scan", "scanned_at": now, "finished_at": now,
            "device_id": "scale-phone", "note": "", "answers": answers}
    return new_uuid(), json.dumps(body).encode()


def _photo(seed: int) -> bytes:
    return encode(synthetic_photo(seed, (800, 600)), "JPEG", quality=85)


def _photo_path(uid: str, visit: str) -> str:
    return f"/api/v1/photos/{uid}?visit={visit}&item=floor"


def _photo_headers(data: bytes) -> dict:
    return {"Content-Type": "image/jpeg", "X-Content-SHA256": hashlib.sha256(data).hexdigest()}


def _rows(url: str, sql: str) -> list[dict]:
    async def run():
        async with db.connected(url) as engine:
            return await engine.run_ddl(sql)

    return asyncio.run(run())


def _send_until_acked(app, cookies, method, path, body, headers, ok=(200, 201)) -> tuple[int, bytes]:
    """What the phone's outbox does: resend the same bytes on a new connection
    until the server answers (a dropped connection is just another retry)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            c = Conn(app, cookies)
            try:
                status, _, data = c.send(method, path, body, headers)
            finally:
                c.close()
            if status in ok:
                return status, data
            raise AssertionError(f"{status} {data[:300]!r}")
        except (ConnectionError, OSError, AssertionError) as exc:
            if isinstance(exc, AssertionError) and "no worker holds" not in str(exc):
                raise
            assert time.monotonic() < deadline, f"not acked within 60 s: {exc}"
            time.sleep(0.3)


def test_field_loop_crosses_workers(two_workers):
    app, world = two_workers, two_workers.world
    w1, w2 = app.workers()[:2]
    # Log in on one worker, then use the session on the other.
    phone = conn_on(app, w1, {})
    status, body = phone.json("POST", "/api/v1/session", {"username": "guard", "password": PASSWORD})
    assert status == 200, body
    cookies = phone.cookies
    other = conn_on(app, w2, cookies)
    status, headers, pack = other.send("GET", "/api/v1/pack")
    assert status == 200, pack[:300]
    assert world.tags["a_toilet"]["code"] in pack.decode()
    # The pack's ETag is computed from the data, so either worker answers 304 to it.
    status, _, _ = phone.send("GET", "/api/v1/pack", headers={"If-None-Match": headers["etag"]})
    assert status == 304

    photos, visits = {}, []
    for i in range(4):
        pid, data = new_uuid(), _photo(100 + i)
        uid, body = _visit(world, pid)
        conn = (phone, other)[i % 2]
        status, _, reply = conn.send("PUT", _photo_path(pid, uid), data, _photo_headers(data))
        assert status == 201, reply[:300]
        photos[pid] = data
        visits.append((uid, body))
    status, _, reply = other.send("POST", "/api/v1/visits/batch", batch_body(visits),
                                  {"Content-Type": "application/json"})
    assert status == 200, reply[:300]
    results = json.loads(reply)["results"]
    assert [r["status"] for r in results] == [201] * 4

    # Read back through the console, the supervisor's session also crossing workers.
    desk = conn_on(app, w2, {})
    status, _, page = desk.send("GET", "/console/login")
    token = page.decode().split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
    form = f"username=supervisor&password={PASSWORD}&next=/console&_csrf_token={token}".encode()
    status, _, _ = desk.send("POST", "/console/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303
    desk2 = conn_on(app, w1, desk.cookies)
    for result, (_, body), pid in zip(results, visits, photos, strict=True):
        status, _, html = desk2.send("GET", f"/console/visits/{result['visit']['id']}")
        assert status == 200
        assert json.loads(body)["answers"][0]["photos"] == [pid]
        assert f"/photos/{pid}/evidence.jpg" in html.decode()
    # The original bytes come back from S3 unchanged, whichever worker signs the link.
    for n, (pid, data) in enumerate(photos.items()):
        status, reply = (phone, other)[n % 2].json("GET", f"/api/v1/photos/{pid}")
        assert status == 200
        assert reply["photo"]["sha256"] == hashlib.sha256(data).hexdigest()
        with urllib.request.urlopen(reply["photo"]["urls"]["original"], timeout=10) as r:
            assert hashlib.sha256(r.read()).hexdigest() == hashlib.sha256(data).hexdigest()
    for c in (phone, other, desk, desk2):
        c.close()


def test_killing_a_worker_mid_batch_loses_nothing(two_workers):
    app, world = two_workers, two_workers.world
    _, cookies = login(app, "guard", PASSWORD)
    photos = {new_uuid(): _photo(200 + i) for i in range(4)}
    photo_ids = list(photos)
    visits = [_visit(world, photo_ids[i] if i < len(photo_ids) else None) for i in range(50)]
    visit_of = {json.loads(b)["answers"][0]["photos"][0]: u for u, b in visits[:len(photo_ids)]}
    killed = []

    # 1. A photo upload half sent when its worker dies.
    pid0 = photo_ids[0]
    c = Conn(app, cookies)
    c.start("PUT", _photo_path(pid0, visit_of[pid0]), photos[pid0], _photo_headers(photos[pid0]),
            partial=len(photos[pid0]) // 2)
    os.kill(c.pid, signal.SIGKILL)
    killed.append(c.pid)
    with pytest.raises((ConnectionError, OSError, http.client.HTTPException)):
        c.http.send(photos[pid0][len(photos[pid0]) // 2:])
        c.finish()  # the worker died holding half the body: no reply can come
    c.close()
    for pid in photo_ids:
        _send_until_acked(app, cookies, "PUT", _photo_path(pid, visit_of[pid]), photos[pid], _photo_headers(photos[pid]))

    # 2. A whole batch sent, its worker killed while it is being written.
    app.wait_for_workers(2)  # uvicorn replaces the dead worker
    first = batch_body(visits[:25])
    c = Conn(app, cookies)
    c.start("POST", "/api/v1/visits/batch", first, {"Content-Type": "application/json"})
    time.sleep(0.05)  # inside the request: parsing, checking or writing (the moment is not pinned down)
    os.kill(c.pid, signal.SIGKILL)
    killed.append(c.pid)
    with contextlib.suppress(ConnectionError, OSError, http.client.HTTPException):
        c.finish()  # a reply that beat the kill is ignored: the phone never saw it either
    c.close()
    for chunk in (visits[:25], visits[25:]):
        _, reply = _send_until_acked(app, cookies, "POST", "/api/v1/visits/batch", batch_body(chunk),
                                     {"Content-Type": "application/json"})
        assert {r["status"] for r in json.loads(reply)["results"]} <= {200, 201}

    # Every visit and photo is on the server exactly once, bytes intact.
    assert len(set(killed)) == 2
    url = app.database_url
    stored = _rows(url, 'SELECT client_uuid::text AS u, count(*) AS n FROM "visit" GROUP BY client_uuid')
    assert sorted(r["u"] for r in stored) == sorted(u for u, _ in visits)
    assert {r["n"] for r in stored} == {1}
    assert _rows(url, 'SELECT count(*) AS n FROM "answer"')[0]["n"] == 3 * len(visits)
    rows = _rows(url, 'SELECT client_uuid::text AS u, sha256 FROM "photo"')
    assert {r["u"]: r["sha256"] for r in rows} == {
        pid: hashlib.sha256(data).hexdigest() for pid, data in photos.items()}
    for pid, data in photos.items():
        status, reply = Conn(app, cookies).json("GET", f"/api/v1/photos/{pid}")
        with urllib.request.urlopen(reply["photo"]["urls"]["original"], timeout=10) as r:
            assert hashlib.sha256(r.read()).hexdigest() == hashlib.sha256(data).hexdigest()
