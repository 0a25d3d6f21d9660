"""Reference photos ("what good looks like"): uploaded per item in the
checklist editor through the photo pipeline, kept in the published version,
delivered in the pack as a URL the phone can cache, and shown beside the
submitted photo on the review screen. A bad file is refused with a code and
nothing is saved."""

import hashlib
import io
import re
import uuid

from PIL import Image

from server.db.tables import AuditLog, Template, TemplateVersion
from server.domain import reference_photo
from tests.factories import visit_body
from tests.supervision_support import photo, user

API = {"X-Rounds-Client": "pwa"}


def _fields(html: str) -> dict:
    """The editor form's current values, as a browser would post them."""
    out: dict = {}
    for tag in re.findall(r"<input[^>]*>", html):
        m = re.search(r'name="(items-[^"]+|name_zh|name_en|department)"[^>]*value="([^"]*)"', tag)
        if m and ('type="checkbox"' not in tag or " checked" in tag):  # as a browser posts checkboxes
            out.setdefault(m[1], []).append(m[2])
    for name, body in re.findall(r'<textarea[^>]*name="(items-[^"]+)"[^>]*>([^<]*)</textarea>', html):
        out[name] = [body]
    for name, value in re.findall(r'<select[^>]*name="(items-[^"]+)"[^>]*>.*?<option value="([^"]*)" selected', html, re.S):
        out[name] = [value]
    return out


def _picture() -> bytes:
    """A clean floor: a phone-sized JPEG with EXIF orientation 6 (held upright)."""
    img = Image.new("RGB", (1600, 1200), (200, 205, 210))
    for x in range(0, 1600, 100):
        img.paste((150, 150, 160), (x, 0, x + 4, 1200))
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, exif=exif)
    return buf.getvalue()


async def _open_toilet_draft(console) -> tuple[str, int]:
    a = console.world.site_a
    tid = (await Template.select(Template.id).where((Template.site == a) & (Template.key == "toilet"))
           .first().run())["id"]
    url = f"/console/setup/sites/{a}/templates/{tid}"
    # the factory's template has an empty draft: start from the published version
    assert (await console.post(url + "/discard", {}, follow_redirects=False)).status_code == 303
    return url, tid


async def test_upload_publish_pack_and_review(console):
    await console.login("admin")
    url, tid = await _open_toilet_draft(console)
    page = await console.client.get(url)
    assert 'enctype="multipart/form-data"' in page.text and 'name="items-0-reference_file"' in page.text
    raw = _picture()
    ref = hashlib.sha256(raw).hexdigest()
    # "Upload photo" stores it and shows it at once, unsaved
    shown = await console.post(url, {**_fields(page.text), "op": "upload:0"},
                               files={"items-0-reference_file": ("clean-floor.jpg", raw, "image/jpeg")})
    assert shown.status_code == 200 and reference_photo.url(ref, "thumb") in shown.text
    assert f'data-ref="{ref}"' in shown.text
    published = await console.post(url, {**_fields(shown.text), "op": "publish"}, follow_redirects=False)
    assert published.status_code == 303 and "done=published" in published.headers["location"]
    v2 = await TemplateVersion.select().where((TemplateVersion.template == tid) & (TemplateVersion.version == 2)
                                              ).output(load_json=True).first().run()
    assert v2["items"][0]["id"] == "floor" and v2["items"][0]["reference_photo"] == ref
    assert all(i["reference_photo"] is None for i in v2["items"][1:])
    assert await AuditLog.exists().where(AuditLog.action == "setup.reference_photo.upload").run()
    version_page = await console.client.get(f"/console/setup/sites/{console.world.site_a}/versions/{v2['id']}")
    assert reference_photo.url(ref, "thumb") in version_page.text

    # the phone: the pack names the photo by URL, and the URL serves the (upright, metadata-free) image
    console.client.cookies.clear()
    login = await console.client.post("/api/v1/session", json={"username": "cleaner", "password":
                                                               "correct-horse-battery"}, headers=API)
    assert login.status_code == 200
    pack = (await console.client.get("/api/v1/pack", headers=API)).json()
    tpl = next(t for t in pack["templates"] if t["id"] == v2["id"])
    floor = next(i for i in tpl["items"] if i["id"] == "floor")
    assert floor["reference_photo_url"] == reference_photo.url(ref)
    assert "reference_photo_url" not in next(i for i in tpl["items"] if i["id"] == "smell")
    img = await console.client.get(floor["reference_photo_url"])
    assert img.status_code == 200 and img.headers["content-type"] == "image/webp"
    assert "immutable" in img.headers["cache-control"]
    decoded = Image.open(io.BytesIO(img.content))
    assert decoded.format == "WEBP" and decoded.size == (960, 1280)  # turned upright, long edge 1280
    assert not decoded.getexif()
    thumb = await console.client.get(reference_photo.url(ref, "thumb"))
    assert thumb.status_code == 200 and max(Image.open(io.BytesIO(thumb.content)).size) == 320
    assert (await console.client.get(f"/api/v1/reference-photos/{'0' * 64}.webp", headers=API)).status_code == 404
    assert (await console.client.get("/api/v1/reference-photos/..%2Fsecret.webp", headers=API)).status_code == 404
    console.client.cookies.clear()
    assert (await console.client.get(floor["reference_photo_url"], headers=API)).status_code == 401

    # a failed item with a photo, made against v2: the reviewer sees the reference beside it
    from server.services.visits import ingest_visit

    cleaner = await user(console.world, "cleaner")
    vid = str(uuid.uuid4())
    pid = await photo(cleaner, console.client.app.state.store, vid, "floor", colour=(90, 60, 30))
    await ingest_visit(cleaner, vid, visit_body(console.world, kind="self_check", template_version_id=v2["id"],
                                                answers=[{"item": "floor", "value": "fail", "note": "litter",
                                                          "photos": [pid]}, {"item": "smell", "value": True},
                                                         {"item": "soap", "value": "full"}]),
                       secret="x")
    await console.login("supervisor")
    review = await console.client.get("/console/review")
    assert review.status_code == 200 and pid in review.text
    assert f'<img src="{reference_photo.url(ref)}"' in review.text


async def test_a_bad_file_is_refused_with_a_code_and_nothing_is_saved(console):
    await console.login("admin")
    url, tid = await _open_toilet_draft(console)
    page = await console.client.get(url)
    before = (await Template.select(Template.draft_items).where(Template.id == tid).output(load_json=True)
              .first().run())["draft_items"]
    fields = {**_fields(page.text), "items-0-label_en": ["typed before the upload"], "op": "save"}
    for payload, code, status in ((b"%PDF-1.4 not a photo", "unsupported_media_type", 415),
                                  (_picture()[:3000], "image_corrupt", 422),
                                  (b"", "photo_empty", 422)):
        refused = await console.post(url, fields, files={"items-0-reference_file": ("x.jpg", payload, "image/jpeg")})
        assert refused.status_code == status, code
        assert f'data-code="{code}"' in refused.text and 'id="err-items-0-reference_photo"' in refused.text
        assert "typed before the upload" in refused.text  # nothing typed is lost
    after = (await Template.select(Template.draft_items).where(Template.id == tid).output(load_json=True)
             .first().run())["draft_items"]
    assert after == before
    assert not await AuditLog.exists().where(AuditLog.action == "setup.reference_photo.upload").run()
    assert not [k async for k in console.client.app.state.store.iter_keys("reference/")]


async def test_removing_a_reference_photo_keeps_old_versions_pointing_at_it(console):
    await console.login("admin")
    url, tid = await _open_toilet_draft(console)
    page = await console.client.get(url)
    raw = _picture()
    ref = hashlib.sha256(raw).hexdigest()
    await console.post(url, {**_fields(page.text), "op": "publish"},
                       files={"items-0-reference_file": ("a.jpg", raw, "image/jpeg")}, follow_redirects=False)
    page = await console.client.get(url)
    assert 'id="ref-remove-0"' in page.text
    removed = await console.post(url, {**_fields(page.text), "op": "unref:0"})
    assert 'id="ref-0" data-ref=""' in removed.text and 'id="ref-remove-0"' not in removed.text
    await console.post(url, {**_fields(removed.text), "op": "publish"}, follow_redirects=False)
    versions = {v["version"]: v for v in await TemplateVersion.select().where(TemplateVersion.template == tid)
                .output(load_json=True).run()}
    assert versions[2]["items"][0]["reference_photo"] == ref and versions[3]["items"][0]["reference_photo"] is None
