"""Drafts, publishing as immutable versions, copies, library, JSON documents."""

import pytest

from server.db.tables import AuditLog, Template, TemplateVersion, Visit
from server.domain.errors import RoundsError
from server.services import setup_templates
from tests.factories import TOILET_ITEMS


async def _toilet(site: int) -> int:
    return (await Template.select(Template.id).where((Template.site == site) & (Template.key == "toilet"))
            .first().run())["id"]


async def test_publish_makes_a_new_frozen_version_and_old_ones_stay(world, admin):
    tid = await _toilet(world.site_a)
    header = {"name_zh": "卫生间", "name_en": "Toilet", "department": "cleaning"}
    items = [dict(i) for i in TOILET_ITEMS] + [{"id": "mirror", "kind": "pass_fail", "label_zh": "镜面无水渍",
                                               "label_en": "Mirror spotless", "photo_on_fail": True, "points": 1}]
    await setup_templates.save_draft(world.site_a, tid, header, items, actor=admin)
    assert await TemplateVersion.count().where(TemplateVersion.template == tid).run() == 1  # a draft is not live
    number, created = await setup_templates.publish(world.site_a, tid, actor=admin)
    assert (number, created) == (2, True)
    assert await setup_templates.publish(world.site_a, tid, actor=admin) == (2, False)  # unchanged: no v3
    v1 = await setup_templates.version(world.site_a, world.versions["a_toilet"])
    v2 = await TemplateVersion.select().where((TemplateVersion.template == tid) & (TemplateVersion.version == 2)
                                               ).output(load_json=True).first().run()
    assert len(v1["items"]) == 4 and len(v2["items"]) == 5 and v2["published_by"] == admin.id
    assert await AuditLog.exists().where(AuditLog.action == "setup.template.publish").run()


async def test_an_invalid_draft_is_refused_with_the_item_and_field(world, admin):
    tid = await _toilet(world.site_a)
    bad = [dict(TOILET_ITEMS[0]), {"id": "n", "kind": "number", "label_zh": "温度", "label_en": "Temp", "min": 5, "max": 1}]
    with pytest.raises(RoundsError) as exc:
        await setup_templates.save_draft(world.site_a, tid, {"name_zh": "卫生间", "name_en": "Toilet"}, bad, actor=admin)
    assert exc.value.code == "invalid_template" and exc.value.detail["index"] == 1
    empty = await setup_templates.create(world.site_a, {"key": "new", "name_zh": "新"}, actor=admin)
    with pytest.raises(RoundsError):
        await setup_templates.publish(world.site_a, empty, actor=admin)  # nothing to publish


async def test_copy_library_and_json_round_trip(world, admin):
    tid = await _toilet(world.site_a)
    copy_id = await setup_templates.copy(world.site_a, tid, actor=admin)
    copied = await setup_templates.get(world.site_a, copy_id)
    assert copied["key"] == "toilet-copy" and copied["draft_items"] == (await setup_templates.get(world.site_a, tid))["draft_items"]
    assert copied["versions"] == []
    lib = await setup_templates.add_from_library(world.site_a, "toilet", actor=admin)
    row = await setup_templates.get(world.site_a, lib)
    assert row["key"] == "toilet-2" and [v["version"] for v in row["versions"]] == [1] and len(row["draft_items"]) == 10
    doc = await setup_templates.export_document(world.site_a, lib, actor=admin)
    imported = await setup_templates.import_document(world.site_a, doc, actor=admin)
    again = await setup_templates.get(world.site_a, imported)
    assert again["draft_items"] == row["draft_items"] and again["versions"] == []
    with pytest.raises(RoundsError) as exc:
        await setup_templates.import_document(world.site_a, {**doc, "items": []}, actor=admin)
    assert exc.value.code == "invalid_document"


async def test_old_visits_keep_their_version(world, admin, engine):
    import uuid
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    vid = (await Visit.insert(Visit(
        client_uuid=uuid.uuid4(), fingerprint="x", user=world.users["cleaner"], site=world.site_a,
        location=world.locations["a_toilet"], template_version=world.versions["a_toilet"], kind="patrol",
        scanned_at=now, finished_at=now, received_at=now)).run())[0]["id"]
    tid = await _toilet(world.site_a)
    await setup_templates.save_draft(world.site_a, tid, {"name_zh": "卫生间二", "name_en": "Toilet 2"},
                                     [dict(TOILET_ITEMS[0])], actor=admin)
    await setup_templates.publish(world.site_a, tid, actor=admin)
    visit = await setup_templates.visit_against_version(world.site_a, vid)
    assert visit["version"]["version"] == 1 and len(visit["version"]["items"]) == 4
