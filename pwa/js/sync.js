/* Rounds — the outbox sender, shared by the page and the service worker (like
   store.js it defines a global: globalThis.RoundsSync; needs RoundsDB).

   Outbox record states:
     draft      photo taken for a checklist that is not saved yet (never sent)
     saved      on the phone, waiting to be sent
     sending    a request is in flight (or was, when the app died: reconciled)
     synced     the server confirmed it by UUID (body and blob are dropped)
     attention  the server refused it (4xx); kept with the reason, never dropped

   Only the logged-in user's records are sent; everybody else's wait. Page and
   service worker never send at once: everything runs under the Web Lock "outbox". */
(function (g) {
  "use strict";
  const DB = g.RoundsDB;
  const API = "/api/v1";
  const CLIENT = { "X-Rounds-Client": "pwa" };
  const RETRYABLE = new Set([408, 409, 425, 429]);
  const chan = typeof BroadcastChannel !== "undefined" ? new BroadcastChannel("rounds-outbox") : null;

  function notify(what) {
    if (chan) chan.postMessage(Object.assign({ type: "outbox" }, what || {}));
    if (g.RoundsSync && g.RoundsSync.onchange) g.RoundsSync.onchange(what || {});
  }

  function backoff(attempts) {
    const base = Math.min(15 * 60e3, 10e3 * 2 ** Math.min(attempts, 10));
    return Math.round(base * (0.5 + Math.random())); // full jitter around the base
  }

  function withLock(fn) {
    if (g.navigator && navigator.locks && navigator.locks.request) {
      // ifAvailable: if the other side is already sending, don't queue up behind it.
      return navigator.locks.request("outbox", { ifAvailable: true }, (lock) => (lock ? fn() : { status: "busy" }));
    }
    if (g.__roundsSending) return Promise.resolve({ status: "busy" });
    g.__roundsSending = true;
    return Promise.resolve().then(fn).finally(() => { g.__roundsSending = false; });
  }

  async function errorOf(res) {
    let body = {};
    try { body = await res.json(); } catch (_) { /* not JSON */ }
    return {
      status: res.status,
      code: body.code || "http_" + res.status,
      message: body.message || res.statusText || "",
      messages: body.messages || null,
      detail: body.detail || null,
    };
  }

  function timed(url, opts, ms) {
    const ctl = new AbortController();
    const t = setTimeout(() => ctl.abort(), ms);
    return fetch(url, Object.assign({ credentials: "same-origin", cache: "no-store", signal: ctl.signal }, opts))
      .finally(() => clearTimeout(t));
  }

  /* The request that sends one record; the same bytes every time (the server
     fingerprints the body, so a resend must be identical). */
  function requestFor(item) {
    if (item.kind === "photo") {
      const q = new URLSearchParams();
      // a photo belongs to a visit, an incident report or a finding's fix
      q.set({ incident: "incident", fix: "fix" }[item.parent_kind] || "visit", item.parent);
      if (item.item) q.set("item", item.item);
      q.set("captured_at", item.captured_at);
      return {
        url: `${API}/photos/${item.uuid}?${q}`,
        method: "PUT",
        headers: Object.assign({ "Content-Type": item.type || "image/jpeg", "X-Content-SHA256": item.sha256 }, CLIENT),
        body: item.blob,
        size: item.size || 0,
      };
    }
    const path = { incident: "incidents", fix: "fixes" }[item.kind] || "visits";
    const body = item.json || JSON.stringify(item.body);
    return {
      url: `${API}/${path}/${item.uuid}`,
      method: "PUT",
      headers: Object.assign({ "Content-Type": "application/json" }, CLIENT),
      body,
      size: body.length,
    };
  }

  async function waitingFor(userId) {
    const rows = await DB.byIndex("outbox", "by_user", userId);
    return rows.filter((r) => r.state === "saved" || r.state === "sending");
  }

  /* Ask the server which records it already holds (a reply lost on the way back,
     an app killed mid-upload) and mark those synced without resending. The same
     call is the device heartbeat: what this phone still has to send, so the
     supervisor's board can tell "done offline, not synced yet" from "missed". */
  async function reconcile(rows) {
    const doubtful = rows.filter((r) => r.state === "sending" || r.attempts > 0).slice(0, 900);
    const ids = (kind) => doubtful.filter((r) => r.kind === kind).map((r) => r.uuid);
    const visitsWaiting = rows.filter((r) => r.kind === "visit");
    const oldest = visitsWaiting.map((r) => r.body && r.body.scanned_at).filter(Boolean).sort()[0] || null;
    const body = {
      visits: ids("visit"), photos: ids("photo"), incidents: ids("incident"), fixes: ids("fix"),
      device_id: await DB.deviceId(),
      device_time: new Date().toISOString(),
      pending: { visits: visitsWaiting.length, photos: rows.filter((r) => r.kind === "photo").length, oldest_scanned_at: oldest },
    };
    const res = await timed(`${API}/sync/status`, {
      method: "POST",
      headers: Object.assign({ "Content-Type": "application/json" }, CLIENT),
      body: JSON.stringify(body),
    }, 20e3);
    if (res.status === 401) throw Object.assign(new Error("auth"), { auth: true });
    if (!res.ok) return 0;
    const held = await res.json();
    let n = 0;
    for (const r of doubtful) {
      const map = held[{ photo: "photos", incident: "incidents", fix: "fixes" }[r.kind] || "visits"];
      if (map && map[r.uuid] === true) {
        await markSynced(r.uuid);
        n++;
      }
    }
    return n;
  }

  function markSynced(uuid) {
    return DB.update(uuid, (r) => {
      r.state = "synced";
      r.synced_at = Date.now();
      r.error = null;
      r.blob = null; // the server has the bytes; free the phone's storage
      return r;
    });
  }

  /* What the server's answer means for one record: synced, refused (kept for
     the user to see), or to be retried later. Returns "ok", "auth" or "stop"
     (the server is struggling: don't hammer it). */
  async function settle(item, status, err, result) {
    if (status === 200 || status === 201) {
      await markSynced(item.uuid);
      result.sent++;
      notify({ uuid: item.uuid, state: "synced" });
      return "ok";
    }
    if (status === 401) {
      await DB.update(item.uuid, (r) => { r.state = "saved"; });
      return "auth";
    }
    if (status >= 500 || RETRYABLE.has(status)) {
      await DB.update(item.uuid, (r) => {
        r.state = "saved";
        r.attempts = (r.attempts || 0) + 1;
        r.next_at = Date.now() + backoff(r.attempts);
        r.error = err;
      });
      notify({ uuid: item.uuid, state: "saved" });
      result.status = "retry";
      return "stop";
    }
    // A refusal: keep it, show the reason, never drop it.
    await DB.update(item.uuid, (r) => {
      r.state = "attention";
      r.attempts = (r.attempts || 0) + 1;
      r.error = err;
    });
    result.failed++;
    notify({ uuid: item.uuid, state: "attention" });
    return "ok";
  }

  // Network gone, or a stalled upload we aborted: they stay saved, we try later.
  async function unsent(items, e) {
    for (const item of items) {
      await DB.update(item.uuid, (r) => {
        r.state = "saved";
        r.attempts = (r.attempts || 0) + 1;
        r.next_at = Date.now() + backoff(r.attempts);
        r.error = { status: 0, code: "network", message: String((e && e.message) || e) };
      });
      notify({ uuid: item.uuid, state: "saved" });
    }
  }

  async function markSending(items) {
    for (const item of items) {
      await DB.update(item.uuid, (r) => { r.state = "sending"; r.sent_at = Date.now(); });
      notify({ uuid: item.uuid, state: "sending" });
    }
  }

  async function sendOne(item, result) {
    await markSending([item]);
    const rq = requestFor(item);
    let res;
    try {
      res = await timed(rq.url, { method: rq.method, headers: rq.headers, body: rq.body }, 30e3 + rq.size / 10);
    } catch (e) {
      await unsent([item], e);
      return "offline";
    }
    const ok = res.status === 200 || res.status === 201;
    return settle(item, res.status, ok ? null : await errorOf(res), result);
  }

  /* Several visits in one POST /visits/batch: one round trip instead of one per
     visit when a phone comes back after a shift in a basement. Each visit keeps
     its own idempotent outcome. The body embeds each visit's own JSON bytes, so
     the server's fingerprint is the one a single PUT would give. */
  function batchRequest(items) {
    const body = '{"visits":[' + items.map((r) =>
      '{"client_uuid":"' + r.uuid + '","body":' + (r.json || JSON.stringify(r.body)) + "}").join(",") + "]}";
    return { url: `${API}/visits/batch`, method: "POST", headers: Object.assign({ "Content-Type": "application/json" }, CLIENT), body };
  }

  async function sendBatch(items, result) {
    await markSending(items);
    const rq = batchRequest(items);
    let res;
    try {
      res = await timed(rq.url, { method: rq.method, headers: rq.headers, body: rq.body }, 30e3 + rq.body.length / 10);
    } catch (e) {
      await unsent(items, e);
      return "offline";
    }
    if (res.status === 401) {
      for (const item of items) await settle(item, 401, null, result);
      return "auth";
    }
    if (res.status >= 500 || RETRYABLE.has(res.status)) {
      const err = await errorOf(res);
      for (const item of items) await settle(item, res.status, err, result);
      return "stop";
    }
    let outcomes = null;
    if (res.status === 200) {
      try { outcomes = (await res.json()).results; } catch (_) { outcomes = null; }
    }
    // Anything else (an older server, a body refused as a whole): send them one by one,
    // so each gets its own answer.
    if (!Array.isArray(outcomes) || outcomes.length !== items.length) return "unbatched";
    let verdict = "ok";
    for (let i = 0; i < items.length; i++) {
      const o = outcomes[i] || {};
      const e = o.error || {};
      const err = o.error ? { status: o.status, code: e.code || "http_" + o.status, message: e.message || "",
                               messages: e.messages || null, detail: e.detail || null } : null;
      const v = await settle(items[i], o.status || 0, err, result);
      if (v !== "ok" && verdict === "ok") verdict = v;
    }
    return verdict;
  }

  const BATCH = 25; // visits per POST /visits/batch (the server takes up to 100)

  /* Send everything the current user has waiting. Returns
     {status: "done"|"offline"|"auth"|"busy"|"nouser"|"retry", sent, failed}. */
  function flush(opts) {
    opts = opts || {};
    return withLock(async () => {
      const user = await DB.getMeta("user");
      if (!user) return { status: "nouser", sent: 0 };
      if ((await DB.getMeta("auth")) === "expired") return { status: "auth", sent: 0 };
      let rows = await waitingFor(user.id);
      const result = { status: "done", sent: 0, failed: 0 };
      try {
        await reconcile(rows);
      } catch (e) {
        if (e.auth) return expired();
        return { status: "offline", sent: 0 };
      }
      rows = await waitingFor(user.id);
      const now = Date.now();
      const due = (r) => opts.force || !(r.next_at && r.next_at > now);
      const order = { photo: 0, incident: 1, visit: 1, fix: 1 };
      rows.sort((a, b) => order[a.kind] - order[b.kind] || a.created_at - b.created_at);
      let batching = true;
      for (let i = 0; i < rows.length; i++) {
        const item = rows[i];
        if (!due(item)) { result.status = "retry"; continue; }
        if (item.kind === "photo" && !item.blob) { await markSynced(item.uuid); continue; }
        const group = [item];
        while (batching && item.kind === "visit" && group.length < BATCH && i + 1 < rows.length
               && rows[i + 1].kind === "visit" && due(rows[i + 1])) group.push(rows[++i]);
        const outcome = group.length > 1 ? await sendBatch(group, result) : await sendOne(item, result);
        if (outcome === "unbatched") { batching = false; i -= group.length; continue; }
        if (outcome === "auth") return expired();
        if (outcome === "offline") return Object.assign(result, { status: "offline" });
        if (outcome === "stop") break;
      }
      return result;
    });
  }

  async function expired() {
    await DB.setMeta("auth", "expired");
    notify({ auth: "expired" });
    return { status: "auth", sent: 0 };
  }

  g.RoundsSync = { flush, requestFor, backoff, notify, markSynced, CLIENT, API, onchange: null };
})(globalThis);
