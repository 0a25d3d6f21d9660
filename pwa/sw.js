/* Rounds service worker (served at /sw.js, scope /).
   - Precaches a versioned app shell; the app opens offline from the first login on.
   - Navigations to /, /login and /t/<code> get the cached shell (index.html).
   - /api/* is never cached here: the page keeps the pack and the outbox in IndexedDB.
   - The QR decoder (1 MB wasm) is cached in its own cache, in the background,
     so it never counts in (or blocks) the shell.
   - Background Sync "outbox" sends waiting items with the same code as the page,
     under the same Web Lock, so page and worker never send at once.
   - A new version waits until the user taps "Reload to update" (skip-waiting message).
   The @stamp block is written by pwa/tools/stamp.py from the files' hashes. */
importScripts("/pwa/js/store.js", "/pwa/js/sync.js");

// @stamp-begin
const SHELL_VERSION = "ac00f3bd2033";
const SHELL_FILES = [
  "/",
  "/manifest.webmanifest",
  "/pwa/css/app.css",
  "/pwa/js/boot.js",
  "/pwa/js/app.js",
  "/pwa/js/i18n.js",
  "/pwa/js/store.js",
  "/pwa/js/sync.js",
  "/pwa/js/photo.js",
  "/pwa/js/scanner.js",
  "/pwa/icons/icon-192.png",
  "/pwa/icons/favicon-48.png",
];
const DECODER_VERSION = "297916aed2b1";
const DECODER_FILES = [
  "/pwa/js/scan-worker.js",
  "/pwa/vendor/barcode-detector-polyfill.js",
  "/pwa/vendor/zxing_reader.wasm",
];
// @stamp-end

const SHELL_CACHE = "rounds-shell-" + SHELL_VERSION;
const DECODER_CACHE = "rounds-decoder-" + DECODER_VERSION;
const APP_PATHS = /^\/(login)?$|^\/t\/[^/]+\/?$/;

async function cacheDecoder() {
  const c = await caches.open(DECODER_CACHE);
  for (const url of DECODER_FILES) {
    if (await c.match(url)) continue;
    try {
      const res = await fetch(new Request(url, { cache: "reload", credentials: "omit" }));
      if (res.ok) await c.put(url, res);
    } catch (_) { /* next time */ }
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const c = await caches.open(SHELL_CACHE);
    // credentials "omit": these requests may still be in flight when the user
    // logs in; a cookie set on their responses must not replace the new session.
    await c.addAll(SHELL_FILES.map((u) => new Request(u, { cache: "reload", credentials: "omit" })));
    // Best effort: the scanner works offline from the first visit; a failure here
    // does not fail the install (the fetch handler fills the cache on first use).
    await cacheDecoder().catch(() => {});
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const k of await caches.keys()) {
      if ((k.startsWith("rounds-shell-") && k !== SHELL_CACHE) || (k.startsWith("rounds-decoder-") && k !== DECODER_CACHE)) {
        await caches.delete(k);
      }
    }
    await self.clients.claim();
    cacheDecoder().catch(() => {});
  })());
});

self.addEventListener("message", (event) => {
  const m = event.data || {};
  if (m.type === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return; // network only, never cached
  if (req.mode === "navigate" && APP_PATHS.test(url.pathname)) {
    event.respondWith((async () => {
      const hit = await caches.match("/", { cacheName: SHELL_CACHE });
      return hit || fetch(req);
    })());
    return;
  }
  if (url.pathname.startsWith("/pwa/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith((async () => {
      const hit = await caches.match(url.pathname, { ignoreSearch: true });
      if (hit) return hit;
      const res = await fetch(req);
      if (res.ok && DECODER_FILES.includes(url.pathname)) {
        const c = await caches.open(DECODER_CACHE);
        await c.put(url.pathname, res.clone());
      }
      return res;
    })());
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  // The browser fires "sync" when the network is back (and spaces its own
  // retries), so items on backoff go now.
  event.waitUntil(self.RoundsSync.flush({ force: true }).then((r) => {
    // Let the browser retry later when the network dropped or the server struggled.
    if (r && (r.status === "offline" || r.status === "retry")) throw new Error("retry later");
  }));
});
