"""OPTIONS and 405 say which methods a path takes (RFC 9110), also on paths
served by several handlers (Litestar 2.25 lists only the first handler's)."""

import uuid


async def test_options_lists_every_method_of_the_path(api):
    response = await api.client.options("/api/v1/session")
    assert response.status_code == 204
    assert response.headers["allow"] == "DELETE, GET, OPTIONS, PATCH, POST"
    response = await api.client.options(f"/api/v1/photos/{uuid.uuid4()}")
    assert response.headers["allow"] == "GET, OPTIONS, PUT"


async def test_method_not_allowed_carries_allow(api):
    response = await api.client.request("TRACE", "/api/v1/pack")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response.headers["allow"]
