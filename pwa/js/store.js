/* Rounds — IndexedDB access shared by the page (imported as a module for its side
   effect) and the service worker (importScripts). No import/export on purpose:
   it defines globalThis.RoundsDB.

   Stores (see docs/field-app.md):
     meta    {k, v}                 device_id, user (current login), auth state, language …
     packs   {user_id, etag, pack, fetched_at}
     outbox  {uuid, kind, user_id, state, …}   visits, photos, incidents until the server confirms
     drafts  {user_id, …}           the checklist being filled, so a reload loses nothing

   Schema changes: bump DB_VERSION and add a step to MIGRATIONS. Steps run in order
   inside the upgrade transaction; existing outbox records are never dropped. */
(function (g) {
  "use strict";
  const DB_NAME = "rounds";
  const DB_VERSION = 2;

  const MIGRATIONS = [
    // 0 → 1: the first schema
    (db) => {
      db.createObjectStore("meta", { keyPath: "k" });
      db.createObjectStore("packs", { keyPath: "user_id" });
      const ob = db.createObjectStore("outbox", { keyPath: "uuid" });
      ob.createIndex("by_user", "user_id");
      ob.createIndex("by_state", "state");
    },
    // 1 → 2: drafts survive reloads; outbox gets a parent index (photos of a visit)
    (db, tx) => {
      db.createObjectStore("drafts", { keyPath: "user_id" });
      tx.objectStore("outbox").createIndex("by_parent", "parent");
    },
  ];

  let opening = null;

  function req(r) {
    return new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  }

  function open() {
    if (opening) return opening;
    const early = g.__roundsDB;
    g.__roundsDB = null;
    if (early) {
      // index.html opened it while the modules loaded (null: an upgrade is due)
      opening = early.then((db) => {
        if (db && db.version === DB_VERSION) {
          db.onversionchange = () => { db.close(); opening = null; };
          return db;
        }
        if (db) db.close();
        opening = null;
        return open();
      });
      return opening;
    }
    opening = new Promise((resolve, reject) => {
      const r = indexedDB.open(DB_NAME, DB_VERSION);
      r.onupgradeneeded = (ev) => {
        const db = r.result;
        const tx = r.transaction;
        for (let v = ev.oldVersion; v < DB_VERSION; v++) MIGRATIONS[v](db, tx);
      };
      r.onsuccess = () => {
        const db = r.result;
        // Another tab or the new service worker wants a newer schema: let it.
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      r.onerror = () => { opening = null; reject(r.error); };
      r.onblocked = () => { /* an old tab holds the db; it closes on versionchange */ };
    });
    return opening;
  }

  async function run(stores, mode, fn) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(stores, mode);
      let out;
      Promise.resolve(fn(tx)).then((v) => { out = v; }, (e) => { try { tx.abort(); } catch (_) {} reject(e); });
      tx.oncomplete = () => resolve(out);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
    });
  }

  const get = (store, key) => run([store], "readonly", (tx) => req(tx.objectStore(store).get(key)));
  const put = (store, value) => run([store], "readwrite", (tx) => req(tx.objectStore(store).put(value)));
  const del = (store, key) => run([store], "readwrite", (tx) => req(tx.objectStore(store).delete(key)));
  const all = (store) => run([store], "readonly", (tx) => req(tx.objectStore(store).getAll()));
  const byIndex = (store, index, value) =>
    run([store], "readonly", (tx) => req(tx.objectStore(store).index(index).getAll(value)));

  async function getMeta(k, dflt) {
    const row = await get("meta", k);
    return row === undefined ? dflt : row.v;
  }
  const setMeta = (k, v) => put("meta", { k, v });

  /* Change one outbox record atomically (read-modify-write in one transaction). */
  function update(uuid, fn) {
    return run(["outbox"], "readwrite", async (tx) => {
      const st = tx.objectStore("outbox");
      const cur = await req(st.get(uuid));
      if (!cur) return null;
      const next = fn(cur) || cur;
      await req(st.put(next));
      return next;
    });
  }

  /* Several records in one transaction: either all are stored or none. */
  function putMany(store, values) {
    return run([store], "readwrite", async (tx) => {
      const st = tx.objectStore(store);
      for (const v of values) await req(st.put(v));
    });
  }

  async function deviceId() {
    let id = await getMeta("device_id");
    if (!id) {
      id = "d-" + crypto.randomUUID();
      await setMeta("device_id", id);
    }
    return id;
  }

  g.RoundsDB = { DB_VERSION, open, get, put, del, all, byIndex, getMeta, setMeta, update, putMany, deviceId, run, req };
})(globalThis);
