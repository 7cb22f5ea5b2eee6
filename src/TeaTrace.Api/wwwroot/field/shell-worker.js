// Shared by the field pages' service workers: the page itself comes from the cache, so it opens with no network at
// all. API calls are never cached: records wait in the page's own outbox (IndexedDB) until they can be sent.
"use strict";

// cache: this page's cache name (a new one when the shell changes); root: the page's path, e.g. "/app/"; shell: its files.
function shellWorker(cache, root, shell) {
  const family = cache.replace(/v\d+$/, "");

  self.addEventListener("install", (event) => {
    event.waitUntil(caches.open(cache).then((c) => c.addAll(shell)).then(() => self.skipWaiting()));
  });

  self.addEventListener("activate", (event) => {
    event.waitUntil(caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(family) && k !== cache).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()));
  });

  self.addEventListener("fetch", (event) => {
    const url = new URL(event.request.url);
    if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
    const key = event.request.mode === "navigate" && url.pathname.startsWith(root.slice(0, -1)) ? root : event.request;
    // Cache first, refreshed in the background when the network is there.
    event.respondWith(caches.open(cache).then(async (c) => {
      const cached = await c.match(key, { ignoreSearch: true });
      const fresh = fetch(event.request).then((response) => {
        if (response.ok && shell.includes(url.pathname)) c.put(key, response.clone());
        return response;
      }).catch(() => cached || Response.error());
      return cached || fresh;
    }));
  });
}
