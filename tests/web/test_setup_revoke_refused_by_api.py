"""A label revoked in the console is refused by the field API and gone from the next pack."""

import uuid

from server.db.tables import Tag
from tests.factories import visit_body

PWA = {"X-Rounds-Client": "pwa"}


async def _as_phone(console, username: str) -> None:
    console.client.cookies.clear()
    r = await console.client.post("/api/v1/session", json={"username": username, "password": "correct-horse-battery"},
                                  headers=PWA)
    assert r.status_code == 200


async def test_revoked_label_is_refused_and_left_out_of_the_pack(console):
    w = console.world
    code = w.tags["a_toilet"]["code"]
    await _as_phone(console, "cleaner")
    pack = (await console.client.get("/api/v1/pack")).json()
    assert code in {t["code"] for s in pack["sites"] for t in s["tags"]}

    await console.login("admin")
    tag_id = (await Tag.select(Tag.id).where(Tag.code == code).first().run())["id"]
    response = await console.post(f"/console/setup/sites/{w.site_a}/labels/{tag_id}/revoke", {"reason": ""})
    assert response.status_code == 422 and 'data-code="validation_error"' in response.text  # a reason is needed
    response = await console.post(f"/console/setup/sites/{w.site_a}/labels/{tag_id}/revoke",
                                  {"reason": "label photographed"}, follow_redirects=False)
    assert response.status_code == 303

    await _as_phone(console, "cleaner")
    pack = (await console.client.get("/api/v1/pack")).json()
    assert code not in {t["code"] for s in pack["sites"] for t in s["tags"]}
    refused = await console.client.put(f"/api/v1/visits/{uuid.uuid4()}", json=visit_body(w), headers=PWA)
    assert refused.status_code == 422 and refused.json()["code"] == "revoked_tag"
    typed = await console.client.put(f"/api/v1/visits/{uuid.uuid4()}", headers=PWA, json=visit_body(
        w, tag_code=None, short_code=w.tags["a_toilet"]["short_code"]))
    assert typed.json()["code"] == "revoked_tag"
