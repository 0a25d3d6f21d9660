"""Issue labels in batches, revoke one or a batch: revoked codes leave the pack."""

import pytest

from server.db.tables import AuditLog, Tag
from server.domain.errors import RoundsError
from server.services import setup_tags
from server.services.accounts import load_user
from server.services.pack import build_pack


async def _pack_codes(user_id: int) -> set[str]:
    pack, _ = await build_pack(await load_user(user_id), secret="s")
    return {t["code"] for s in pack["sites"] for t in s["tags"]}


async def test_issue_skips_labelled_points_unless_replacing(world, admin):
    with pytest.raises(RoundsError) as exc:
        await setup_tags.issue(world.site_a, [world.locations["a_toilet"]], actor=admin)
    assert exc.value.detail["field"] == "locations"
    batch = await setup_tags.issue(world.site_a, [world.locations["a_toilet"], world.locations["a_old"]],
                                   actor=admin)
    new = await Tag.select().where(Tag.batch == batch).run()
    assert [t["location"] for t in new] == [world.locations["a_old"]]  # a_old's only tag was revoked
    batch2 = await setup_tags.issue(world.site_a, [world.locations["a_toilet"]], actor=admin, replace=True)
    assert batch2 != batch
    old = await Tag.select().where(Tag.code == world.tags["a_toilet"]["code"]).first().run()
    assert old["revoked_reason"] == "replaced"
    assert world.tags["a_toilet"]["code"] not in await _pack_codes(world.users["cleaner"])


async def test_revoke_one_and_a_batch_removes_them_from_the_next_pack(world, admin):
    code = world.tags["a_pump"]["code"]
    assert code in await _pack_codes(world.users["cleaner"])
    with pytest.raises(RoundsError) as exc:
        await setup_tags.revoke(world.site_a, 0, "", actor=admin)
    assert exc.value.detail["field"] == "reason"
    tag_id = (await Tag.select(Tag.id).where(Tag.code == code).first().run())["id"]
    await setup_tags.revoke(world.site_a, tag_id, "label photographed", actor=admin)
    assert code not in await _pack_codes(world.users["cleaner"])
    batch = await setup_tags.issue(world.site_a, [world.locations["a_pump"], world.locations["a_old"]], actor=admin)
    assert await setup_tags.revoke_batch(world.site_a, batch, "sheet lost", actor=admin) == 2
    assert not (await _pack_codes(world.users["cleaner"])) & {t["code"] for t in await Tag.select().where(Tag.batch == batch).run()}
    assert await AuditLog.count().where(AuditLog.action.is_in(["setup.tag.revoke", "setup.batch.revoke"])).run() == 2


async def test_label_pdf_of_a_batch_is_audited(world, admin):
    batch = await setup_tags.issue(world.site_a, [world.locations["a_old"]], actor=admin)
    pdf, count = await setup_tags.label_pdf(world.site_a, base_url="https://x.example", actor=admin, batch=batch)
    assert pdf.startswith(b"%PDF-") and count == 1
    assert await AuditLog.exists().where(AuditLog.action == "setup.labels.print").run()
    with pytest.raises(RoundsError):
        await setup_tags.label_pdf(world.site_a, base_url="https://x.example", actor=admin, batch="nope")
