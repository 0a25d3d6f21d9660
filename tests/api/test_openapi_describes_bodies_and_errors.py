"""/schema/openapi.json is the contract: request bodies are typed models, every
operation lists its refusals with the error body, and the credentials (session
cookie, X-Rounds-Client on changes) are declared."""

SYNC_BODIES = {
    ("put", "/api/v1/visits/{client_uuid}"): "VisitBody",
    ("post", "/api/v1/visits/batch"): "BatchBody",
    ("put", "/api/v1/incidents/{client_uuid}"): "IncidentBody",
    ("put", "/api/v1/fixes/{client_uuid}"): "FixBody",
    ("post", "/api/v1/sync/status"): "StatusBody",
    ("post", "/api/v1/session"): "LoginBody",
    ("patch", "/api/v1/session"): "LanguageBody",
}


async def _spec(api) -> dict:
    response = await api.client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


async def test_bodies_are_typed_models(api):
    spec = await _spec(api)
    schemas = spec["components"]["schemas"]
    for (method, path), model in SYNC_BODIES.items():
        body = spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{model}"}, (method, path)
    visit = schemas["VisitBody"]
    assert visit["additionalProperties"] is False
    assert set(visit["required"]) == {"template_version_id", "kind", "scanned_at", "finished_at", "answers"}
    assert visit["properties"]["kind"]["enum"] == ["self_check", "patrol", "spot_check", "joint"]
    assert visit["properties"]["scanned_at"]["format"] == "date-time"
    assert {"required": ["tag_code"]}.items() <= visit["anyOf"][0].items()
    photo = spec["paths"]["/api/v1/photos/{client_uuid}"]["put"]
    assert "image/jpeg" in photo["requestBody"]["content"]


async def test_every_operation_documents_its_refusals(api):
    spec = await _spec(api)
    assert set(spec["components"]["schemas"]["ErrorBody"]["required"]) == {"code", "message", "messages", "detail", "request_id"}
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in ("400", "401", "403"):
                assert responses[status]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorBody"}, (method, path, status)
            assert "malformed_body" in responses["400"]["description"]
    visit = spec["paths"]["/api/v1/visits/{client_uuid}"]["put"]["responses"]
    assert "201" in visit and "revoked_tag" in visit["422"]["description"]


async def test_credentials_are_declared(api):
    spec = await _spec(api)
    assert spec["components"]["securitySchemes"]["session"] == {
        "type": "apiKey", "in": "cookie", "name": "session",
        "description": spec["components"]["securitySchemes"]["session"]["description"]}
    assert spec["security"] == [{"session": []}]
    assert spec["paths"]["/api/v1/session"]["post"]["security"] == [{}]
    for method in ("put", "post", "patch", "delete"):
        for path, operations in spec["paths"].items():
            if path.startswith("/api/v1/") and method in operations:
                names = [p["name"] for p in operations[method].get("parameters", [])]
                assert "X-Rounds-Client" in names, (method, path)
