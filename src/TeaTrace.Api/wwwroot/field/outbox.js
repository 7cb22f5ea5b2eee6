// Shared by the field pages that record offline (/app, /coop). Records are saved on the phone first (IndexedDB), each
// with its own Idempotency-Key, and sent oldest first when the network is there, retried with back-off. A record the
// server refuses stays on the phone with the server's reason; nothing is lost and nothing is sent twice.
"use strict";

// name: the page's IndexedDB database. path(record) → where to POST it; prepare(record) (optional) completes a record just
// before it is sent, or answers why it cannot be; sent(record) and refused(record) say what became of one; unauthorized()
// when the key is no longer accepted; render() redraws the page.
function Outbox(name, { path, prepare, sent, refused, unauthorized, render }) {
  let opened;
  let syncing = false;
  let retryTimer = null;

  function open() {
    opened ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("kv");
        request.result.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return opened;
  }

  async function run(store, mode, action) {
    const database = await open();
    return new Promise((resolve, reject) => {
      const tx = database.transaction(store, mode);
      const request = action(tx.objectStore(store));
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = () => reject(tx.error);
    });
  }

  const db = {
    get: (key) => run("kv", "readonly", (s) => s.get(key)),
    set: (key, value) => run("kv", "readwrite", (s) => s.put(value, key)),
    remove: (key) => run("kv", "readwrite", (s) => s.delete(key)),
    add: (item) => run("outbox", "readwrite", (s) => s.add(item)),
    put: (item) => run("outbox", "readwrite", (s) => s.put(item)),
    delete: (id) => run("outbox", "readwrite", (s) => s.delete(id)),
    all: () => run("outbox", "readonly", (s) => s.getAll()),
  };

  // Keeps a record to send; its Idempotency-Key is made now, once, so that a retry is never recorded twice.
  async function enqueue(record) {
    const id = await db.add({ ...record, idempotencyKey: Field.uuid(), status: "pending", createdAt: new Date().toISOString(), attempts: 0, nextAttemptAt: 0 });
    await render();
    sync();
    return id;
  }

  // A network failure (or the server busy) stops the round and schedules a retry with back-off, so records reach the
  // server in the order they were made.
  async function sync() {
    if (syncing) return;
    syncing = true;
    try {
      const key = await db.get("key");
      if (!key || !navigator.onLine) return; // the "online" event starts the next round
      const waiting = (await db.all()).filter((r) => r.status === "pending").sort((a, b) => a.id - b.id);
      for (const record of waiting) {
        if (record.nextAttemptAt > Date.now()) { schedule(record.nextAttemptAt - Date.now()); break; }
        const unsendable = prepare ? await prepare(record) : null;
        if (unsendable) {
          record.status = "refused";
          record.reason = unsendable;
          await db.put(record);
          refused(record);
          continue;
        }
        const result = await Field.api(path(record), { key, method: "POST", body: record.payload, idempotencyKey: record.idempotencyKey });
        if (result.ok) {
          record.status = "done";
          record.result = result.body;
          record.sentAt = new Date().toISOString();
          await db.put(record);
          sent(record);
          continue;
        }
        if (result.network || result.status >= 500 || result.status === 429 || result.status === 408) {
          record.attempts += 1;
          const wait = Math.min(60000, 1000 * 2 ** (record.attempts - 1)) * (0.75 + Math.random() / 2);
          record.nextAttemptAt = Date.now() + wait;
          await db.put(record);
          schedule(wait);
          break;
        }
        if (result.status === 401) { unauthorized(); break; }
        record.status = "refused";
        record.reason = result.message;
        await db.put(record);
        refused(record);
      }
    } finally {
      syncing = false;
      await render();
    }
  }

  function schedule(ms) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(sync, Math.max(250, ms));
  }

  // The network is back: every waiting record may go now.
  window.addEventListener("online", async () => {
    for (const record of await db.all()) {
      if (record.status === "pending") { record.nextAttemptAt = 0; await db.put(record); }
    }
    sync();
  });
  window.addEventListener("offline", render);
  setInterval(sync, 10000);

  // A record as the lists show it: what it is, its state, a line below, and for a refused one the server's reason
  // with a button to discard it.
  function item(record, title, state, meta) {
    const li = document.createElement("li");
    li.dataset.id = record.id;
    li.dataset.status = record.status;
    const heading = document.createElement("div");
    heading.className = "record-title";
    heading.textContent = title;
    const badge = document.createElement("span");
    badge.className = `state ${record.status}`;
    badge.textContent = state;
    heading.appendChild(badge);
    li.appendChild(heading);
    const below = document.createElement("div");
    below.className = "record-meta";
    below.textContent = meta + (record.status === "pending" && record.attempts ? ` · ${Field.t("retrying", record.attempts)}` : "");
    li.appendChild(below);
    if (record.status === "refused") {
      const reason = document.createElement("div");
      reason.className = "reason";
      reason.textContent = record.reason;
      li.appendChild(reason);
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "small secondary";
      discard.textContent = Field.t("discard");
      discard.addEventListener("click", async () => { await db.delete(record.id); await render(); });
      li.appendChild(discard);
    }
    return li;
  }

  // The waiting and refused lists, their counts and the network badge; body[data-pending] tells tests (and styles) how many wait.
  function show(records, draw) {
    const pending = records.filter((r) => r.status === "pending");
    const refused = records.filter((r) => r.status === "refused");
    document.getElementById("pending").replaceChildren(...pending.map(draw));
    document.getElementById("refused").replaceChildren(...refused.map(draw));
    document.getElementById("pending-count").textContent = pending.length;
    document.getElementById("pending-empty").classList.toggle("hidden", pending.length > 0);
    document.getElementById("refused-section").classList.toggle("hidden", refused.length === 0);
    const net = document.getElementById("net");
    net.textContent = Field.t(navigator.onLine ? "online" : "offline");
    net.classList.toggle("offline", !navigator.onLine);
    document.body.dataset.pending = pending.length;
  }

  return { db, enqueue, sync, item, show };
}
