// The farmer page's service worker (field/shell-worker.js): the page opens from the cache with no network at all.
"use strict";

importScripts("/field/shell-worker.js");

shellWorker("teatrace-app-v3", "/app/", [
  "/app/", "/app/app.js", "/app/app.webmanifest", "/app/icon-192.png", "/app/icon-512.png",
  "/field/field.css", "/field/field.js", "/field/outbox.js", "/assets/icon.svg", "/vendor/qrcode-generator-2.0.4/qrcode.js",
]);
