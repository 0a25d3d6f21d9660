"""A waiting fix in an imported outbox file is listed as a fix with its
after-photo, linking to the finding it rectifies, in the reader's language."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from tests.photos.conftest import encode, synthetic_photo
from tests.services.outbox_support import json_item, outbox_file, photo_item
from tests.supervision_support import rectifying_finding

URL = "/console/outbox-import"


async def test_a_fix_is_listed_with_its_finding(console):
    world = console.world
    fid = await rectifying_finding(world)
    fix_uuid = str(uuid.uuid4())
    after = photo_item(fix_uuid, encode(synthetic_photo(3), "JPEG"), parent_kind="fix")
    fix = json_item("fix", {"finding_id": fid, "note": "已清扫", "photos": [after["uuid"]],
                            "fixed_at": datetime.now(UTC).isoformat(), "device_id": "d"}, fix_uuid)
    await console.login("supervisor")
    await console.post("/console/language", {"language": "zh-CN"})
    await console.client.get(URL)
    page = await console.post(URL, files={"file": ("rounds-outbox-cleaner.json",
                                                    outbox_file(world.users["cleaner"], "cleaner", [fix, after]),
                                                    "application/json")})
    assert page.status_code == 200, page.text
    assert f'data-uuid="{fix_uuid}" data-kind="fix" data-outcome="created"' in page.text
    assert f'data-uuid="{after["uuid"]}" data-kind="photo" data-outcome="created"' in page.text
    assert "整改完成" in page.text and f"整改 {fix_uuid[:8]} 的整改后照片" in page.text
    assert f'href="/console/findings/{fid}"' in page.text
