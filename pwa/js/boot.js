/* Rounds field app, first script (classic, not a module, so it runs before
   the modules are fetched; a file of its own because the CSP allows no inline script).
   Warm IndexedDB while the modules load: open the current schema early and hand
   the handle to store.js. If an upgrade is due, back off and let store.js do it. */
try {
  window.__roundsDB = new Promise(function (resolve) {
    var r = indexedDB.open("rounds", 2);
    r.onupgradeneeded = function () { r.transaction.abort(); };
    r.onsuccess = function () { resolve(r.result); };
    r.onerror = function (e) { e.preventDefault(); resolve(null); };
    r.onblocked = function () { resolve(null); };
  });
} catch (e) { window.__roundsDB = Promise.resolve(null); }
