/* The in-app camera scanner, loaded lazily (dynamic import) the first time the
   user taps "Scan". Native BarcodeDetector where it reads QR; otherwise frames go
   to a Web Worker running the vendored ZXing decoder. Torch where the track has it. */
import { t } from "./i18n.js";

async function nativeDetector() {
  if (!("BarcodeDetector" in window)) return null;
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    if (!formats.includes("qr_code")) return null;
    const d = new window.BarcodeDetector({ formats: ["qr_code"] });
    return (video) => d.detect(video).then((r) => r.map((b) => b.rawValue));
  } catch (_) {
    return null;
  }
}

let worker = null;
function workerDetector() {
  if (!worker) worker = new Worker("/pwa/js/scan-worker.js");
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  let seq = 0;
  const pending = new Map();
  worker.onmessage = (ev) => {
    const m = ev.data;
    if (m.id && pending.has(m.id)) {
      pending.get(m.id)(m.codes || []);
      pending.delete(m.id);
    }
  };
  return (video) => {
    const vw = video.videoWidth, vh = video.videoHeight;
    if (!vw || !vh) return Promise.resolve([]);
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
  };
}

/* Opens the scanner over the page. onCode(text) is called once with the first
   QR read; the scanner closes itself. Returns a close() function. */
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

  let stream = null, stopped = false, torch = false;
  function close(reason) {
    if (stopped) return;
    stopped = true;
    if (stream) stream.getTracks().forEach((tr) => tr.stop());
    ov.remove();
    if (onClose) onClose(reason);
  }
  closeBtn.onclick = () => close("cancel");
  ov.addEventListener("keydown", (e) => { if (e.key === "Escape") close("cancel"); });

  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (e) {
    msg.textContent = t("camera_denied", { msg: (e && e.name) || e });
    ov.classList.add("scanner-error");
    return close;
  }
  if (stopped) { stream.getTracks().forEach((tr) => tr.stop()); return close; }
  video.srcObject = stream;
  try { await video.play(); } catch (_) { /* autoplay attribute covers it */ }

  const track = stream.getVideoTracks()[0];
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

  let detect = await nativeDetector();
  if (!detect) {
    msg.textContent = t("scanner_loading");
    detect = workerDetector();
  }
  msg.textContent = t("scan_hint");

  (async function loop() {
    while (!stopped) {
      let codes = [];
      try {
        if (video.readyState >= 2) codes = await detect(video);
      } catch (_) { /* a bad frame */ }
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
