/* Rounds — QR decoding off the main thread, for browsers without a native
   BarcodeDetector. Loads the vendored barcode-detector polyfill (ZXing-C++ wasm),
   self-hosted: locateFile points at /pwa/vendor/, never a CDN. The main thread
   posts {id, width, height, buffer} (RGBA pixels); we answer {id, codes:[text]}. */
"use strict";
importScripts("/pwa/vendor/barcode-detector-polyfill.js");

const api = self.BarcodeDetectionAPI;
api.prepareZXingModule({
  overrides: {
    locateFile: (path, prefix) => (path.endsWith(".wasm") ? "/pwa/vendor/" + path : prefix + path),
  },
  fireImmediately: true,
});
const detector = new self.BarcodeDetector({ formats: ["qr_code"] });

self.onmessage = async (ev) => {
  const { id, width, height, buffer } = ev.data;
  try {
    const img = new ImageData(new Uint8ClampedArray(buffer), width, height);
    const found = await detector.detect(img);
    self.postMessage({ id, codes: found.map((b) => b.rawValue) });
  } catch (e) {
    self.postMessage({ id, codes: [], error: String((e && e.message) || e) });
  }
};
self.postMessage({ ready: true, version: api.ZXING_WASM_VERSION, sha256: api.ZXING_WASM_SHA256 });
