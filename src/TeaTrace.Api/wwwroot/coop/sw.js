// The collection point's service worker (field/shell-worker.js): the page opens from the cache with no network at all.
"use strict";

importScripts("/field/shell-worker.js");

shellWorker("teatrace-coop-v1", "/coop/", [
  "/coop/", "/coop/coop.js", "/coop/coop.css", "/coop/coop.webmanifest",
  "/field/field.css", "/field/field.js", "/field/outbox.js", "/assets/icon.svg",
]);
