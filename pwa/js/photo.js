/* Photos: downscale on the phone, hash, and the signature pad. */

export const MAX_EDGE = 1600;
export const TARGET_BYTES = 400 * 1024; // what one photo may cost a phone on a weak signal
// Tried in order until the JPEG fits TARGET_BYTES: a detailed scene (gravel,
// foliage, a tiled floor) at 1600 px and q 0.8 can weigh 500 KB or more.
const QUALITIES = [0.8, 0.7, 0.6];
const LAST_RESORT_EDGE = 1280;

export async function sha256Hex(blob) {
  const buf = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function decode(file) {
  try {
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch (_) {
    // Older Safari: no options bag. An <img> applies EXIF orientation itself.
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.decoding = "async";
      img.src = url;
      await img.decode();
      return img;
    } finally {
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }
  }
}

/* Draws the picture once at w×h; returns quality → Promise<JPEG Blob>. */
function canvasFor(source, w, h) {
  if (typeof OffscreenCanvas !== "undefined") {
    const c = new OffscreenCanvas(w, h);
    const ctx = c.getContext("2d");
    if (ctx && c.convertToBlob) {
      ctx.drawImage(source, 0, 0, w, h);
      return (quality) => c.convertToBlob({ type: "image/jpeg", quality });
    }
  }
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  c.getContext("2d").drawImage(source, 0, 0, w, h);
  return (quality) => new Promise((res, rej) => c.toBlob((b) => (b ? res(b) : rej(new Error("encode failed"))), "image/jpeg", quality));
}

function fit(iw, ih, edge) {
  const scale = Math.min(1, edge / Math.max(iw, ih));
  return [Math.max(1, Math.round(iw * scale)), Math.max(1, Math.round(ih * scale))];
}

/* A camera file → {blob, sha256, type, size, width, height, quality, captured_at}. */
export async function preparePhoto(file) {
  const img = await decode(file);
  const iw = img.width || img.naturalWidth, ih = img.height || img.naturalHeight;
  let [w, h] = fit(iw, ih, MAX_EDGE);
  let toJpeg = canvasFor(img, w, h);
  let blob = null, quality = null;
  for (quality of QUALITIES) {
    blob = await toJpeg(quality);
    if (blob.size <= TARGET_BYTES) break;
  }
  if (blob.size > TARGET_BYTES && Math.max(w, h) > LAST_RESORT_EDGE) {
    [w, h] = fit(iw, ih, LAST_RESORT_EDGE);
    toJpeg = canvasFor(img, w, h);
    blob = await toJpeg(quality);
  }
  if (img.close) img.close();
  return {
    blob,
    type: "image/jpeg",
    size: blob.size,
    width: w,
    height: h,
    quality,
    sha256: await sha256Hex(blob),
    captured_at: captureTime(file),
  };
}

/* The moment the picture was taken. A camera capture's lastModified is "now";
   a picture picked from the gallery keeps its own (older) time, which is the
   honest value for a supervisor to see. Implausible values fall back to now. */
function captureTime(file) {
  const now = Date.now();
  const lm = file && file.lastModified;
  const ok = lm && lm <= now + 60e3 && lm >= now - 100 * 86400e3;
  return isoLocal(new Date(ok ? lm : now));
}

export function isoLocal(d) {
  const pad = (n, w = 2) => String(Math.abs(n)).padStart(w, "0");
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/* A canvas the user signs on with a finger. Returns {el, isEmpty, toBlob, clear}. */
export function signaturePad(canvas) {
  const ctx = canvas.getContext("2d");
  let drawing = false, empty = true, last = null;
  function size() {
    const r = canvas.getBoundingClientRect();
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    canvas.width = Math.round(r.width * dpr);
    canvas.height = Math.round(r.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, r.width, r.height);
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";
    empty = true;
  }
  const pos = (e) => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  canvas.addEventListener("pointerdown", (e) => {
    drawing = true;
    last = pos(e);
    canvas.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!drawing) return;
    const p = pos(e);
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
    empty = false;
    e.preventDefault();
  });
  const end = () => { drawing = false; };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  requestAnimationFrame(size);
  return {
    isEmpty: () => empty,
    clear: size,
    toBlob: () => new Promise((res, rej) => canvas.toBlob((b) => (b ? res(b) : rej(new Error("no signature"))), "image/png")),
  };
}
