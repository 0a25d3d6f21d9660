/* Rounds field app: views, pack, checklist, outbox UI. Plain ES module, no build. */
import "./store.js";
import "./sync.js";
import { t, setLang, lang, isZh, pick, serverMessage, LANGS } from "./i18n.js";
import { preparePhoto, isoLocal, signaturePad, sha256Hex } from "./photo.js";

const DB = globalThis.RoundsDB;
const Sync = globalThis.RoundsSync;
const API = "/api/v1";
const CLIENT = { "X-Rounds-Client": "pwa" };

const KINDS_BY_ROLE = {
  guard: ["self_check", "patrol"],
  cleaner: ["self_check", "patrol"],
  technician: ["self_check", "patrol"],
  team_lead: ["self_check", "patrol", "joint"],
  inspector: ["self_check", "patrol", "spot_check", "joint"],
  supervisor: ["self_check", "patrol", "spot_check", "joint"],
  manager: ["patrol", "spot_check", "joint"],
  admin: ["self_check", "patrol", "spot_check", "joint"],
};
const DEFAULT_KIND = {
  guard: "self_check", cleaner: "self_check", technician: "self_check", team_lead: "patrol",
  inspector: "spot_check", supervisor: "spot_check", manager: "patrol", admin: "self_check",
};
const INCIDENT_KINDS = ["suspicious_person", "hazard", "spill", "damage", "other"];

const S = {
  user: null, pack: null, packAt: 0, auth: "ok", online: navigator.onLine,
  counts: { waiting: 0, attention: 0, sending: 0, others: 0 }, syncing: false,
  view: null, visit: null, incident: null, fix: null, lastScan: null,
  reg: null, updateWorker: null, updateAccepted: false, installPrompt: null,
  storageLow: null, evicted: false, iosHint: false, deviceId: null, pendingCode: null,
};
const thumbs = new Map(); // photo uuid → object URL

/* ---------- tiny DOM helper ---------- */
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k === "style") el.style.cssText = v; // CSSOM: the CSP blocks style attributes, not this
    else if (k === "value" || k === "checked" || k === "disabled" || k === "hidden") el[k] = v;
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of kids.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c.nodeType ? c : String(c));
  }
  return el;
}
const $ = (sel, root) => (root || document).querySelector(sel);
const view = () => $("#view");

function toast(msg, kind) {
  const el = $("#toast");
  el.textContent = msg;
  el.className = "toast show" + (kind ? " toast-" + kind : "");
  clearTimeout(toast.t);
  toast.t = setTimeout(() => { el.className = "toast"; }, 3500);
}

function fmtTime(iso, tz) {
  try {
    return new Intl.DateTimeFormat(lang(), { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: tz || undefined })
      .format(new Date(iso));
  } catch (_) {
    return new Date(iso).toTimeString().slice(0, 5);
  }
}
function fmtDateTime(ms, tz) {
  const opts = { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false };
  try {
    return new Intl.DateTimeFormat(lang(), Object.assign(opts, tz ? { timeZone: tz } : {})).format(new Date(ms));
  } catch (_) {
    return new Intl.DateTimeFormat(lang(), { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(ms));
  }
}
function fmtBytes(n) {
  if (n == null) return "?";
  if (n < 1024 * 1024) return Math.round(n / 1024) + " KB";
  if (n < 1024 ** 3) return (n / 1024 / 1024).toFixed(1) + " MB";
  return (n / 1024 ** 3).toFixed(1) + " GB";
}
const placeName = (p) => (p ? (isZh() ? p.zh || p.en : p.en || p.zh) : "");

/* ---------- navigation ---------- */
function go(name, opts) {
  opts = opts || {};
  S.view = name;
  if (!opts.noHistory) {
    const path = name === "checklist" && S.visit && S.visit.scan_method === "link"
      ? "/t/" + encodeURIComponent(S.visit.link_code || S.visit.tag_code) : "/";
    const st = { view: name };
    if (opts.replace) history.replaceState(st, "", path);
    else history.pushState(st, "", path);
  }
  render();
}
window.addEventListener("popstate", (e) => {
  const v = (e.state && e.state.view) || "home";
  S.view = S.user ? (v === "login" ? "home" : v) : "login";
  if (S.view === "checklist" && !S.visit) S.view = "home";
  if (S.view === "incident" && !S.incident) S.view = "home";
  if (S.view === "fix" && !S.fix) S.view = "home";
  render();
});

function render() {
  const v = S.view;
  document.body.dataset.view = v;
  renderTop();
  renderBanners();
  const main = view();
  main.replaceChildren();
  ({ login: viewLogin, home: viewHome, checklist: viewChecklist, incident: viewIncident, fix: viewFix, outbox: viewOutbox, me: viewMe })[v]();
  renderNav();
  const h1 = main.querySelector("h1");
  if (h1 && !renderNoFocus) { h1.setAttribute("tabindex", "-1"); h1.focus({ preventScroll: true }); }
  if (!renderNoFocus) window.scrollTo(0, 0);
}
let renderNoFocus = false;
function rerender() { renderNoFocus = true; try { render(); } finally { renderNoFocus = false; } }

function renderTop() {
  const site = S.pack && S.pack.sites && S.pack.sites[0];
  $("#top-title").textContent = site ? pick(site, "name") : t("app_name");
  $("#top-user").textContent = S.user ? S.user.display_name || S.user.username : "";
  $("#btn-report").hidden = !S.user;
  $("#btn-report").setAttribute("aria-label", t("incident_title"));
  $("#btn-report").title = t("incident_title");
  renderChip();
}

function chipState() {
  const c = S.counts;
  if (!S.user) return null;
  if (S.auth === "expired" && c.waiting) return ["login", t("chip_login", { n: c.waiting })];
  if (c.attention) return ["attention", t("chip_attention", { n: c.attention })];
  if (S.syncing && c.waiting) return ["sending", t("chip_sending", { n: c.waiting })];
  if (c.waiting && !S.online) return ["offline", t("chip_offline", { n: c.waiting })];
  if (c.waiting) return ["waiting", t("chip_waiting", { n: c.waiting })];
  if (!S.online) return ["synced", t("chip_synced") + " · " + t("chip_offline_ok")];
  return ["synced", t("chip_synced")];
}

function renderChip() {
  const chip = $("#chip");
  const st = chipState();
  chip.hidden = !st;
  if (!st) return;
  chip.className = "chip chip-" + st[0];
  chip.dataset.state = st[0];
  chip.textContent = st[1];
  chip.setAttribute("aria-label", t("sync_state_label", { state: st[1] }));
}

function renderNav() {
  const nav = $("#nav");
  nav.replaceChildren();
  const v = S.view;
  if (!S.user || v === "login") { nav.hidden = true; return; }
  nav.hidden = false;
  if (v === "checklist" || v === "incident" || v === "fix") {
    nav.className = "bar bar-actions";
    const act = {
      checklist: [cancelVisit, "save-visit", saveVisit, t("save_visit")],
      incident: [() => { dropIncident(); go("home"); }, "save-incident", saveIncident, t("send_report")],
      fix: [cancelFix, "save-fix", saveFix, t("fix_send")],
    }[v];
    const cancel = h("button", { type: "button", class: "btn btn-secondary", onclick: act[0] }, t("cancel"));
    const save = h("button", { type: "button", class: "btn btn-primary btn-grow", id: act[1], onclick: act[2] }, act[3]);
    nav.append(cancel, save);
    return;
  }
  nav.className = "bar bar-nav";
  const tab = (name, label, icon, onclick, badge) => h("button", {
    type: "button", class: "tab" + (v === name ? " tab-on" : ""), "aria-current": v === name ? "page" : null, onclick,
    "data-tab": name,
  }, h("span", { class: "ico", "aria-hidden": "true" }, svgIcon(icon)), h("span", { class: "tab-label" }, label),
  badge ? h("span", { class: "badge", "aria-label": "(" + badge + ")" }, String(badge)) : null);
  nav.append(
    tab("home", t("nav_scan"), "qr", () => (v === "home" ? startScan() : go("home"))),
    tab("incident", t("nav_report"), "alert", () => openIncident()),
    tab("outbox", t("nav_outbox"), "sync", () => go("outbox"), S.counts.waiting + S.counts.attention),
    tab("me", t("nav_me"), "user", () => go("me")),
  );
}

function renderBanners() {
  const box = $("#banners");
  box.replaceChildren();
  const add = (cls, text, btnText, onclick, id) => box.append(h("div", { class: "banner " + cls, role: "status", id },
    h("p", {}, text), btnText ? h("button", { type: "button", class: "btn btn-small", onclick }, btnText) : null));
  if (S.updateWorker) add("banner-info", t("banner_update"), t("banner_update_btn"), applyUpdate, "banner-update");
  if (!S.user || S.view === "login") return;
  if (S.auth === "expired") add("banner-danger", t("banner_login", { n: S.counts.waiting }), t("banner_login_btn"), () => go("login"), "banner-login");
  if (S.storageLow) add("banner-warn", t("banner_storage_low", { free: fmtBytes(S.storageLow) }));
}

/* ---------- service worker and updates ---------- */
function registerSW() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then((reg) => {
    S.reg = reg;
    if (reg.waiting && navigator.serviceWorker.controller) showUpdate(reg.waiting);
    reg.addEventListener("updatefound", () => {
      const w = reg.installing;
      if (!w) return;
      w.addEventListener("statechange", () => {
        if (w.state === "installed" && navigator.serviceWorker.controller) showUpdate(w);
      });
    });
    setInterval(() => { if (navigator.onLine) reg.update().catch(() => {}); }, 30 * 60e3);
  }).catch(() => {});
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (S.updateAccepted) location.reload();
  });
}
function showUpdate(w) { S.updateWorker = w; renderBanners(); }
async function applyUpdate() {
  S.updateAccepted = true;
  if (S.visit) await saveDraft(); // nothing in progress is lost by the reload
  S.updateWorker.postMessage({ type: "skip-waiting" });
}

/* ---------- counts and syncing ---------- */
/* What the user thinks of as one thing: a visit (or report) with its photos.
   Its state is the worst state of its parts. */
const RANK = { attention: 3, sending: 2, saved: 1, synced: 0 };
function unitsOf(rows) {
  const byUuid = new Map(rows.map((r) => [r.uuid, r]));
  const units = new Map();
  for (const r of rows) {
    if (r.state === "draft") continue;
    const head = r.kind === "photo" && byUuid.has(r.parent) ? byUuid.get(r.parent) : r;
    if (head.state === "draft") continue;
    let u = units.get(head.uuid);
    if (!u) { u = { head, parts: [], state: "synced", error: null }; units.set(head.uuid, u); }
    u.parts.push(r);
    if (RANK[r.state] > RANK[u.state]) u.state = r.state;
    if (r.error && (r.state === "attention" || (!u.error && r.state === "saved"))) u.error = r.error;
  }
  return Array.from(units.values());
}

async function refreshCounts() {
  const rows = await DB.all("outbox");
  const c = { waiting: 0, attention: 0, sending: 0, others: 0 };
  const mine = [], others = [];
  for (const r of rows) (S.user && r.user_id === S.user.id ? mine : others).push(r);
  for (const u of unitsOf(mine)) {
    if (u.state === "attention") c.attention++;
    else if (u.state === "saved" || u.state === "sending") c.waiting++;
    if (u.state === "sending") c.sending++;
  }
  c.others = unitsOf(others).filter((u) => u.state !== "synced").length;
  S.counts = c;
  renderChip();
  if (S.view === "home" || S.view === "me") { renderNavBadge(); renderBanners(); }
  else renderNavBadge();
  if (S.view === "outbox") fillOutbox();
  document.body.dataset.waiting = String(c.waiting);
  document.body.dataset.attention = String(c.attention);
  return c;
}
function renderNavBadge() {
  const tab = $('#nav [data-tab="outbox"]');
  if (!tab) return;
  const n = S.counts.waiting + S.counts.attention;
  let b = tab.querySelector(".badge");
  if (!n) { if (b) b.remove(); return; }
  if (!b) { b = h("span", { class: "badge" }); tab.append(b); }
  b.textContent = String(n);
}

/* force: send items waiting on their retry backoff too. Backoff spares a
   struggling server; it must not delay a reconnect, a return to the app or
   "Sync now". A forced call that finds a send running (the page's or the
   service worker's) runs again once that one is done. */
let syncing = null, syncAgain = false;
function syncNow(force) {
  if (syncing) { if (force) syncAgain = true; return syncing; }
  syncing = (async () => {
    if (!S.user) return;
    if (!navigator.onLine) { await refreshCounts(); return; }
    S.syncing = true;
    renderChip();
    try {
      const r = await Sync.flush({ force: !!force });
      if (r && r.status === "auth") { S.auth = "expired"; renderBanners(); }
      if (r && r.status === "busy" && force) setTimeout(() => syncNow(true), 1500);
      await pushLanguage();
    } catch (e) {
      console.warn("sync", e);
    } finally {
      S.syncing = false;
      await refreshCounts();
      if (S.view === "home") rerenderRounds();
    }
  })().finally(() => {
    syncing = null;
    if (syncAgain) { syncAgain = false; syncNow(true); }
  });
  return syncing;
}
function syncSoon() {
  if ("SyncManager" in window && S.reg && S.reg.sync) S.reg.sync.register("outbox").catch(() => {});
  setTimeout(() => syncNow(false), 300);
}
Sync.onchange = () => { refreshCounts(); };
if (typeof BroadcastChannel !== "undefined") {
  new BroadcastChannel("rounds-outbox").onmessage = (ev) => {
    if (ev.data && ev.data.auth === "expired") { S.auth = "expired"; renderBanners(); }
    refreshCounts();
  };
}

/* ---------- pack ---------- */
async function refreshPack(opts) {
  opts = opts || {};
  if (!S.user || !navigator.onLine) return false;
  const cur = await DB.get("packs", S.user.id);
  const headers = {};
  if (cur && cur.etag) headers["If-None-Match"] = cur.etag;
  let res;
  try {
    res = await fetch(API + "/pack", { headers, credentials: "same-origin", cache: "no-store" });
  } catch (e) {
    if (opts.throwErrors) throw e;
    return false;
  }
  if (res.status === 304 && cur) {
    cur.checked_at = Date.now();
    await DB.put("packs", cur);
    return true;
  }
  if (res.status === 401) { await markExpired(); if (opts.throwErrors) throw new Error(t("login_again_same")); return false; }
  if (!res.ok) {
    if (opts.throwErrors) { let b = {}; try { b = await res.json(); } catch (_) {} throw new Error(serverMessage(b) || res.status); }
    return false;
  }
  const pack = await res.json();
  const rec = { user_id: S.user.id, etag: res.headers.get("ETag"), pack, fetched_at: Date.now() };
  await DB.put("packs", rec);
  S.pack = pack;
  S.packAt = rec.fetched_at;
  cacheReferencePhotos(pack);
  if (S.view === "home") rerender();
  else renderTop();
  return true;
}
async function markExpired() {
  S.auth = "expired";
  await DB.setMeta("auth", "expired");
  renderBanners();
  renderChip();
}

/* ---------- language ---------- */
async function switchLanguage(l) {
  setLang(l);
  await DB.setMeta("lang", lang());
  if (S.user) {
    S.user.language = lang();
    await DB.setMeta("user", S.user);
    await DB.setMeta("lang_pending", lang());
    pushLanguage();
  }
  rerender();
}
async function pushLanguage() {
  const l = await DB.getMeta("lang_pending");
  if (!l || !navigator.onLine || S.auth === "expired") return;
  try {
    const res = await fetch(API + "/session", {
      method: "PATCH", credentials: "same-origin",
      headers: Object.assign({ "Content-Type": "application/json" }, CLIENT), body: JSON.stringify({ language: l }),
    });
    if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 401)) await DB.setMeta("lang_pending", null);
  } catch (_) { /* later */ }
}

/* ---------- login ---------- */
function viewLogin() {
  const expired = S.auth === "expired" && S.user;
  const err = h("p", { class: "form-error", role: "alert", id: "login-error" });
  const user = h("input", { id: "username", name: "username", autocomplete: "username", autocapitalize: "none", spellcheck: "false", required: true, value: expired ? S.user.username : "" });
  const pass = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const btn = h("button", { type: "submit", class: "btn btn-primary btn-block", id: "login-btn" }, t("login"));
  const form = h("form", { class: "card form", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = "";
    if (!navigator.onLine) { err.textContent = t("login_offline"); return; }
    btn.disabled = true;
    btn.textContent = t("logging_in");
    try {
      await login(user.value.trim(), pass.value);
    } catch (ex) {
      err.textContent = ex.message;
      btn.disabled = false;
      btn.textContent = t("login");
    }
  } },
  h("label", { for: "username" }, t("username")), user,
  h("label", { for: "password" }, t("password")), pass,
  err, btn);
  view().append(...[
    h("div", { class: "login-head" },
      h("img", { src: "/pwa/icons/icon-192.png", alt: "", width: 72, height: 72 }),
      h("h1", {}, t("login_title"))),
    h("p", { class: "lead" }, expired ? t("login_again_same") : t("login_lead")),
    S.evicted ? h("p", { class: "banner banner-warn" }, t("banner_evicted")) : null,
    // iOS Safari: before anything is saved here, since the Home Screen app will not see it.
    S.iosHint ? iosHintCard(t("ios_stay")) : null,
    form,
    langSwitch(),
  ].filter(Boolean));
}

/* "Add to Home Screen" for iOS Safari: WebKit deletes the offline data of sites
   not used for 7 days unless they are on the Home Screen, and the Home Screen
   app has its own storage, so the guide comes at first run, before login. */
function iosHintCard(dismissText) {
  return h("div", { class: "card card-hint", id: "ios-hint" },
    h("h2", {}, t("ios_title")), h("p", {}, t("ios_body")), h("p", { class: "small" }, t("ios_storage")),
    h("button", { type: "button", class: "btn btn-secondary", onclick: async () => { S.iosHint = false; await DB.setMeta("ios_hint_done", true); rerender(); } }, dismissText));
}

function langSwitch() {
  return h("div", { class: "lang-switch", role: "group", "aria-label": t("language") },
    LANGS.map(([code, name]) => h("button", {
      type: "button", class: "btn btn-toggle" + (lang() === code ? " on" : ""), "aria-pressed": String(lang() === code),
      lang: code, onclick: () => switchLanguage(code),
    }, name)));
}

async function postLogin(username, password) {
  let res;
  try {
    res = await fetch(API + "/session", {
      method: "POST", credentials: "same-origin",
      headers: Object.assign({ "Content-Type": "application/json" }, CLIENT),
      body: JSON.stringify({ username, password }),
    });
  } catch (_) {
    throw new Error(t("login_offline"));
  }
  let body = {};
  try { body = await res.json(); } catch (_) {}
  if (!res.ok) throw new Error(t("login_failed", { msg: serverMessage(body) || res.status }));
  return body.user;
}

async function login(username, password) {
  let user = await postLogin(username, password);
  // Make sure the new session cookie stuck: a response to a request sent before
  // the login (an image, the service worker's precache) may carry a Set-Cookie
  // for an anonymous session and replace it. Log in again if that happened.
  for (let i = 0; i < 3; i++) {
    let ok = false;
    try { ok = (await fetch(API + "/session", { credentials: "same-origin", cache: "no-store" })).ok; } catch (_) { break; }
    if (ok) break;
    await new Promise((r) => setTimeout(r, 300));
    user = await postLogin(username, password);
  }
  const previous = S.user;
  S.user = user;
  S.auth = "ok";
  await DB.setMeta("user", user);
  await DB.setMeta("auth", "ok");
  try { localStorage.setItem("rounds.seen", "1"); } catch (_) {}
  if (!previous || previous.id !== user.id) {
    // Another person on this phone: their pack, their last scan; the others' items wait.
    const local = await DB.getMeta("lang");
    setLang(user.language || local || navigator.language);
    await DB.setMeta("lang", lang());
    const p = await DB.get("packs", user.id);
    S.pack = p ? p.pack : null;
    S.packAt = p ? p.fetched_at : 0;
    S.lastScan = await DB.getMeta("last_scan:" + user.id, null);
    S.visit = null;
  }
  S.evicted = false;
  try {
    await refreshPack({ throwErrors: true });
  } catch (e) {
    if (!S.pack) toast(t("pack_failed", { msg: e.message }), "danger");
  }
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  await refreshCounts();
  syncSoon();
  await restoreDraft();
  if (S.pendingCode) {
    const c = S.pendingCode;
    S.pendingCode = null;
    go("home", { replace: true });
    openCode(c, "link");
  } else {
    go("home", { replace: true });
  }
}

async function logout() {
  const n = S.counts.waiting + S.counts.attention;
  if (!confirm(n ? t("logout_confirm_waiting", { n }) : t("logout_confirm"))) return;
  if (S.visit) await saveDraft();
  if (navigator.onLine) {
    try { await fetch(API + "/session", { method: "DELETE", credentials: "same-origin", headers: CLIENT }); } catch (_) {}
  }
  await DB.setMeta("user", null);
  await DB.setMeta("auth", "ok");
  S.user = null; S.pack = null; S.visit = null; S.incident = null; S.lastScan = null; S.auth = "ok";
  await refreshCounts();
  go("login", { replace: true });
}

/* ---------- home ---------- */
function viewHome() {
  const main = view();
  main.append(h("h1", { class: "vh" }, t("nav_scan")));
  if (S.iosHint) {
    main.append(iosHintCard(t("dismiss")));
  } else if (S.installPrompt) {
    main.append(h("div", { class: "card card-hint" }, h("h2", {}, t("install_title")), h("p", {}, t("install_body")),
      h("button", { type: "button", class: "btn btn-secondary", onclick: installApp }, t("install_btn"))));
  }
  if (!S.pack) {
    main.append(h("div", { class: "card empty" },
      h("h2", {}, t("no_pack_title")), h("p", {}, t("no_pack_body")),
      h("button", { type: "button", class: "btn btn-primary btn-block", disabled: !S.online, onclick: () => refreshPack().then((ok) => ok && toast(t("pack_updated"))) }, t("refresh_pack"))));
    return;
  }
  if (S.draftInfo) {
    main.append(h("div", { class: "card card-draft", id: "draft-card" },
      h("p", {}, t("continue_draft", { place: placeName(S.draftInfo.place) })),
      h("div", { class: "row" },
        h("button", { type: "button", class: "btn btn-secondary", onclick: async () => { if (confirm(t("discard_confirm"))) { await discardDraft(); rerender(); } } }, t("discard")),
        h("button", { type: "button", class: "btn btn-primary btn-grow", onclick: resumeDraft }, t("continue")))));
  }
  main.append(h("button", { type: "button", class: "btn btn-scan", id: "scan-btn", onclick: startScan },
    h("span", { class: "scan-ico", "aria-hidden": "true" }, qrIcon()), t("scan_label")));
  const input = h("input", {
    id: "code-input", class: "code-input", maxlength: 16, autocomplete: "off", autocapitalize: "characters", spellcheck: "false",
    inputmode: "text", placeholder: t("code_placeholder"), "aria-describedby": "code-help",
  });
  main.append(h("form", { class: "card code-form", onsubmit: (e) => {
    e.preventDefault();
    const v = input.value.trim().toUpperCase();
    if (v.length < 6) { toast(t("code_too_short"), "danger"); input.focus(); return; }
    input.value = "";
    openCode(v, "typed");
  } },
  h("label", { for: "code-input", id: "code-help" }, t("or_type")),
  h("div", { class: "row" }, input, h("button", { type: "submit", class: "btn btn-primary", id: "code-go" }, t("open")))));
  if (S.lastScan) main.append(h("p", { class: "muted last-scan" }, t("last_scan", { place: placeName(S.lastScan.place) })));
  main.append(h("section", { id: "rounds", "aria-labelledby": "rounds-h" }));
  rerenderRounds();
  const asOf = h("p", { class: "muted small", id: "pack-as-of" });
  main.append(asOf);
  // Intl formatting is slow the first time after a cold start: not before the button works.
  setTimeout(() => { asOf.textContent = t("pack_as_of", { time: S.packAt ? fmtDateTime(S.packAt) : "—" }); }, 0);
}

const ICONS = {
  qr: "M3 3h7v7H3zm2 2v3h3V5zm9-2h7v7h-7zm2 2v3h3V5zM3 14h7v7H3zm2 2v3h3v-3zm9-2h2v2h-2zm2 2h2v2h-2zm2-2h3v2h-3zm-4 4h2v3h-2zm4 0h3v3h-3z",
  alert: "M12 2 1 21h22L12 2zm0 4.8L19.5 19h-15L12 6.8zM11 10v5h2v-5h-2zm0 6v2h2v-2h-2z",
  sync: "M7 3 3 7h3v7h2V7h3L7 3zm10 18 4-4h-3v-7h-2v7h-3l4 4z",
  camera: "M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9zm3 5a5 5 0 1 1 0 10 5 5 0 0 1 0-10zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6z",
  user: "M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zm0-8a3 3 0 1 1 0 6 3 3 0 0 1 0-6zm-9 18c0-4.4 4-7 9-7s9 2.6 9 7h-2c0-3-3-5-7-5s-7 2-7 5H3z",
};
function svgIcon(name, size) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", String(size || 26));
  svg.setAttribute("height", String(size || 26));
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}
const qrIcon = () => svgIcon("qr", 30);

async function localVisitsToday() {
  if (!S.user) return [];
  const rows = await DB.byIndex("outbox", "by_user", S.user.id);
  const today = new Date().toDateString();
  return rows.filter((r) => r.kind === "visit" && r.state !== "draft" && new Date(r.created_at).toDateString() === today);
}

async function rerenderRounds() {
  const box = $("#rounds");
  if (!box || !S.pack) return;
  const visits = await localVisitsToday();
  S.todayVisits = visits;
  const now = Date.now();
  const list = [];
  for (const site of S.pack.sites || []) {
    for (const r of site.rounds || []) {
      const done = new Set(visits.filter((v) => v.round_id === r.id).map((v) => v.location_id));
      const total = (r.checkpoints || []).length;
      const win = roundWindow(r, now);
      const wtxt = win.occ ? `${fmtTime(win.occ.start, site.timezone)}–${fmtTime(win.occ.end, site.timezone)}` : "";
      const status = win.status === "open" || win.status === "late" ? t("window_now") : win.status === "upcoming" ? t("window_next") : t("window_done");
      const next = r.ordered ? nextCheckpoint(site, r, visits, win) : null;
      list.push(h("li", { class: "round" + (win.status === "open" ? " round-now" : "") },
        h("div", { class: "round-name" }, pick(r, "name")),
        next ? h("div", { class: "round-next", "data-round": r.id, "data-location": next.id }, t("next_checkpoint", { name: pick(next, "name") })) : null,
        h("div", { class: "round-meta" },
          wtxt ? h("span", { class: "pill" + (win.status === "open" ? " pill-now" : "") }, status + " " + wtxt) : null,
          h("span", {}, t("checkpoints_done", { done: Math.min(done.size, total), total }))),
        h("div", { class: "progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": total, "aria-valuenow": done.size, "aria-label": pick(r, "name") },
          h("span", { style: `width:${total ? Math.round((100 * Math.min(done.size, total)) / total) : 0}%` }))));
    }
  }
  const doneAt = new Set(visits.map((v) => v.location_id));
  const locName = (id) => {
    for (const site of S.pack.sites || []) {
      const l = (site.locations || []).find((x) => x.id === id);
      if (l) return pick(l, "path") || pick(l, "name");
    }
    return "#" + id;
  };
  const fixes = await fixCards(now);
  const tasks = [];
  for (const r of S.pack.redo || []) {
    const done = doneAt.has(r.location_id);
    tasks.push(h("li", { class: "task task-redo" + (done ? " task-done" : ""), "data-location": r.location_id },
      h("div", { class: "round-name" }, (done ? "✓ " : "") + locName(r.location_id)),
      h("div", { class: "muted small" }, [pick(r, "reason"), r.note].filter(Boolean).join(" · "))));
  }
  const spots = (S.pack.spot_checks || []).map((a) => {
    const done = doneAt.has(a.location_id);
    return h("li", { class: "task task-spot" + (done ? " task-done" : ""), "data-location": a.location_id },
      h("div", { class: "round-name" }, (done ? "✓ " : "") + locName(a.location_id)),
      h("div", { class: "muted small" }, a.day));
  });
  box.replaceChildren(...[
    fixes.length ? h("h2", { id: "fix-h" }, t("fix_title")) : null,
    fixes.length ? h("p", { class: "muted small" }, t("fix_hint")) : null,
    fixes.length ? h("ul", { class: "rounds", id: "fix-list" }, fixes) : null,
    tasks.length ? h("h2", { id: "redo-h" }, t("redo_title")) : null,
    tasks.length ? h("p", { class: "muted small" }, t("redo_hint")) : null,
    tasks.length ? h("ul", { class: "rounds", id: "redo-list" }, tasks) : null,
    spots.length ? h("h2", { id: "spot-h" }, t("spot_title")) : null,
    spots.length ? h("ul", { class: "rounds", id: "spot-list" }, spots) : null,
    h("h2", { id: "rounds-h" }, t("todays_rounds")),
    list.length ? h("ul", { class: "rounds" }, list) : h("p", { class: "muted empty-line" }, t("no_rounds")),
  ].filter(Boolean));
}

/* An ordered round: the first checkpoint (by position) not yet done in the
   window that is open now, or today when none is. The server flags a scan
   that skips ahead (integrity flag "out_of_order"). */
function nextCheckpoint(site, r, visits, win) {
  const since = win && win.occ && (win.status === "open" || win.status === "late") ? Date.parse(win.occ.start) : 0;
  const done = new Set(visits.filter((v) => v.round_id === r.id && v.created_at >= since).map((v) => v.location_id));
  const cp = (r.checkpoints || []).slice().sort((a, b) => a.position - b.position).find((c) => !done.has(c.location_id));
  return cp ? (site.locations || []).find((l) => l.id === cp.location_id) || null : null;
}

function roundWindow(r, now) {
  let next = null, last = null;
  for (const o of r.today || []) {
    const s = Date.parse(o.start), e = Date.parse(o.end), g = Date.parse(o.grace_end || o.end);
    if (now >= s && now <= e) return { occ: o, status: "open" };
    if (now > e && now <= g) return { occ: o, status: "late" };
    if (s > now && (!next || s < Date.parse(next.start))) next = o;
    if (e < now) last = o;
  }
  if (next) return { occ: next, status: "upcoming" };
  return { occ: last, status: "closed" };
}

/* ---------- scanning and codes ---------- */
async function startScan() {
  if (!S.pack) { toast(t("no_pack_title"), "danger"); return; }
  let openScanner;
  try {
    ({ openScanner } = await import("./scanner.js"));
  } catch (e) {
    console.warn("scanner did not load", e);
    scanFailed(t("scanner_failed"));
    return;
  }
  // Cancel (a damaged label, a dark room) lands on the code field: type it instead.
  openScanner({
    onCode: (text) => openCode(text, "scan"),
    onClose: (why, message) => {
      if (why === "failed") { scanFailed(message); return; }
      const el = $(why === "cancel" ? "#code-input" : "#scan-btn");
      if (el) el.focus();
    },
  });
}

/* The camera or the decoder failed: say so above the short-code field and put
   the cursor there, so the code printed under the QR can be typed at once. */
function scanFailed(message) {
  const input = $("#code-input");
  if (!input) { toast(message, "danger"); return; }
  let p = $("#scan-error");
  if (!p) {
    p = h("p", { class: "form-error", role: "alert", id: "scan-error" });
    input.closest("form").insertBefore(p, input.closest(".row"));
    input.setAttribute("aria-describedby", "code-help scan-error");
  }
  p.textContent = message;
  input.focus();
}

function parseCode(text) {
  text = String(text || "").trim();
  try {
    const u = new URL(text);
    const m = u.pathname.match(/\/t\/([^/?#]+)/);
    if (m) return decodeURIComponent(m[1]);
  } catch (_) { /* not a URL */ }
  return text;
}

function findTag(code) {
  if (!S.pack || !code) return null;
  const up = code.toUpperCase();
  for (const site of S.pack.sites || []) {
    for (const tag of site.tags || []) {
      if (tag.code === code || (tag.short_code && tag.short_code.toUpperCase() === up)) {
        const location = (site.locations || []).find((l) => l.id === tag.location_id);
        if (location) return { site, tag, location };
      }
    }
  }
  return null;
}

function refuse(title, body, extra) {
  const dlg = h("div", { class: "modal", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "refuse-h", "aria-describedby": "refuse-p", id: "refused" },
    h("div", { class: "modal-box" },
      h("h2", { id: "refuse-h" }, title),
      h("p", { id: "refuse-p" }, body),
      extra ? h("p", { class: "muted" }, extra) : null,
      h("div", { class: "row" },
        S.online ? h("button", { type: "button", class: "btn btn-secondary", onclick: () => { close(); refreshPack().then((ok) => ok && toast(t("pack_updated"))); } }, t("refresh_pack")) : null,
        h("button", { type: "button", class: "btn btn-primary btn-grow", id: "refused-ok", onclick: () => close() }, t("close")))));
  function close() { dlg.remove(); const i = $("#code-input"); if (i) i.focus(); }
  document.body.append(dlg);
  $("#refused-ok").focus();
}

async function openCode(raw, method) {
  const code = parseCode(raw);
  const found = findTag(code);
  if (!found) {
    if (S.view !== "home") go("home", { replace: method === "link" });
    refuse(t("unknown_code_title"), t("unknown_code", { code }), S.online ? t("unknown_code_hint_online") : null);
    return;
  }
  await startVisit(found, method, code);
}

function roundsAt(site, locationId) {
  return (site.rounds || []).filter((r) => (r.checkpoints || []).some((c) => c.location_id === locationId));
}

function chooseRound(rounds, now) {
  let best = null, bestRank = 9;
  const rank = { open: 0, late: 1, upcoming: 2, closed: 3 };
  for (const r of rounds) {
    const w = roundWindow(r, now);
    if (rank[w.status] < bestRank) { best = r; bestRank = rank[w.status]; }
  }
  return best;
}

function templateFor(site, location, roundId) {
  let tv = location.template_version_id;
  if (roundId) {
    const r = (site.rounds || []).find((x) => x.id === roundId);
    const cp = r && r.checkpoints.find((c) => c.location_id === location.id);
    if (cp && cp.template_version_id) tv = cp.template_version_id;
  }
  return tv;
}

function kindFor(round) {
  const role = S.user.role;
  const allowed = KINDS_BY_ROLE[role] || ["self_check"];
  if (round && allowed.includes(round.kind)) return round.kind;
  return DEFAULT_KIND[role] || allowed[0];
}

async function startVisit({ site, tag, location }, method, code) {
  if (S.visit && S.visit.location_id !== location.id) {
    if (!confirm(t("replace_draft_confirm", { place: placeName(S.visit.place) }))) { go("checklist"); return; }
    await discardDraft();
  } else if (S.visit && S.visit.location_id === location.id) {
    go("checklist", { replace: method === "link" });
    return;
  }
  const now = Date.now();
  const spot = (S.pack.spot_checks || []).find((a) => a.location_id === location.id);
  const mayAudit = (KINDS_BY_ROLE[S.user.role] || []).includes("spot_check");
  const round = spot && mayAudit ? null : chooseRound(roundsAt(site, location.id), now);
  const roundId = round ? round.id : null;
  const tv = spot && mayAudit && spot.template_version_id ? spot.template_version_id : templateFor(site, location, roundId);
  if (!tv || !S.pack.templates.some((x) => x.id === tv)) {
    refuse(t("unknown_code_title"), t("no_template"));
    return;
  }
  const place = { zh: location.path_zh || location.name_zh, en: location.path_en || location.name_en };
  S.visit = {
    uuid: crypto.randomUUID(), user_id: S.user.id, site_id: site.id, location_id: location.id,
    tag_code: tag.code, short_code: tag.short_code, typed: method === "typed" ? code.toUpperCase() : null,
    link_code: method === "link" ? code : null,
    scan_method: method, scanned_at: isoLocal(new Date(now)), round_id: roundId,
    kind: spot && mayAudit ? "spot_check" : kindFor(round), spot_check: !!(spot && mayAudit),
    template_version_id: tv, answers: {}, note: "", place,
  };
  S.todayVisits = await localVisitsToday(); // for the round box's "next checkpoint"
  S.lastScan = { tag_code: tag.code, short_code: tag.short_code, location_id: location.id, place, at: now };
  await DB.setMeta("last_scan:" + S.user.id, S.lastScan);
  await saveDraft();
  go("checklist", { replace: method === "link" });
}

/* ---------- drafts ---------- */
let draftTimer = null;
function saveDraftSoon() { clearTimeout(draftTimer); draftTimer = setTimeout(saveDraft, 400); }
async function saveDraft() {
  clearTimeout(draftTimer);
  if (!S.visit || !S.user) return;
  await DB.put("drafts", Object.assign({}, S.visit, { user_id: S.user.id }));
}
async function restoreDraft() {
  S.draftInfo = null;
  if (!S.user) return;
  const d = await DB.get("drafts", S.user.id);
  // photos taken for checklists or reports never saved (app closed mid-way): drop them
  const rows = await DB.byIndex("outbox", "by_user", S.user.id);
  for (const r of rows) if (r.state === "draft" && (!d || r.parent !== d.uuid)) await DB.del("outbox", r.uuid);
  if (d) { S.visit = d; S.draftInfo = { place: d.place }; S.todayVisits = await localVisitsToday(); }
}
/* Photos taken for a checklist or a report that was never saved (the app was
   closed mid-way) are dropped; the current draft's photos stay. */
async function dropOrphanPhotos() {
  const rows = await DB.byIndex("outbox", "by_user", S.user.id);
  const keep = S.visit ? S.visit.uuid : null;
  const inc = S.incident ? S.incident.uuid : null;
  const fix = S.fix ? S.fix.uuid : null;
  for (const r of rows) if (r.state === "draft" && r.parent !== keep && r.parent !== inc && r.parent !== fix) await DB.del("outbox", r.uuid);
}
function resumeDraft() { S.draftInfo = null; go("checklist"); }
async function discardDraft() {
  if (S.visit) {
    const rows = await DB.byIndex("outbox", "by_parent", S.visit.uuid);
    for (const r of rows) if (r.state === "draft") await DB.del("outbox", r.uuid);
  }
  if (S.user) await DB.del("drafts", S.user.id);
  S.visit = null;
  S.draftInfo = null;
}
async function cancelVisit() {
  if (S.visit && Object.keys(S.visit.answers).length && !confirm(t("discard_confirm"))) return;
  await discardDraft();
  go("home", { replace: true });
}

/* ---------- checklist ---------- */
function currentTemplate() {
  return S.pack && S.visit ? S.pack.templates.find((x) => x.id === S.visit.template_version_id) : null;
}
function siteOf(id) { return S.pack && (S.pack.sites || []).find((s) => s.id === id); }

function answerOf(id) {
  const a = S.visit.answers[id] || (S.visit.answers[id] = { value: null, note: "", photos: [] });
  if (!a.photos) a.photos = [];
  return a;
}

function isFailed(item, a) {
  if (!a) return false;
  const v = a.value;
  switch (item.kind) {
    case "pass_fail": return v === "fail";
    case "yes_no": return typeof v === "boolean" && v === (item.fail_on === undefined ? false : item.fail_on);
    case "number": {
      if (typeof v !== "number" || !isFinite(v)) return false;
      return (item.pass_min != null && v < item.pass_min) || (item.pass_max != null && v > item.pass_max);
    }
    case "choice": return !!((item.choices || []).find((c) => c.value === v) || {}).fails;
    default: return false;
  }
}
function isAnswered(item, a) {
  if (!a) return false;
  switch (item.kind) {
    case "pass_fail": return ["pass", "fail", "na"].includes(a.value);
    case "yes_no": return typeof a.value === "boolean";
    case "number": return typeof a.value === "number" && isFinite(a.value);
    case "text": return typeof a.value === "string" && a.value.trim() !== "";
    case "choice": return a.value != null && a.value !== "";
    case "photo": case "signature": return a.photos.length > 0;
    default: return a.value != null;
  }
}
function itemErrors(item) {
  const a = S.visit.answers[item.id];
  const errs = [];
  const answered = isAnswered(item, a);
  if (item.required && !answered) errs.push(item.kind === "photo" || item.kind === "signature" ? t("err_photo_required") : t("err_required"));
  if (item.kind === "number" && a && a.raw && !answered) errs.push(t("err_number"));
  if (item.kind === "number" && answered && ((item.min != null && a.value < item.min) || (item.max != null && a.value > item.max))) {
    errs.push(t("err_range", { min: item.min ?? "", max: item.max ?? "" }));
  }
  if (answered && isFailed(item, a)) {
    if (item.note_on_fail !== false && !(a.note || "").trim()) errs.push(t("err_note"));
    if (item.photo_on_fail && !a.photos.length) errs.push(t("err_photo"));
  }
  return errs;
}

function viewChecklist() {
  const v = S.visit;
  const tv = currentTemplate();
  const site = siteOf(v.site_id);
  const main = view();
  if (!tv || !site) { go("home", { replace: true }); return; }
  main.append(h("div", { class: "visit-head" },
    h("p", { class: "eyebrow" }, pick(tv, "name")),
    h("h1", { id: "visit-place" }, placeName(v.place)),
    h("p", { class: "muted small" }, t("scanned_at", { time: fmtTime(v.scanned_at), how: t("scanned_via_" + v.scan_method) }))));
  main.append(roundBox(site));
  const form = h("form", { id: "checklist", class: "checklist", novalidate: true, onsubmit: (e) => { e.preventDefault(); saveVisit(); } });
  form.append(h("p", { class: "form-error", role: "alert", id: "checklist-error" }));
  for (const item of tv.items || []) form.append(itemCard(item));
  const vn = h("textarea", { id: "visit-note", rows: 2, maxlength: 2000, value: v.note || "", oninput: (e) => { v.note = e.target.value; saveDraftSoon(); } });
  form.append(h("div", { class: "item" }, h("label", { for: "visit-note", class: "item-label" }, t("visit_note")), vn));
  main.append(form);
}

function roundBox(site) {
  const v = S.visit;
  const rounds = roundsAt(site, v.location_id);
  const allowed = KINDS_BY_ROLE[S.user.role] || ["self_check"];
  const box = h("div", { class: "card round-box", id: "round-box" });
  const r = rounds.find((x) => x.id === v.round_id);
  let text, orderHint = null;
  if (r) {
    const w = roundWindow(r, Date.parse(v.scanned_at));
    const tz = site.timezone;
    const span = w.occ ? { start: fmtTime(w.occ.start, tz), end: fmtTime(w.occ.end, tz) } : null;
    const when = w.status === "open" ? t("window_open", span) + " · " + t("on_time")
      : w.status === "late" ? t("window_open", span) + " · " + t("late_grace", { time: fmtTime(w.occ.grace_end, tz) })
      : w.status === "upcoming" ? t("window_upcoming", span) : t("window_closed");
    text = h("p", { class: "round-now-text", id: "counts-for" }, h("strong", {}, t("counts_for") + ": " + pick(r, "name")), h("br"), when);
    if (r.ordered && S.todayVisits) {
      const next = nextCheckpoint(site, r, S.todayVisits, w);
      if (next && next.id !== v.location_id) orderHint = h("p", { class: "round-order", id: "out-of-order", role: "status" }, t("out_of_order", { name: pick(next, "name") }));
    }
    box.classList.add(w.status === "open" ? "ok" : w.status === "late" ? "warn" : "plain");
  } else if (v.spot_check) {
    text = h("p", { id: "counts-for" }, h("strong", {}, t("spot_assigned")));
    box.classList.add("ok");
  } else {
    text = h("p", { id: "counts-for" }, t("counts_none", { kind: t("kind_" + v.kind) }));
    box.classList.add("plain");
  }
  box.append(text);
  if (orderHint) box.append(orderHint);
  if (rounds.length) {
    box.append(h("label", { for: "round-select", class: "small-label" }, t("change_round")),
      h("select", { id: "round-select", onchange: (e) => {
        const id = e.target.value ? Number(e.target.value) : null;
        const nr = rounds.find((x) => x.id === id) || null;
        const ntv = templateFor(site, site.locations.find((l) => l.id === v.location_id), id);
        v.round_id = id;
        v.kind = kindFor(nr);
        if (ntv !== v.template_version_id) { v.template_version_id = ntv; v.answers = {}; }
        saveDraft();
        rerender();
      } },
      rounds.map((x) => h("option", { value: String(x.id), selected: x.id === v.round_id ? true : null }, pick(x, "name"))),
      h("option", { value: "", selected: v.round_id == null ? true : null }, t("no_round"))));
  }
  if (allowed.length > 1) {
    box.append(h("label", { for: "kind-select", class: "small-label" }, t("kind_label")),
      h("select", { id: "kind-select", onchange: (e) => { v.kind = e.target.value; saveDraft(); } },
        allowed.map((k) => h("option", { value: k, selected: k === v.kind ? true : null }, t("kind_" + k)))));
  }
  return box;
}

function updateItem(item) {
  const old = document.getElementById("item-" + item.id);
  if (!old) return;
  const active = document.activeElement;
  const key = active && old.contains(active) ? active.dataset.f : null;
  const fresh = itemCard(item);
  old.replaceWith(fresh);
  if (key) { const el = fresh.querySelector(`[data-f="${key}"]`); if (el) el.focus({ preventScroll: true }); }
}

function segmented(item, options, current, onpick) {
  return h("div", { class: "seg seg-" + options.length, role: "radiogroup", "aria-labelledby": "lbl-" + item.id },
    options.map(([value, label, cls]) => h("button", {
      type: "button", role: "radio", class: "seg-btn " + (cls || "") + (current === value ? " on" : ""),
      "data-fails": isFailed(item, { value }) ? "1" : null,
      "aria-checked": String(current === value), "data-f": "v-" + String(value), "data-value": String(value),
      onclick: () => onpick(value),
    }, label)));
}

function itemCard(item) {
  const v = S.visit;
  const a = v.answers[item.id];
  const failed = isFailed(item, a);
  const label = pick(item, "label");
  const card = h("section", { class: "item" + (failed ? " item-failed" : ""), id: "item-" + item.id, "data-item": item.id, "data-kind": item.kind },
    h("h3", { class: "item-label", id: "lbl-" + item.id }, label, item.required ? h("span", { class: "req" }, " · " + t("required")) : null),
    pick(item, "help") ? h("p", { class: "muted small item-help" }, pick(item, "help")) : null,
    item.reference_photo_url ? referenceFigure(item) : null);
  const set = (value) => {
    const ans = answerOf(item.id);
    ans.value = ans.value === value && item.kind !== "number" && item.kind !== "text" ? null : value;
    saveDraftSoon();
    updateItem(item);
  };
  switch (item.kind) {
    case "pass_fail":
      card.append(segmented(item, [["pass", t("pass"), "pass"], ["fail", t("fail"), "fail"], ["na", t("na"), "na"]], a && a.value, set));
      break;
    case "yes_no":
      card.append(segmented(item, [[true, t("yes")], [false, t("no")]], a && a.value, set));
      break;
    case "number": {
      const hints = [];
      if (item.min != null || item.max != null) hints.push(t("range", { min: item.min ?? "", max: item.max ?? "" }));
      if (item.pass_min != null || item.pass_max != null) hints.push(t("normal_range", { min: item.pass_min ?? "", max: item.pass_max ?? "" }));
      const inp = h("input", {
        type: "text", inputmode: "decimal", id: "num-" + item.id, "data-f": "num", "aria-labelledby": "lbl-" + item.id,
        "data-pass-min": item.pass_min ?? item.min ?? null, "data-pass-max": item.pass_max ?? item.max ?? null,
        "aria-describedby": "hint-" + item.id, class: "num", value: a && a.raw != null ? a.raw : a && a.value != null ? String(a.value) : "",
        oninput: (e) => {
          const ans = answerOf(item.id);
          ans.raw = e.target.value;
          const n = Number(e.target.value.replace(",", "."));
          ans.value = e.target.value.trim() === "" || !isFinite(n) ? null : n;
          saveDraftSoon();
        },
        onchange: () => updateItem(item),
      });
      card.append(h("div", { class: "row num-row" }, inp, item.unit ? h("span", { class: "unit" }, item.unit) : null),
        hints.length ? h("p", { class: "muted small", id: "hint-" + item.id }, hints.join(" · ")) : null);
      break;
    }
    case "text":
      card.append(h("textarea", {
        rows: 2, maxlength: 2000, "data-f": "text", "aria-labelledby": "lbl-" + item.id, value: (a && a.value) || "",
        oninput: (e) => { answerOf(item.id).value = e.target.value; saveDraftSoon(); },
      }));
      break;
    case "choice":
      card.append(h("div", { class: "choices", role: "radiogroup", "aria-labelledby": "lbl-" + item.id },
        (item.choices || []).map((c) => h("button", {
          type: "button", role: "radio", class: "choice" + (a && a.value === c.value ? " on" : "") + (c.fails ? " fails" : ""),
          "aria-checked": String(!!(a && a.value === c.value)), "data-f": "c-" + c.value, "data-value": c.value, "data-fails": c.fails ? "1" : null,
          onclick: () => set(c.value),
        }, pick(c, "label") || c.value))));
      break;
    case "photo":
      card.append(photoBlock(item));
      break;
    case "signature":
      card.append(signatureBlock(item));
      break;
    default:
      card.append(h("p", { class: "muted" }, item.kind));
  }
  if (failed) {
    const noteId = "note-" + item.id;
    card.append(h("label", { for: noteId, class: "small-label" }, t("note_fail")),
      h("textarea", { id: noteId, rows: 2, maxlength: 2000, "data-f": "note", class: "fail-note", value: (a && a.note) || "",
        oninput: (e) => { answerOf(item.id).note = e.target.value; saveDraftSoon(); } }));
  }
  if (item.kind !== "photo" && item.kind !== "signature" && (failed || (a && a.photos && a.photos.length))) {
    card.append(photoBlock(item, failed && item.photo_on_fail));
  }
  const errs = card.dataset.showErrors === "1" || v.showErrors ? itemErrors(item) : [];
  card.append(h("p", { class: "item-err", id: "err-" + item.id, role: errs.length ? "alert" : null }, errs.join(" ")));
  if (errs.length) card.classList.add("item-invalid");
  return card;
}

/* Reference photos ("what good looks like") are kept in their own cache when
   a pack arrives, so the checklist shows them with no network. */
const REF_CACHE = "rounds-reference-v1";
const refURLs = new Map(); // url → object URL of the cached image
async function cacheReferencePhotos(pack) {
  if (!("caches" in self)) return;
  const wanted = new Set();
  for (const tv of pack.templates || []) for (const i of tv.items || []) if (i.reference_photo_url) wanted.add(i.reference_photo_url);
  try {
    const c = await caches.open(REF_CACHE);
    for (const url of wanted) {
      if (await c.match(url)) continue;
      const res = await fetch(url, { credentials: "same-origin" });
      if (res.ok) await c.put(url, res);
    }
    for (const req of await c.keys()) if (!wanted.has(new URL(req.url).pathname)) await c.delete(req);
  } catch (_) { /* next pack */ }
}
function referenceFigure(item) {
  const url = item.reference_photo_url;
  const img = h("img", { alt: t("reference_photo") + ": " + pick(item, "label"), class: "ref-img", loading: "lazy" });
  const known = refURLs.get(url);
  if (known) img.src = known;
  else if ("caches" in self) {
    caches.match(url, { cacheName: REF_CACHE }).then((res) => res ? res.blob() : null).then((blob) => {
      const src = blob ? URL.createObjectURL(blob) : url;
      if (blob) refURLs.set(url, src);
      img.src = src;
    }).catch(() => { img.src = url; });
  } else img.src = url;
  return h("details", { class: "item-ref", "data-ref": url },
    h("summary", {}, t("reference_photo")), img);
}

function photoBlock(item, needed) {
  const a = S.visit.answers[item.id];
  const photos = (a && a.photos) || [];
  const inputId = "cam-" + item.id;
  const input = h("input", {
    type: "file", accept: "image/*", capture: "environment", id: inputId, class: "vh cam", "data-item": item.id, "data-f": "cam",
    onchange: (e) => addPhotos(item, e.target, "visit"),
  });
  return h("div", { class: "photos" },
    needed && !photos.length ? h("p", { class: "need" }, t("photo_needed")) : null,
    h("div", { class: "thumbs" }, photos.map((uuid, i) => thumb(uuid, i, () => removePhoto(item, uuid)))),
    input,
    h("label", { for: inputId, class: "btn btn-secondary btn-photo" }, h("span", { "aria-hidden": "true", class: "btn-ico" }, svgIcon("camera", 22)), photos.length ? t("add_photo") : t("take_photo")));
}

function thumb(uuid, i, onremove) {
  const img = h("img", { alt: t("photo_n", { n: i + 1 }), width: 88, height: 88 });
  const url = thumbs.get(uuid);
  if (url) img.src = url;
  else DB.get("outbox", uuid).then((r) => { if (r && r.blob) { const u = URL.createObjectURL(r.blob); thumbs.set(uuid, u); img.src = u; } });
  return h("div", { class: "thumb" }, img,
    onremove ? h("button", { type: "button", class: "thumb-x", "aria-label": t("remove_photo") + " " + (i + 1), onclick: onremove }, "×") : null);
}

async function storePhoto(prep, parentKind, parentUuid, itemId, place) {
  const rec = {
    uuid: crypto.randomUUID(), kind: "photo", user_id: S.user.id, state: "draft", created_at: Date.now(),
    parent: parentUuid, parent_kind: parentKind, item: itemId || null, captured_at: prep.captured_at,
    blob: prep.blob, type: prep.type, size: prep.size, sha256: prep.sha256, width: prep.width, height: prep.height, quality: prep.quality,
    attempts: 0, place,
  };
  await DB.put("outbox", rec);
  thumbs.set(rec.uuid, URL.createObjectURL(prep.blob));
  return rec.uuid;
}

async function addPhotos(item, input, parentKind) {
  const files = Array.from(input.files || []);
  input.value = "";
  if (!files.length) return;
  toast(t("photo_processing"));
  for (const f of files) {
    try {
      const prep = await preparePhoto(f);
      if (parentKind === "visit") {
        const uuid = await storePhoto(prep, "visit", S.visit.uuid, item.id, S.visit.place);
        answerOf(item.id).photos.push(uuid);
      } else if (parentKind === "fix") {
        const uuid = await storePhoto(prep, "fix", S.fix.uuid, S.fix.item_id, S.fix.place);
        S.fix.photos.push(uuid);
      } else {
        const uuid = await storePhoto(prep, "incident", S.incident.uuid, null, null);
        S.incident.photos.push(uuid);
      }
    } catch (e) {
      console.warn(e);
      toast(t("photo_failed"), "danger");
    }
  }
  $("#toast").className = "toast";
  document.body.dataset.photos = String(Number(document.body.dataset.photos || 0) + files.length);
  if (parentKind === "visit") { await saveDraft(); updateItem(item); } else if (parentKind === "fix") rerenderFixPhotos(); else rerenderIncidentPhotos();
}

async function removePhoto(item, uuid) {
  const a = answerOf(item.id);
  a.photos = a.photos.filter((p) => p !== uuid);
  await DB.del("outbox", uuid);
  const u = thumbs.get(uuid);
  if (u) URL.revokeObjectURL(u);
  thumbs.delete(uuid);
  await saveDraft();
  updateItem(item);
}

function signatureBlock(item) {
  const a = S.visit.answers[item.id];
  if (a && a.photos && a.photos.length) {
    return h("div", { class: "sig-done" }, thumb(a.photos[0], 0, null), h("p", { class: "ok-text" }, "✓ " + t("sign_saved")),
      h("button", { type: "button", class: "btn btn-secondary", "data-f": "sig-redo", onclick: () => removePhoto(item, a.photos[0]) }, t("sign_redo")));
  }
  const canvas = h("canvas", { class: "sig", "aria-label": t("sign_here"), role: "img", id: "sig-" + item.id });
  const pad = signaturePad(canvas);
  return h("div", { class: "sig-wrap" },
    h("p", { class: "muted small" }, t("sign_here")), canvas,
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn btn-secondary", "data-f": "sig-clear", onclick: () => pad.clear() }, t("sign_clear")),
      h("button", { type: "button", class: "btn btn-primary btn-grow", "data-f": "sig-use", onclick: async () => {
        if (pad.isEmpty()) { toast(t("sign_here"), "danger"); return; }
        const blob = await pad.toBlob();
        const prep = { blob, type: "image/png", size: blob.size, sha256: await sha256Hex(blob), captured_at: isoLocal(new Date()), width: canvas.width, height: canvas.height };
        const uuid = await storePhoto(prep, "visit", S.visit.uuid, item.id, S.visit.place);
        answerOf(item.id).photos = [uuid];
        await saveDraft();
        updateItem(item);
      } }, t("sign_use"))));
}

async function saveVisit() {
  const v = S.visit;
  const tv = currentTemplate();
  if (!v || !tv) return;
  v.showErrors = true;
  let firstBad = null, nBad = 0;
  for (const item of tv.items) {
    updateItem(item);
    if (itemErrors(item).length) { nBad++; if (!firstBad) firstBad = item; }
  }
  const err = $("#checklist-error");
  if (firstBad) {
    if (err) err.textContent = t("err_summary", { n: nBad });
    const el = document.getElementById("item-" + firstBad.id);
    el.scrollIntoView({ block: "center" });
    const f = el.querySelector("button, input, textarea, label");
    if (f) f.focus({ preventScroll: true });
    return;
  }
  const answers = [];
  const photoIds = [];
  for (const item of tv.items) {
    const a = v.answers[item.id];
    if (!a || (!isAnswered(item, a) && !(a.photos && a.photos.length))) continue;
    const value = item.kind === "photo" || item.kind === "signature" ? null : item.kind === "text" ? (a.value || "").trim() : isAnswered(item, a) ? a.value : null;
    if (value === null && item.kind !== "photo" && item.kind !== "signature") continue;
    answers.push({ item: item.id, value, note: (a.note || "").trim(), photos: a.photos.slice() });
    photoIds.push(...a.photos);
  }
  const body = {};
  if (v.scan_method === "typed") body.short_code = v.short_code || v.typed;
  else body.tag_code = v.tag_code;
  body.template_version_id = v.template_version_id;
  body.kind = v.kind;
  if (v.round_id != null) body.round_id = v.round_id;
  body.scan_method = v.scan_method;
  body.scanned_at = v.scanned_at;
  body.finished_at = isoLocal(new Date());
  body.device_id = S.deviceId;
  body.note = (v.note || "").trim();
  body.answers = answers;
  const rec = {
    uuid: v.uuid, kind: "visit", user_id: S.user.id, state: "saved", created_at: Date.now(), attempts: 0,
    json: JSON.stringify(body), body, place: v.place, round_id: v.round_id, location_id: v.location_id,
    photo_uuids: photoIds, failed: tv.items.filter((i) => isFailed(i, v.answers[i.id])).length,
  };
  await DB.run(["outbox", "drafts"], "readwrite", async (tx) => {
    const ob = tx.objectStore("outbox");
    ob.put(rec);
    const photos = await DB.req(ob.index("by_parent").getAll(v.uuid));
    for (const p of photos) {
      if (p.state !== "draft") continue;
      if (photoIds.includes(p.uuid)) { p.state = "saved"; ob.put(p); } else ob.delete(p.uuid);
    }
    tx.objectStore("drafts").delete(S.user.id);
  });
  S.visit = null;
  S.draftInfo = null;
  toast(t("saved_on_phone"), "ok");
  await refreshCounts();
  go("home", { replace: true });
  syncSoon();
}

/* ---------- incident ---------- */
function openIncident() {
  if (!S.user) return;
  if (!S.incident) S.incident = { uuid: crypto.randomUUID(), kind: null, note: "", photos: [], useLocation: !!S.lastScan };
  go("incident");
}
async function dropIncident() {
  if (!S.incident) return;
  for (const p of S.incident.photos) await DB.del("outbox", p);
  S.incident = null;
}
function viewIncident() {
  const inc = S.incident;
  const main = view();
  main.append(h("h1", {}, t("incident_title")));
  main.append(h("p", { class: "form-error", role: "alert", id: "incident-error" }));
  main.append(h("div", { class: "item" },
    h("h2", { class: "item-label", id: "inc-kind-h" }, t("incident_kind")),
    h("div", { class: "inc-kinds", role: "radiogroup", "aria-labelledby": "inc-kind-h" },
      INCIDENT_KINDS.map((k) => h("button", {
        type: "button", role: "radio", class: "choice" + (inc.kind === k ? " on" : ""), "aria-checked": String(inc.kind === k), "data-value": k,
        onclick: () => { inc.kind = k; rerender(); },
      }, t("inc_" + k))))));
  main.append(h("div", { class: "item" },
    h("label", { for: "inc-note", class: "item-label" }, t("incident_note")),
    h("textarea", { id: "inc-note", rows: 3, maxlength: 2000, value: inc.note, oninput: (e) => { inc.note = e.target.value; } })));
  const input = h("input", { type: "file", accept: "image/*", capture: "environment", id: "inc-cam", class: "vh cam", onchange: (e) => addPhotos(null, e.target, "incident") });
  main.append(h("div", { class: "item" },
    h("h2", { class: "item-label" }, t("it_photo")),
    h("div", { class: "thumbs", id: "inc-thumbs" }),
    input, h("label", { for: "inc-cam", class: "btn btn-secondary btn-photo" }, h("span", { "aria-hidden": "true", class: "btn-ico" }, svgIcon("camera", 22)), t("take_photo"))));
  const where = h("div", { class: "item" }, h("h2", { class: "item-label" }, t("incident_where")));
  if (S.lastScan) {
    where.append(h("label", { class: "check" },
      h("input", { type: "checkbox", id: "inc-loc", checked: inc.useLocation, onchange: (e) => { inc.useLocation = e.target.checked; } }),
      h("span", {}, t("incident_where_last", { place: placeName(S.lastScan.place) }))));
  } else where.append(h("p", { class: "muted" }, t("incident_where_none")));
  main.append(where);
  rerenderIncidentPhotos();
}
function rerenderIncidentPhotos() {
  const box = $("#inc-thumbs");
  if (!box || !S.incident) return;
  box.replaceChildren(...S.incident.photos.map((uuid, i) => thumb(uuid, i, async () => {
    S.incident.photos = S.incident.photos.filter((p) => p !== uuid);
    await DB.del("outbox", uuid);
    rerenderIncidentPhotos();
  })));
}
async function saveIncident() {
  const inc = S.incident;
  if (!inc.kind) {
    $("#incident-error").textContent = t("incident_pick_kind");
    $(".inc-kinds button").focus();
    return;
  }
  const body = { kind: inc.kind, note: inc.note.trim() };
  let place = null;
  if (inc.useLocation && S.lastScan) {
    body.tag_code = S.lastScan.tag_code;
    place = S.lastScan.place;
  }
  body.occurred_at = isoLocal(new Date());
  body.device_id = S.deviceId;
  body.photos = inc.photos.slice();
  const rec = { uuid: inc.uuid, kind: "incident", user_id: S.user.id, state: "saved", created_at: Date.now(), attempts: 0, json: JSON.stringify(body), body, place, incident_kind: inc.kind, photo_uuids: body.photos };
  S.incident = null;
  await queueWithPhotos(rec, t("incident_saved"));
}

/* Put a report (incident or fix) in the outbox together with its photos, which
   leave their draft state in the same transaction; then back home. */
async function queueWithPhotos(rec, message) {
  await DB.run(["outbox"], "readwrite", async (tx) => {
    const ob = tx.objectStore("outbox");
    ob.put(rec);
    for (const id of rec.photo_uuids) {
      const p = await DB.req(ob.get(id));
      if (p) { p.state = "saved"; ob.put(p); }
    }
  });
  toast(message, "ok");
  await refreshCounts();
  go("home", { replace: true });
  syncSoon();
}

/* ---------- rectification fixes (整改) ----------
   The pack's `rectifications` are findings this user must fix. A card per task
   (place, item, deadline); tapping it opens the fix form: a note and at least
   one after-photo, saved to the outbox like a visit and sent by PUT
   /api/v1/fixes/<uuid> (photos with ?fix=<uuid>). A team lead or inspector then
   re-inspects the place; the pack says how that went. */
function locationOf(id) {
  for (const site of (S.pack && S.pack.sites) || []) {
    const loc = (site.locations || []).find((x) => x.id === id);
    if (loc) return { site, loc };
  }
  return null;
}
async function localFixes() {
  if (!S.user) return [];
  const rows = await DB.byIndex("outbox", "by_user", S.user.id);
  return rows.filter((r) => r.kind === "fix" && r.state !== "draft");
}
async function fixCards(now) {
  const tasks = (S.pack && S.pack.rectifications) || [];
  if (!tasks.length) return [];
  const local = await localFixes();
  return tasks.map((task) => {
    const found = locationOf(task.location_id);
    const place = found ? pick(found.loc, "path") || pick(found.loc, "name") : "#" + task.location_id;
    const tz = found ? found.site.timezone : undefined; // deadlines read in the site's time, like the console
    // A fix saved on this phone that the pack does not know of yet (by UUID, not by clock).
    const known = new Set(task.fix_uuids || []);
    const mine = local.filter((r) => r.finding_id === task.finding_id && !known.has(r.uuid));
    const pendingHere = mine.some((r) => r.state !== "synced");
    const sent = mine.length > 0 || task.stage === "fix_submitted";
    const deadline = task.deadline ? Date.parse(task.deadline) : null;
    const overdue = deadline != null && deadline < now && !sent;
    const stage = pendingHere ? t("fix_stage_saved") : sent ? t("fix_stage_sent")
      : task.stage === "reinspection_failed" ? t("fix_stage_failed") : t("fix_stage_to_fix");
    return h("li", { class: "task task-fix" + (sent ? " task-done" : "") + (overdue ? " task-overdue" : ""),
      "data-finding": task.finding_id, "data-location": task.location_id, "data-stage": pendingHere ? "saved" : sent ? "sent" : task.stage },
    h("button", { type: "button", class: "task-btn", onclick: () => openFix(task, place) },
      h("span", { class: "round-name" }, (sent ? "✓ " : "") + pick(task, "label")),
      h("span", { class: "task-place" }, place),
      h("span", { class: "task-meta" + (overdue ? " task-late" : "") },
        deadline != null ? t(overdue ? "fix_overdue" : "fix_deadline", { time: fmtDateTime(deadline, tz) }) : null),
      h("span", { class: "task-stage" }, stage),
      task.stage === "reinspection_failed" && task.reinspection_note && !sent
        ? h("span", { class: "muted small" }, t("fix_reinspection_said", { note: task.reinspection_note })) : null,
      task.note ? h("span", { class: "muted small" }, t("fix_supervisor_said", { note: task.note })) : null));
  });
}
function openFix(task, place) {
  if (!S.fix || S.fix.finding_id !== task.finding_id) {
    // another task's unsent form: its photos go (nothing was saved for it)
    if (S.fix) for (const p of S.fix.photos) DB.del("outbox", p);
    S.fix = { uuid: crypto.randomUUID(), finding_id: task.finding_id, item_id: task.item_id, task,
      place: { zh: place, en: place }, note: "", photos: [] };
  }
  go("fix");
}
async function dropFix() {
  if (!S.fix) return;
  for (const p of S.fix.photos) await DB.del("outbox", p);
  S.fix = null;
}
async function cancelFix() {
  if (S.fix && (S.fix.note.trim() || S.fix.photos.length) && !confirm(t("fix_discard_confirm"))) return;
  await dropFix();
  go("home", { replace: true });
}
function viewFix() {
  const f = S.fix;
  const task = f.task;
  const main = view();
  main.append(h("div", { class: "visit-head" },
    h("p", { class: "eyebrow" }, t("fix_title")),
    h("h1", { id: "fix-item" }, pick(task, "label")),
    h("p", { class: "muted" }, placeName(f.place)),
    task.deadline ? h("p", { class: "small" }, t("fix_deadline", { time: fmtDateTime(Date.parse(task.deadline), (siteOf(task.site_id) || {}).timezone) })) : null));
  if (task.note) main.append(h("p", { class: "card" }, t("fix_supervisor_said", { note: task.note })));
  if (task.stage === "reinspection_failed" && task.reinspection_note) {
    main.append(h("p", { class: "card warn-text" }, t("fix_reinspection_said", { note: task.reinspection_note })));
  }
  main.append(h("p", { class: "form-error", role: "alert", id: "fix-error" }));
  main.append(h("div", { class: "item" },
    h("label", { for: "fix-note", class: "item-label" }, t("fix_note"), h("span", { class: "req" }, " · " + t("required"))),
    h("textarea", { id: "fix-note", rows: 3, maxlength: 1000, value: f.note, oninput: (e) => { f.note = e.target.value; fixErrors(false); } })));
  const input = h("input", { type: "file", accept: "image/*", capture: "environment", id: "fix-cam", class: "vh cam", onchange: (e) => addPhotos(null, e.target, "fix") });
  main.append(h("div", { class: "item" },
    h("h2", { class: "item-label" }, t("fix_photo"), h("span", { class: "req" }, " · " + t("required"))),
    h("div", { class: "thumbs", id: "fix-thumbs" }),
    input, h("label", { for: "fix-cam", class: "btn btn-secondary btn-photo" }, h("span", { "aria-hidden": "true", class: "btn-ico" }, svgIcon("camera", 22)), t("take_photo"))));
  rerenderFixPhotos();
}
/* What is still missing; shown once the user tried to send, and kept current as they fill it in. */
function fixErrors(show) {
  const f = S.fix;
  const el = $("#fix-error");
  if (!f || !el) return [];
  if (show) f.showErrors = true;
  const problems = [];
  if (!(f.note || "").trim()) problems.push(t("fix_err_note"));
  if (!f.photos.length) problems.push(t("fix_err_photo"));
  el.textContent = f.showErrors ? problems.join(" ") : "";
  return problems;
}
function rerenderFixPhotos() {
  fixErrors(false);
  const box = $("#fix-thumbs");
  if (!box || !S.fix) return;
  box.replaceChildren(...S.fix.photos.map((uuid, i) => thumb(uuid, i, async () => {
    S.fix.photos = S.fix.photos.filter((p) => p !== uuid);
    await DB.del("outbox", uuid);
    rerenderFixPhotos();
  })));
}
async function saveFix() {
  const f = S.fix;
  if (!f) return;
  const note = (f.note || "").trim();
  if (fixErrors(true).length) {
    const el = !note ? $("#fix-note") : $("#fix-cam");
    if (el) el.focus();
    return;
  }
  const body = { finding_id: f.finding_id, note, photos: f.photos.slice(), fixed_at: isoLocal(new Date()), device_id: S.deviceId };
  const rec = { uuid: f.uuid, kind: "fix", user_id: S.user.id, state: "saved", created_at: Date.now(), attempts: 0,
    json: JSON.stringify(body), body, place: f.place, finding_id: f.finding_id, photo_uuids: body.photos };
  S.fix = null;
  await queueWithPhotos(rec, t("fix_saved"));
}

/* ---------- outbox ---------- */
function viewOutbox() {
  const main = view();
  main.append(h("h1", {}, t("outbox_title")), h("div", { id: "outbox-summary" }),
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn btn-primary btn-grow", id: "sync-now", onclick: async (e) => {
        const b = e.currentTarget;
        b.disabled = true;
        b.textContent = t("syncing");
        if (S.auth === "expired") { go("login"); return; }
        await refreshPack();
        await syncNow(true);
        b.disabled = false;
        b.textContent = t("sync_now");
      } }, t("sync_now"))),
    h("ul", { class: "outbox-list", id: "outbox-list", "aria-live": "polite" }),
    h("div", { class: "card export-card" },
      h("p", { class: "muted small" }, t("export_hint")),
      h("button", { type: "button", class: "btn btn-secondary btn-block", id: "export-btn", onclick: exportWaiting }, t("export"))));
  fillOutbox();
}

async function fillOutbox() {
  const sum = $("#outbox-summary"), list = $("#outbox-list");
  if (!sum || !list || !S.user) return;
  const c = S.counts;
  if (!c.waiting && !c.attention) {
    sum.replaceChildren(h("div", { class: "all-synced", id: "all-synced" },
      h("div", { class: "big-check", "aria-hidden": "true" }, "✓"),
      h("p", { class: "all-synced-title" }, t("all_synced")),
      h("p", {}, t("all_synced_sub"))));
  } else {
    const why = S.auth === "expired" ? t("waiting_login") : !S.online ? t("waiting_offline") : t("waiting_online");
    sum.replaceChildren(h("div", { class: "waiting-box" + (c.attention ? " has-attention" : "") },
      c.waiting ? h("p", { class: "waiting-title", id: "n-waiting" }, t("n_waiting", { n: c.waiting })) : null,
      c.waiting ? h("p", {}, why) : null,
      c.attention ? h("p", { class: "attention-text" }, t("n_attention", { n: c.attention })) : null));
  }
  if (c.others) sum.append(h("p", { class: "muted small", id: "others-waiting" }, t("others_waiting", { n: c.others })));
  const rows = await DB.byIndex("outbox", "by_user", S.user.id);
  const today = new Date().toDateString();
  const shown = unitsOf(rows)
    .filter((u) => u.state !== "synced" || new Date(u.head.created_at).toDateString() === today)
    .sort((a, b) => b.head.created_at - a.head.created_at);
  if (!shown.length) { list.replaceChildren(h("li", { class: "muted empty-line" }, t("outbox_empty"))); return; }
  list.replaceChildren(...shown.map((u) => {
    const r = u.head;
    const title = r.kind === "visit" ? t("it_visit") : r.kind === "incident" ? t("it_incident") + " · " + t("inc_" + r.incident_kind)
      : r.kind === "fix" ? t("it_fix") : t("it_photo");
    const place = placeName(r.place);
    const photos = u.parts.filter((p) => p.kind === "photo" && p !== r);
    const done = photos.filter((p) => p.state === "synced").length;
    const extra = photos.length
      ? h("span", { class: "muted small" }, t("photos_of", { n: photos.length }) + (done < photos.length ? ` (${done}/${photos.length} ✓)` : " ✓"))
      : null;
    const err = u.error && u.state !== "synced" ? (u.error.code === "network" ? null : serverMessage(u.error)) : null;
    const stuck = u.parts.filter((p) => p.state === "attention");
    return h("li", { class: "ob-row is-" + u.state, "data-uuid": r.uuid, "data-state": u.state, "data-kind": r.kind },
      h("div", { class: "ob-main" },
        h("div", { class: "ob-title" }, title, place ? h("span", { class: "ob-place" }, " · " + place) : null),
        h("div", { class: "ob-sub" }, h("span", { class: "muted small" }, fmtDateTime(r.created_at)), " ", extra)),
      h("span", { class: "st st-" + u.state }, t("st_" + u.state)),
      err ? h("p", { class: u.state === "attention" ? "ob-err" : "ob-note" }, (u.error.code ? `[${u.error.code}] ` : "") + err) : null,
      stuck.length ? h("button", { type: "button", class: "btn btn-small", onclick: async () => {
        for (const p of stuck) await DB.update(p.uuid, (x) => { x.state = "saved"; x.next_at = 0; });
        await refreshCounts();
        syncNow(true);
      } }, t("retry")) : null);
  }));
}

function b64(blob) {
  return new Promise((res, rej) => {
    const fr = new FileReader();
    fr.onload = () => res(String(fr.result).split(",", 2)[1] || "");
    fr.onerror = () => rej(fr.error);
    fr.readAsDataURL(blob);
  });
}

async function exportWaiting() {
  const rows = (await DB.byIndex("outbox", "by_user", S.user.id)).filter((r) => ["saved", "sending", "attention"].includes(r.state));
  const items = [];
  for (const r of rows.sort((a, b) => a.created_at - b.created_at)) {
    const rq = Sync.requestFor(r);
    const u = new URL(rq.url, location.origin);
    const item = {
      uuid: r.uuid, kind: r.kind, state: r.state, created_at: new Date(r.created_at).toISOString(),
      attempts: r.attempts || 0, error: r.error || null,
      request: { method: rq.method, path: u.pathname, query: Object.fromEntries(u.searchParams), headers: rq.headers },
    };
    if (r.kind === "photo") {
      Object.assign(item, { parent: r.parent, parent_kind: r.parent_kind, item: r.item, captured_at: r.captured_at, sha256: r.sha256, content_type: r.type, size_bytes: r.size });
      item.request.body_base64 = r.blob ? await b64(r.blob) : null;
    } else {
      item.request.body = JSON.parse(r.json);
    }
    items.push(item);
  }
  const doc = {
    format: "rounds-outbox/1", exported_at: isoLocal(new Date()), app_version: await appVersion(), device_id: S.deviceId,
    origin: location.origin, user: { id: S.user.id, username: S.user.username }, count: items.length, items,
  };
  const blob = new Blob([JSON.stringify(doc, null, 1)], { type: "application/json" });
  const a = h("a", { href: URL.createObjectURL(blob), download: `rounds-outbox-${S.user.username}-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, "")}.json` });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 2000);
}

/* ---------- me ---------- */
async function appVersion() {
  try {
    const keys = await caches.keys();
    const k = keys.find((x) => x.startsWith("rounds-shell-"));
    return k ? k.slice("rounds-shell-".length) : "dev";
  } catch (_) { return "dev"; }
}
function viewMe() {
  const u = S.user;
  const main = view();
  const sites = ((S.pack && S.pack.sites) || []).map((s) => pick(s, "name")).join(", ");
  main.append(...[h("h1", {}, u.display_name || u.username),
    h("dl", { class: "card facts" },
      h("dt", {}, t("username")), h("dd", {}, u.username),
      h("dt", {}, t("role")), h("dd", {}, t("role_" + u.role)),
      h("dt", {}, t("sites")), h("dd", {}, sites || "—")),
    h("h2", {}, t("language")), langSwitch(),
    h("h2", {}, t("storage")), h("p", { id: "storage-info", class: "muted" }, "…"),
    S.installPrompt ? h("button", { type: "button", class: "btn btn-secondary btn-block", onclick: installApp }, t("install_btn")) : null,
    h("button", { type: "button", class: "btn btn-secondary btn-block", onclick: () => refreshPack().then((ok) => ok && toast(t("pack_updated"))), disabled: !S.online }, t("refresh_pack")),
    h("button", { type: "button", class: "btn btn-danger btn-block", id: "logout-btn", onclick: logout }, t("switch_user")),
    h("p", { class: "muted small", id: "version" }, ""),
  ].filter(Boolean));
  appVersion().then((v) => { const el = $("#version"); if (el) el.textContent = t("app_version", { v }) + " · " + t("device", { id: (S.deviceId || "").slice(0, 10) }); });
  storageInfo().then((txt) => { const el = $("#storage-info"); if (el) el.textContent = txt; });
}
async function storageInfo() {
  if (!navigator.storage || !navigator.storage.estimate) return "—";
  const e = await navigator.storage.estimate();
  const p = navigator.storage.persisted ? await navigator.storage.persisted() : false;
  return t("storage_usage", { used: fmtBytes(e.usage), quota: fmtBytes(e.quota) }) + " · " + (p ? t("storage_persisted") : t("storage_not_persisted"));
}
async function checkStorage() {
  if (!navigator.storage || !navigator.storage.estimate) return;
  try {
    const e = await navigator.storage.estimate();
    const free = e.quota - e.usage;
    S.storageLow = free < 150 * 1024 * 1024 || e.usage / e.quota > 0.9 ? free : null;
    renderBanners();
  } catch (_) {}
}
async function installApp() {
  if (!S.installPrompt) return;
  S.installPrompt.prompt();
  try { await S.installPrompt.userChoice; } catch (_) {}
  S.installPrompt = null;
  rerender();
}
window.addEventListener("beforeinstallprompt", (e) => { e.preventDefault(); S.installPrompt = e; if (S.view === "home") rerender(); });

/* ---------- connectivity, focus, timer ---------- */
window.addEventListener("online", () => { S.online = true; renderChip(); refreshPack(); syncNow(true); if (S.view === "outbox") fillOutbox(); });
window.addEventListener("offline", () => { S.online = false; renderChip(); if (S.view === "outbox") fillOutbox(); });
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState !== "visible" || !S.user) return;
  refreshCounts();
  if (navigator.onLine) { syncNow(true); if (Date.now() - S.packAt > 5 * 60e3) refreshPack(); }
});
setInterval(() => { if (S.user && navigator.onLine && S.counts.waiting && S.auth !== "expired") syncNow(false); }, 30e3);

function isIOS() {
  return /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
}
function isStandalone() {
  return navigator.standalone === true || (window.matchMedia && matchMedia("(display-mode: standalone)").matches);
}

/* ---------- start ---------- */
async function start() {
  performance.mark("rounds-start");
  registerSW();
  $("#chip").addEventListener("click", () => S.user && go("outbox"));
  $("#btn-report").addEventListener("click", openIncident);
  // Everything the first screen needs, in two IndexedDB transactions.
  const metaRows = await DB.run(["meta"], "readonly", (tx) => DB.req(tx.objectStore("meta").getAll()));
  const meta = Object.fromEntries(metaRows.map((r) => [r.k, r.v]));
  try { S.evicted = !meta.device_id && localStorage.getItem("rounds.seen") === "1"; } catch (_) {}
  S.deviceId = meta.device_id || (await DB.deviceId());
  const user = meta.user || null;
  setLang(meta.lang || (user && user.language) || navigator.language);
  S.auth = meta.auth || "ok";
  if (user) {
    S.user = user;
    const [p, d] = await DB.run(["packs", "drafts"], "readonly", (tx) => Promise.all([
      DB.req(tx.objectStore("packs").get(user.id)), DB.req(tx.objectStore("drafts").get(user.id)),
    ]));
    S.pack = p ? p.pack : null;
    S.packAt = p ? p.fetched_at : 0;
    S.lastScan = meta["last_scan:" + user.id] || null;
    if (d) { S.visit = d; S.draftInfo = { place: d.place }; }
  }
  S.iosHint = isIOS() && !isStandalone() && !meta.ios_hint_done;
  const path = location.pathname;
  const m = path.match(/^\/t\/([^/?#]+)/);
  const params = new URLSearchParams(location.search);
  if (!S.user) {
    if (m) S.pendingCode = decodeURIComponent(m[1]);
    go("login", { replace: true });
  } else if (path === "/login") {
    go("login", { replace: true });
  } else if (m) {
    await openCode(decodeURIComponent(m[1]), "link");
  } else {
    renderNoFocus = true; // nothing to move focus from at start-up
    try { go("home", { replace: true }); } finally { renderNoFocus = false; }
    if (params.get("do") === "incident") openIncident();
    if (params.get("do") === "scan") startScan();
  }
  document.body.dataset.ready = S.user ? "scan" : "login";
  performance.mark("rounds-ready");
  await refreshCounts();
  if (S.user) {
    dropOrphanPhotos();
    pruneSynced();
    if (navigator.onLine) { refreshPack(); syncNow(true); }
    checkStorage();
  }
}

async function pruneSynced() {
  const cutoff = Date.now() - 3 * 86400e3;
  const rows = await DB.all("outbox");
  for (const r of rows) if (r.state === "synced" && (r.synced_at || 0) < cutoff) await DB.del("outbox", r.uuid);
}

start().catch((e) => {
  console.error(e);
  const v = view();
  if (v) v.replaceChildren(h("p", { class: "form-error" }, t("error_generic", { msg: e.message || e })));
});
