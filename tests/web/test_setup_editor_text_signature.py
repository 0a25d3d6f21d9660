"""The checklist editor with the two kinds that have no pass/fail: a text
item and a signature item. They carry no points and no photo-on-fail, and
publish as they were written."""

import re

from server.db.tables import TemplateVersion


def _fields(html: str) -> dict:
    out: dict = {}
    for tag in re.findall(r"<input[^>]*>", html):
        m = re.search(r'name="(items-[^"]+|name_zh|name_en|department)"[^>]*value="([^"]*)"', tag)
        if m and ('type="checkbox"' not in tag or " checked" in tag):
            out.setdefault(m[1], []).append(m[2])
    for name, body in re.findall(r'<textarea[^>]*name="(items-[^"]+)"[^>]*>([^<]*)</textarea>', html):
        out[name] = [body]
    return out


async def test_text_and_signature_items_publish_without_points_or_fail_rules(console):
    await console.login("admin")
    a = console.world.site_a
    created = await console.post(f"/console/setup/sites/{a}/templates", {"key": "handover", "name_zh": "交接班",
                                                                         "name_en": "Shift handover"},
                                 follow_redirects=False)
    url = created.headers["location"].split("?")[0]
    page = await console.client.get(url)
    for kind in ("text", "signature"):
        page = await console.post(url, {**_fields(page.text), "op": f"add:{kind}"})
        assert page.status_code == 200
    assert 'name="items-0-kind" value="text"' in page.text and 'name="items-1-kind" value="signature"' in page.text
    # neither kind offers points or the fail rules; both keep "required"
    for i in (0, 1):
        assert f'<input type="hidden" name="items-{i}-points" value="0">' in page.text
        assert f'<input type="hidden" name="items-{i}-photo_on_fail" value="0">' in page.text
        assert f'id="f-items-{i}-points"' not in page.text
    fields = {**_fields(page.text), "items-0-label_zh": ["交接事项"], "items-0-label_en": ["Items handed over"],
              "items-1-label_zh": ["接班人签名"], "items-1-label_en": ["Incoming signature"]}
    fields["items-0-required"] = ["0"]  # an optional remark
    published = await console.post(url, {**fields, "op": "publish"}, follow_redirects=False)
    assert published.status_code == 303 and "done=published" in published.headers["location"]
    tid = int(url.rsplit("/", 1)[1])
    v1 = await TemplateVersion.select().where(TemplateVersion.template == tid).output(load_json=True).first().run()
    text, sig = v1["items"]
    assert (text["kind"], text["required"], text["points"], text["photo_on_fail"]) == ("text", False, 0, False)
    assert (sig["kind"], sig["required"], sig["points"]) == ("signature", True, 0)
    assert sig["label_en"] == "Incoming signature" and text["label_zh"] == "交接事项"
    shown = await console.client.get(url)
    assert "交接事项" in shown.text and "Incoming signature" in shown.text
