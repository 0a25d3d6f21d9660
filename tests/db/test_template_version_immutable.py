"""A published checklist version can be neither changed nor deleted: the
database itself refuses (a trigger on each engine), whatever the code does."""

from datetime import UTC, datetime

import pytest

from server.db.tables import Site, Template, TemplateVersion

ITEMS = [{"id": "a", "kind": "pass_fail", "label_zh": "甲", "label_en": "A"}]


async def test_update_and_delete_of_a_version_are_refused_on_both_engines(engine):
    now = datetime.now(UTC)
    site = (await Site.insert(Site(code="s", name_zh="s", name_en="s", created_at=now)).run())[0]["id"]
    tid = (await Template.insert(Template(site=site, key="t", name_zh="t", name_en="t", created_at=now)).run())[0]["id"]
    vid = (await TemplateVersion.insert(TemplateVersion(template=tid, version=1, name_zh="t", name_en="t",
                                                        items=ITEMS, checksum="c", published_at=now)).run())[0]["id"]
    with pytest.raises(Exception, match="immutable"):
        await TemplateVersion.update({TemplateVersion.items: []}).where(TemplateVersion.id == vid).run()
    with pytest.raises(Exception, match="immutable"):
        await TemplateVersion.update({TemplateVersion.name_en: "changed"}, force=True).run()
    with pytest.raises(Exception, match="immutable"):
        await TemplateVersion.delete().where(TemplateVersion.id == vid).run()
    row = await TemplateVersion.select().where(TemplateVersion.id == vid).output(load_json=True).first().run()
    assert row["items"] == ITEMS and row["name_en"] == "t"
    # a new version is still an insert: allowed
    await TemplateVersion.insert(TemplateVersion(template=tid, version=2, name_zh="t", name_en="t2",
                                                 items=ITEMS, checksum="d", published_at=now)).run()
    assert await TemplateVersion.count().run() == 2
    # the draft stays editable
    await Template.update({Template.name_en: "draft"}).where(Template.id == tid).run()
