"""The app shell answers every app URL (so a QR opened by the phone's own camera
lands in the app), and the service worker may control the whole origin."""


async def test_shell_is_served_for_app_urls(console):
    for path in ("/", "/login", f"/t/{console.world.tags['a_toilet']['code']}", "/t/unknown-code"):
        response = await console.client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"
        assert 'rel="manifest"' in response.text


async def test_service_worker_scope_and_manifest(console):
    sw = await console.client.get("/sw.js")
    assert sw.status_code == 200 and sw.headers["service-worker-allowed"] == "/"
    manifest = await console.client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    icons = manifest.json()["icons"]
    for icon in icons:
        assert (await console.client.get(icon["src"])).status_code == 200, icon["src"]
