/* The in-app camera scanner, loaded lazily (dynamic import) the first time the
   user taps "Scan". Native BarcodeDetector where it reads QR; otherwise frames go
   to a Web Worker running the vendored ZXing decoder. Torch where the track has it.
   If the camera or the decoder fails, the scanner closes with reason "failed"
   and a message, and the app offers the short-code field instead. Closing
   always stops the camera tracks and the worker. */
import { t } from "./i18n.js";

const DECODER_LOAD_MS = 20e3; // a slow phone compiles the 1 MB wasm in a few seconds, not twenty
const MAX_NATIVE_ERRORS = 25;

async function nativeDetector() {
  if (!("BarcodeDetector" in window)) return null;
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    if (!formats.includes("qr_code")) return null;
    const d = new window.BarcodeDetector({ formats: ["qr_code"] });
    return { detect: (video) => d.detect(video).then((r) => r.map((b) => b.rawValue)), stop() {} };
  } catch (_) {
    return null;
  }
}

/* The worker-backed decoder. onFatal(message) is called once if it cannot work. */
function workerDetector(onFatal) {
  const worker = new Worker("/pwa/js/scan-worker.js");
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  let seq = 0, dead = false;
  const pending = new Map();
  function shutdown() {
    if (dead) return false;
    dead = true;
    clearTimeout(loadTimer);
    for (const resolve of pending.values()) resolve([]);
    pending.clear();
    worker.terminate();
    return true;
  }
  function die(message) {
    if (shutdown()) onFatal(message);
  }
  const loadTimer = setTimeout(() => die("timeout"), DECODER_LOAD_MS);
  worker.onerror = (e) => { e.preventDefault(); die(e.message || "worker error"); };
  worker.onmessageerror = () => die("message error");
  worker.onmessage = (ev) => {
    const m = ev.data || {};
    if (m.ready) clearTimeout(loadTimer);
    if (m.fatal) { die(m.fatal); return; }
    if (m.id && pending.has(m.id)) {
      pending.get(m.id)(m.codes || []);
      pending.delete(m.id);
    }
  };
  return {
    detect(video) {
      const vw = video.videoWidth, vh = video.videoHeight;
      if (dead || !vw || !vh) return Promise.resolve([]);
      const scale = Math.min(1, 960 / Math.max(vw, vh));
      canvas.width = Math.round(vw * scale);
      canvas.height = Math.round(vh * scale);
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const id = ++seq;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        worker.postMessage({ id, width: data.width, height: data.height, buffer: data.data.buffer }, [data.data.buffer]);
      });
    },
    stop() { shutdown(); },
  };
}

/* Opens the scanner over the page. onCode(text) is called once with the first
   QR read; the scanner closes itself. onClose(reason, message) with reason
   "found", "cancel" or "failed". Returns a close() function. */
export async function openScanner({ onCode, onClose }) {
  const ov = document.createElement("div");
  ov.className = "scanner";
  ov.setAttribute("role", "dialog");
  ov.setAttribute("aria-modal", "true");
  ov.setAttribute("aria-label", t("scanner_title"));
  ov.innerHTML = `
    <video playsinline muted autoplay aria-hidden="true"></video>
    <div class="scanner-frame" aria-hidden="true"></div>
    <p class="scanner-msg" role="status"></p>
    <div class="scanner-bar">
      <button type="button" class="btn btn-ghost-light torch" hidden></button>
      <button type="button" class="btn btn-light close"></button>
    </div>`;
  document.body.appendChild(ov);
  const video = ov.querySelector("video");
  const msg = ov.querySelector(".scanner-msg");
  const torchBtn = ov.querySelector(".torch");
  const closeBtn = ov.querySelector(".close");
  closeBtn.textContent = t("cancel");
  msg.textContent = t("camera_starting");
  closeBtn.focus();

  let stream = null, stopped = false, torch = false, decoder = null;
  function close(reason, message) {
    if (stopped) return;
    stopped = true;
    if (decoder) decoder.stop();
    if (stream) stream.getTracks().forEach((tr) => tr.stop());
    video.srcObject = null;
    ov.remove();
    if (onClose) onClose(reason, message);
  }
  closeBtn.onclick = () => close("cancel");
  ov.addEventListener("keydown", (e) => { if (e.key === "Escape") close("cancel"); });

  try {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw new Error("no camera API");
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (e) {
    close("failed", t("camera_denied", { msg: (e && e.name) || e }));
    return close;
  }
  if (stopped) { stream.getTracks().forEach((tr) => tr.stop()); return close; }
  video.srcObject = stream;
  try { await video.play(); } catch (_) { /* autoplay attribute covers it */ }
  const track = stream.getVideoTracks()[0];
  if (track) track.addEventListener("ended", () => close("failed", t("camera_denied", { msg: "ended" })));

  const caps = track && track.getCapabilities ? track.getCapabilities() : {};
  if (caps && caps.torch) {
    torchBtn.hidden = false;
    torchBtn.textContent = t("torch_on");
    torchBtn.onclick = async () => {
      torch = !torch;
      try { await track.applyConstraints({ advanced: [{ torch }] }); } catch (_) { torch = !torch; }
      torchBtn.textContent = t(torch ? "torch_off" : "torch_on");
      torchBtn.setAttribute("aria-pressed", String(torch));
    };
  }

  decoder = await nativeDetector();
  if (stopped) { if (decoder) decoder.stop(); return close; }
  if (!decoder) {
    msg.textContent = t("scanner_loading");
    try {
      decoder = workerDetector((why) => { console.warn("QR decoder failed:", why); close("failed", t("scanner_failed")); });
    } catch (e) {
      console.warn("QR decoder failed:", e);
      close("failed", t("scanner_failed"));
      return close;
    }
  }
  if (!stopped) msg.textContent = t("scan_hint");

  (async function loop() {
    let errors = 0;
    while (!stopped) {
      let codes = [];
      try {
        if (video.readyState >= 2) codes = await decoder.detect(video);
        errors = 0;
      } catch (e) {
        // One bad frame happens; a detector that never works is a failure.
        if (++errors >= MAX_NATIVE_ERRORS) { console.warn("QR detector failed:", e); close("failed", t("scanner_failed")); return; }
      }
      if (stopped) return;
      if (codes.length) {
        if (navigator.vibrate) navigator.vibrate(60);
        const code = codes[0];
        close("found");
        onCode(code);
        return;
      }
      await new Promise((r) => setTimeout(r, 120));
    }
  })();
  return close;
}
