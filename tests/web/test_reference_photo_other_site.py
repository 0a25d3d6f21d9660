"""A checklist's reference photo given as a submitted photo's UUID must be a
photo of the template's own site: an admin of site B cannot publish site A's
evidence as a reference (console editor, site import), and a version that
names one anyway never shows it on site B's review or visit pages."""

import copy
import re
import uuid
from datetime import UTC, datetime

import pytest

from server.db.tables import Membership, Site, Template, TemplateVersion, User
from server.domain.checklist_form import choices_to_text
from server.domain.errors import RoundsError
from server.services import site_transfer
from tests.factories import PASSWORD, TOILET_ITEMS, visit_body
from tests.supervision_support import photo, send_visit, user


async def _member_of_b(role: str) -> str:
    from server.lib.passwords import hash_password

    now = datetime.now(UTC)
    name = f"{role}_b"
    uid = (await User.insert(User(username=name, password_hash=hash_password(PASSWORD), display_name=name,
                                  role=role, language="en", created_at=now)).run())[0]["id"]
    site_b = (await Site.select(Site.id).where(Site.code == "beta").first().run())["id"]
    await Membership.insert(Membership(user=uid, site=site_b, created_at=now)).run()
    return name


async def _site_a_photo(console) -> str:
    """A failed-item photo of site A's toilet, with its visit stored."""
    cleaner = await user(console.world, "cleaner")
    vid = str(uuid.uuid4())
    pid = await photo(cleaner, console.client.app.state.store, vid, "floor", colour=(200, 40, 40))
    await send_visit(console.world, cleaner, floor="fail", kind="self_check", visit_uuid=vid, photos=[pid])
    return pid


async def _toilet(site_id: int) -> int:
    return (await Template.select(Template.id).where((Template.site == site_id) & (Template.key == "toilet"))
            .first().run())["id"]


def _form(ref: str) -> dict:
    """The editor's form for the toilet items, the floor item naming `ref`."""
    fields: dict = {"name_zh": "卫生间", "name_en": "Toilet", "department": "cleaning", "op": "publish"}
    for i, item in enumerate(TOILET_ITEMS):
        for key in ("id", "kind", "label_zh", "label_en"):
            fields[f"items-{i}-{key}"] = item[key]
        fields[f"items-{i}-required"] = "1" if item.get("required") else ""
        fields[f"items-{i}-points"] = str(item.get("points", 0))
        if item.get("choices"):
            fields[f"items-{i}-choices"] = choices_to_text(item["choices"])
    fields["items-0-reference_photo"] = ref
    return fields


async def test_site_b_admin_cannot_publish_a_site_a_photo_as_reference(console):
    pid = await _site_a_photo(console)
    await console.login(await _member_of_b("admin"))
    tid = await _toilet(console.world.site_b)
    versions = await TemplateVersion.count().where(TemplateVersion.template == tid).run()
    draft = (await Template.select(Template.draft_items).where(Template.id == tid).first().run())["draft_items"]

    page = await console.post(f"/console/setup/sites/{console.world.site_b}/templates/{tid}", _form(pid),
                              follow_redirects=False)

    assert page.status_code == 422, page.text[:500]
    assert 'data-code="invalid_template"' in page.text and 'id="err-items-0-reference_photo"' in page.text
    assert await TemplateVersion.count().where(TemplateVersion.template == tid).run() == versions
    assert (await Template.select(Template.draft_items).where(Template.id == tid).first().run())[
        "draft_items"] == draft


async def test_site_a_admin_may_publish_a_site_a_photo_as_reference(console):
    pid = await _site_a_photo(console)
    await console.login("admin")
    tid = await _toilet(console.world.site_a)
    page = await console.post(f"/console/setup/sites/{console.world.site_a}/templates/{tid}", _form(pid),
                              follow_redirects=False)
    assert page.status_code == 303, re.findall(r"data-code=\"[^\"]*\"|id=\"err-[^\"]*\"[^<]*<", page.text)
    latest = await TemplateVersion.select().where(TemplateVersion.template == tid).order_by(
        TemplateVersion.version, ascending=False).output(load_json=True).first().run()
    assert latest["items"][0]["reference_photo"] == pid


async def test_site_import_refuses_a_photo_uuid_reference(console):
    pid = await _site_a_photo(console)
    admin_b = await user(console.world, "admin")
    doc = copy.deepcopy(await site_transfer.export_site(console.world.site_b))
    doc["templates"][0]["versions"][0]["items"][0]["reference_photo"] = pid
    sites = await Site.count().run()
    with pytest.raises(RoundsError) as refused:
        await site_transfer.import_site(doc, actor=admin_b, code="gamma", fresh_labels=True)
    assert refused.value.code == "invalid_document"
    assert refused.value.detail["path"].endswith("reference_photo")
    assert await Site.count().run() == sites


async def test_a_version_naming_another_sites_photo_never_shows_it(console):
    """As if published before references were checked: site B's version names
    site A's photo; site B's supervisor reviews a site-B visit made with it."""
    pid = await _site_a_photo(console)
    tid = await _toilet(console.world.site_b)
    items = copy.deepcopy(TOILET_ITEMS)
    items[0]["reference_photo"] = pid
    version = (await TemplateVersion.insert(TemplateVersion(
        template=tid, version=2, name_zh="卫生间", name_en="Toilet", items=items, checksum="z",
        published_at=datetime.now(UTC))).run())[0]["id"]
    guard_b = await user(console.world, "guard")
    guard_b = type(guard_b)(**{**guard_b.__dict__, "id": console.world.outsider, "username": "outsider",
                               "site_ids": frozenset({console.world.site_b})})
    vid = str(uuid.uuid4())
    b_photo = await photo(guard_b, console.client.app.state.store, vid, "floor", colour=(30, 30, 200))
    from server.services.visits import ingest_visit

    created, visit = await ingest_visit(guard_b, vid, visit_body(
        console.world, tag_code=console.world.tags["b_toilet"]["code"], template_version_id=version,
        answers=[{"item": "floor", "value": "fail", "note": "litter", "photos": [b_photo]},
                 {"item": "smell", "value": True}]), secret="x")
    assert created

    await console.login(await _member_of_b("supervisor"))
    review = await console.client.get(f"/console/review?site={console.world.site_b}")
    page = await console.client.get(f"/console/visits/{visit['id']}")
    for response in (review, page):
        assert response.status_code == 200
        assert b_photo in response.text  # the page is the one with the site-B photo ...
        assert pid not in response.text  # ... and names nothing of site A's
    a_photo = await photo_row(pid)
    for key in (a_photo["display_key"], a_photo["thumb_key"]):
        assert key not in review.text and key not in page.text


async def photo_row(pid: str) -> dict:
    from server.db.tables import Photo

    return await Photo.select().where(Photo.client_uuid == uuid.UUID(pid)).first().run()
