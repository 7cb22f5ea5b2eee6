// The consumer page's own check of the ledger proof, run on the phone with WebCrypto: the lot's ledger entry is hashed
// as an RFC 9162 leaf, the audit path is folded up to a root, and that root must be the one in the signed checkpoint.
// The checkpoint's Ed25519 signature is checked too where the browser supports it, and the unit's serial against the
// lot entry's serialsRoot. Nothing here talks to another host.
"use strict";

const enc = new TextEncoder();
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const unhex = (text) => Uint8Array.from(text.match(/../g) || [], (h) => parseInt(h, 16));
const unbase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
const leafHash = (bytes) => sha256(concat(Uint8Array.of(0), bytes));
const nodeHash = (left, right) => sha256(concat(Uint8Array.of(1), left, right));

// RFC 9162 §2.1.3.2: verify an inclusion proof.
async function rootFromPath(index, size, leaf, path) {
  let fn = index, sn = size - 1, r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if ((fn & 1) === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while ((fn & 1) === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

// RFC 8032 §7.1, test 1: a valid Ed25519 public key, used only to learn whether this browser's WebCrypto has Ed25519.
const PROBE_KEY = unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

async function hasEd25519() {
  try {
    await crypto.subtle.importKey("raw", PROBE_KEY, { name: "Ed25519" }, false, ["verify"]);
    return true;
  } catch (e) {
    return false;
  }
}

// True only for a good signature by the log's key; any malformed key, note or signature throws or returns false.
async function checkSignature(note, verifierKey) {
  const parts = verifierKey.match(/^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/);
  if (!parts) return false;
  const raw = unbase64(parts[3]);
  if (raw.length !== 33 || raw[0] !== 1) return false;
  const cryptoKey = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]);
  const split = note.lastIndexOf("\n\n");
  if (split < 0) return false;
  const text = enc.encode(note.slice(0, split + 1));
  for (const line of note.slice(split + 2).split("\n")) {
    const m = line.match(/^— (\S+) (\S+)$/);
    if (!m || m[1] !== parts[1]) continue;
    const signature = unbase64(m[2]);
    if (signature.length !== 68 || hex(signature.slice(0, 4)) !== parts[2]) return false;
    return crypto.subtle.verify({ name: "Ed25519" }, cryptoKey, signature.slice(4), text);
  }
  return false;
}

// "verified", "unchecked" (the proof holds, but this browser cannot check Ed25519 signatures) or "failed".
async function verify(data) {
  const body = unbase64(data.entryBody);
  const leaf = await leafHash(body);
  if (hex(leaf) !== data.leafHash) return "failed";
  const lines = data.checkpoint.split("\n");
  if (Number(lines[1]) !== data.treeSize) return "failed";
  const root = await rootFromPath(data.entryIndex, data.treeSize, leaf, data.auditPath.map(unhex));
  if (!root || hex(root) !== hex(unbase64(lines[2]))) return "failed";
  const entry = JSON.parse(new TextDecoder().decode(body));
  if (entry.type !== "lot.packed" || entry.data.gtin !== data.gtin || entry.data.code !== data.lotCode) return "failed";
  if (data.serial && data.serialProof) {
    const sp = data.serialProof;
    const serialRoot = await rootFromPath(sp.index, sp.count, await leafHash(enc.encode(data.serial)), sp.auditPath.map(unhex));
    if (!serialRoot || hex(serialRoot) !== entry.data.serialsRoot) return "failed";
  }
  if (!(await hasEd25519())) return "unchecked";
  return (await checkSignature(data.checkpoint, data.verifierKey)) ? "verified" : "failed";
}

async function run() {
  const section = document.getElementById("verify");
  const status = document.getElementById("verify-status");
  const source = document.getElementById("proof-data");
  if (!section || !status || !source) return;
  if (!window.crypto || !crypto.subtle) {
    status.textContent = section.dataset.unsupported;
    status.className = "fail";
    return;
  }
  let result = "failed";
  try { result = await verify(JSON.parse(source.textContent)); } catch (e) { result = "failed"; }
  status.textContent = result === "verified" ? section.dataset.ok : result === "unchecked" ? section.dataset.unchecked : section.dataset.fail;
  status.className = result === "verified" ? "ok" : result === "unchecked" ? "partial" : "fail";
  section.dataset.result = result;
}

function sharePlace() {
  const button = document.getElementById("share-place");
  if (!button || !navigator.geolocation) return;
  button.addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition(async (position) => {
      const response = await fetch(`/api/scans/${encodeURIComponent(button.dataset.token)}/place`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ latitude: position.coords.latitude, longitude: position.coords.longitude }),
      });
      if (response.ok) { button.textContent = button.dataset.done; button.disabled = true; }
    }, () => {}, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
  });
}

document.addEventListener("DOMContentLoaded", () => { run(); sharePlace(); });
