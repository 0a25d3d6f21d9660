async def test_healthz_answers_when_the_database_does(console):
    response = await console.client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"ok": True}


async def test_openapi_describes_the_sync_api(console):
    response = await console.client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/pack", "/api/v1/visits/{client_uuid}", "/api/v1/photos/{client_uuid}",
                 "/api/v1/sync/status", "/api/v1/session", "/api/v1/incidents/{client_uuid}"):
        assert path in paths, path
    assert "put" in paths["/api/v1/visits/{client_uuid}"]
