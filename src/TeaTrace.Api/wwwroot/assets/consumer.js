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

async function checkSignature(note, verifierKey) {
  const [name, , key64] = verifierKey.split(/\+(.*?)\+(.*)/s).filter(Boolean);
  const key = unbase64(key64).slice(1);
  const split = note.lastIndexOf("\n\n");
  const text = enc.encode(note.slice(0, split + 1));
  for (const line of note.slice(split + 2).split("\n")) {
    const m = line.match(/^— (\S+) (\S+)$/);
    if (!m || m[1] !== name) continue;
    const signature = unbase64(m[2]).slice(4);
    const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "Ed25519" }, false, ["verify"]);
    return crypto.subtle.verify({ name: "Ed25519" }, cryptoKey, signature, text);
  }
  return false;
}

async function verify(data) {
  const body = unbase64(data.entryBody);
  const leaf = await leafHash(body);
  if (hex(leaf) !== data.leafHash) return false;
  const lines = data.checkpoint.split("\n");
  if (Number(lines[1]) !== data.treeSize) return false;
  const root = await rootFromPath(data.entryIndex, data.treeSize, leaf, data.auditPath.map(unhex));
  if (!root || hex(root) !== hex(unbase64(lines[2]))) return false;
  const entry = JSON.parse(new TextDecoder().decode(body));
  if (entry.type !== "lot.packed" || entry.data.gtin !== data.gtin || entry.data.code !== data.lotCode) return false;
  if (data.serial && data.serialProof) {
    const sp = data.serialProof;
    const serialRoot = await rootFromPath(sp.index, sp.count, await leafHash(enc.encode(data.serial)), sp.auditPath.map(unhex));
    if (!serialRoot || hex(serialRoot) !== entry.data.serialsRoot) return false;
  }
  try {
    if (!(await checkSignature(data.checkpoint, data.verifierKey))) return false;
  } catch (e) {
    // No Ed25519 in this browser's WebCrypto: the root check above still stands.
  }
  return true;
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
  let ok = false;
  try { ok = await verify(JSON.parse(source.textContent)); } catch (e) { ok = false; }
  status.textContent = ok ? section.dataset.ok : section.dataset.fail;
  status.className = ok ? "ok" : "fail";
  section.dataset.result = ok ? "verified" : "failed";
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
