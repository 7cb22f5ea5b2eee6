// The farmer page's service worker: the page itself comes from the cache, so it opens with no network at all.
// API calls are never cached: records wait in the page's own outbox (IndexedDB) until they can be sent.
"use strict";

const CACHE = "teatrace-app-v2";
const SHELL = [
  "/app/", "/app/app.js", "/app/app.webmanifest", "/app/icon-192.png", "/app/icon-512.png",
  "/field/field.css", "/field/field.js", "/assets/icon.svg", "/vendor/qrcode-generator-2.0.4/qrcode.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("teatrace-app-") && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  const key = event.request.mode === "navigate" && url.pathname.startsWith("/app") ? "/app/" : event.request;
  // Cache first, refreshed in the background when the network is there.
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const cached = await cache.match(key, { ignoreSearch: true });
    const fresh = fetch(event.request).then((response) => {
      if (response.ok && SHELL.includes(url.pathname)) cache.put(key, response.clone());
      return response;
    }).catch(() => cached || Response.error());
    return cached || fresh;
  }));
});
