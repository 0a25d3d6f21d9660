/* Rounds — QR decoding off the main thread, for browsers without a native
   BarcodeDetector. Loads the vendored barcode-detector polyfill (ZXing-C++ wasm),
   self-hosted: locateFile points at /pwa/vendor/, never a CDN. The main thread
   posts {id, width, height, buffer} (RGBA pixels); we answer {id, codes:[text]}.
   Once the decoder is loaded we post {ready}; if it cannot load (the wasm did
   not arrive, no WebAssembly, out of memory) we post {fatal} and the page
   falls back to typing the code. */
"use strict";
let detector = null;
let failed = false;

function fatal(e) {
  if (failed) return;
  failed = true;
  self.postMessage({ fatal: String((e && (e.message || e.name)) || e || "decoder failed") });
}
self.addEventListener("unhandledrejection", (e) => { e.preventDefault(); fatal(e.reason); });

try {
  importScripts("/pwa/vendor/barcode-detector-polyfill.js");
  const api = self.BarcodeDetectionAPI;
  Promise.resolve(api.prepareZXingModule({
    overrides: {
      locateFile: (path, prefix) => (path.endsWith(".wasm") ? "/pwa/vendor/" + path : prefix + path),
    },
    fireImmediately: true,
  })).then(() => {
    detector = new self.BarcodeDetector({ formats: ["qr_code"] });
    self.postMessage({ ready: true, version: api.ZXING_WASM_VERSION, sha256: api.ZXING_WASM_SHA256 });
  }, fatal);
} catch (e) {
  fatal(e); // the polyfill script itself did not load
}

self.onmessage = async (ev) => {
  const { id, width, height, buffer } = ev.data;
  if (!detector) {
    self.postMessage({ id, codes: [] });
    return;
  }
  try {
    const img = new ImageData(new Uint8ClampedArray(buffer), width, height);
    const found = await detector.detect(img);
    self.postMessage({ id, codes: found.map((b) => b.rawValue) });
  } catch (e) {
    // The polyfill says NotSupportedError when the wasm module is gone: give up.
    if (e && e.name === "NotSupportedError") fatal(e);
    self.postMessage({ id, codes: [], error: String((e && e.message) || e) });
  }
};
