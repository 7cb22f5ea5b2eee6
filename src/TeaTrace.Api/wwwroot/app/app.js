// The farmers' page. Records are saved on the phone first (IndexedDB), each with its own Idempotency-Key, and sent
// in order when the network is there, retried with back-off. A sale of leaf mints its certificate's number on the
// phone (60 random bits) and shows its QR at once, so the certificate leaves with the truck before there is signal. A record the server refuses stays on the phone with
// the server's reason; nothing is lost and nothing is sent twice.
"use strict";

Object.assign(Field.state.words, {
  title: { zh: "茶农记录", en: "Farm records" },
  online: { zh: "在线", en: "Online" },
  offline: { zh: "离线", en: "Offline" },
  "signin.title": { zh: "登录", en: "Sign in" },
  "signin.help": { zh: "输入合作社发给您的密钥，只需一次，会保存在这部手机上。", en: "Enter the key your cooperative gave you. Once: it is kept on this phone." },
  "signin.key": { zh: "密钥", en: "Key" },
  "signin.go": { zh: "登录", en: "Sign in" },
  "signin.bad": { zh: "密钥不正确或已停用。", en: "This key is not accepted." },
  "signin.offline": { zh: "现在没有网络：密钥已保存，联网后核对。", en: "No network: the key is saved and will be checked when online." },
  plot: { zh: "地块", en: "Plot" },
  "tab.harvest": { zh: "采摘", en: "Harvest" },
  "tab.input": { zh: "农事", en: "Farm input" },
  "harvest.title": { zh: "记录采摘", en: "Record a harvest" },
  "harvest.date": { zh: "采摘日期", en: "Picked on" },
  "harvest.standard": { zh: "采摘标准", en: "Plucking standard" },
  "harvest.kg": { zh: "鲜叶重量（公斤）", en: "Fresh leaf (kg)" },
  bud: { zh: "单芽", en: "Bud" },
  bud1leaf: { zh: "一芽一叶", en: "Bud + 1 leaf" },
  bud2leaves: { zh: "一芽二叶", en: "Bud + 2 leaves" },
  bud3leaves: { zh: "一芽三叶", en: "Bud + 3 leaves" },
  "input.title": { zh: "记录农事", en: "Record a farm input" },
  "input.kind": { zh: "类别", en: "Kind" },
  fertilizer: { zh: "施肥", en: "Fertiliser" },
  pesticide: { zh: "用药", en: "Pesticide" },
  other: { zh: "其他", en: "Other" },
  "input.product": { zh: "产品名称", en: "Product" },
  "input.source": { zh: "来源（购买地点）", en: "Source (where bought)" },
  "input.dose": { zh: "用量", en: "Dose" },
  "input.unit": { zh: "单位", en: "Unit" },
  "input.method": { zh: "方法", en: "Method" },
  "input.date": { zh: "使用日期", en: "Applied on" },
  "input.phi": { zh: "安全间隔期（天）", en: "Pre-harvest interval (days)" },
  save: { zh: "保存", en: "Save" },
  saved: { zh: "已保存在手机上，联网后自动上传。", en: "Saved on this phone; it is sent when there is a network." },
  sent: { zh: "已上传：{0}", en: "Sent: {0}" },
  pending: { zh: "等待同步", en: "Waiting to send" },
  "pending.none": { zh: "全部已同步。", en: "Everything is sent." },
  refused: { zh: "未被接受", en: "Not accepted" },
  recent: { zh: "最近记录", en: "Recent records" },
  discard: { zh: "删除", en: "Discard" },
  tag: { zh: "打印标签", en: "Print tag" },
  signout: { zh: "退出登录", en: "Sign out" },
  "need.plot": { zh: "请先选择地块。", en: "Choose a plot first." },
  "need.kg": { zh: "请填写鲜叶重量。", en: "Enter the weight of fresh leaf." },
  "need.product": { zh: "请填写产品、来源、用量、单位和方法。", en: "Fill in product, source, dose, unit and method." },
  "need.phi": { zh: "用药必须填写安全间隔期。", en: "A pesticide needs its pre-harvest interval." },
  "error.http": { zh: "服务器拒绝了这条记录（{0}）。", en: "The server refused this record ({0})." },
  "kind.harvest": { zh: "采摘", en: "Harvest" },
  "kind.input": { zh: "农事", en: "Farm input" },
  retrying: { zh: "稍后重试（第 {0} 次）", en: "retrying (attempt {0})" },
  "tab.sale": { zh: "卖鲜叶", en: "Sell leaf" },
  "sale.title": { zh: "卖鲜叶，开具承诺达标合格证", en: "Sell leaf: issue the compliance certificate" },
  "sale.harvest": { zh: "采摘记录", en: "Harvest" },
  "sale.kg": { zh: "卖出重量（公斤）", en: "Sold (kg)" },
  "sale.buyer": { zh: "收购方", en: "Buyer" },
  "sale.basis": { zh: "承诺依据", en: "Basis" },
  "sale.test": { zh: "检测记录", en: "Residue test" },
  "sale.price": { zh: "单价（元/公斤，可不填）", en: "Price (CNY/kg, optional)" },
  "sale.go": { zh: "开具合格证", en: "Issue the certificate" },
  "basis.control": { zh: "质量安全控制", en: "Quality control" },
  "basis.self-test": { zh: "自行检测", en: "Self-test" },
  "basis.entrusted-test": { zh: "委托检测", en: "Entrusted test" },
  "need.harvest": { zh: "请选择采摘记录并填写重量。", en: "Choose a harvest and enter the weight." },
  "need.buyer": { zh: "请选择收购方（联网一次以下载名单）。", en: "Choose a buyer (go online once to load the list)." },
  "need.test": { zh: "检测依据需要选择检测记录。", en: "A test basis needs a residue test." },
  "certificate.title": { zh: "承诺达标合格证", en: "Compliance certificate" },
  "certificate.pending": { zh: "已开具，随车携带；联网后自动登记", en: "Issued: it travels with the load and is registered when there is a network" },
  "certificate.done": { zh: "已登记", en: "Registered" },
  "certificate.void": { zh: "作废：{0}", en: "Void: {0}" },
  "certificate.facts": { zh: "{0} 公斤 · 卖给 {1} · {2}", en: "{0} kg · to {1} · {2}" },
  "kind.sale": { zh: "卖鲜叶", en: "Leaf sale" },
  "harvest.unsent": { zh: "（未上传）", en: "(not yet sent)" },
  "harvest.refused": { zh: "这条采摘记录未被接受，不能销售。", en: "This harvest was not accepted, so it cannot be sold." },
});

const db = (() => {
  let opened;
  function open() {
    opened ??= new Promise((resolve, reject) => {
      const request = indexedDB.open("teatrace-app", 1);
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
  return {
    get: (key) => run("kv", "readonly", (s) => s.get(key)),
    set: (key, value) => run("kv", "readwrite", (s) => s.put(value, key)),
    remove: (key) => run("kv", "readwrite", (s) => s.delete(key)),
    add: (item) => run("outbox", "readwrite", (s) => s.add(item)),
    put: (item) => run("outbox", "readwrite", (s) => s.put(item)),
    delete: (id) => run("outbox", "readwrite", (s) => s.delete(id)),
    all: () => run("outbox", "readonly", (s) => s.getAll()),
  };
})();

const $ = (id) => document.getElementById(id);
let syncing = false;
let retryTimer = null;

function message(text, kind = "info") { Field.show($("message"), text, kind); }

async function signIn() {
  const key = $("key").value.trim();
  if (!key) return;
  const me = await Field.api("/api/me", { key });
  if (me.ok) {
    await db.set("key", key);
    await db.set("me", me.body);
    message("");
    await start();
  } else if (me.network) {
    await db.set("key", key);
    message(Field.t("signin.offline"), "info");
    await start();
  } else {
    message(Field.t("signin.bad"), "error");
  }
}

async function start() {
  const key = await db.get("key");
  $("signin").classList.toggle("hidden", !!key);
  $("main").classList.toggle("hidden", !key);
  if (!key) return;
  let me = await db.get("me");
  const fresh = await Field.api("/api/me", { key });
  if (fresh.ok) { me = fresh.body; await db.set("me", me); }
  if (fresh.status === 401) { message(Field.t("signin.bad"), "error"); }
  $("who").textContent = me ? me.org.name : "";
  await loadPlots(key, me);
  $("picked-on").value = Field.localDate();
  $("applied-on").value = Field.localDate();
  await render();
  sync();
}

async function loadPlots(key, me) {
  let plots = await db.get("plots");
  const fresh = await Field.api("/api/plots", { key });
  if (fresh.ok) { plots = fresh.body; await db.set("plots", plots); }
  const select = $("plot");
  const chosen = (await db.get("plot")) || select.value;
  select.innerHTML = "";
  for (const plot of plots || []) {
    const option = document.createElement("option");
    option.value = plot.id;
    option.textContent = `${plot.name} · ${plot.cultivar}`;
    select.appendChild(option);
  }
  if (chosen && (plots || []).some((p) => p.id === chosen)) select.value = chosen;
  if (!me && plots?.length) $("who").textContent = "";
}

function plotName(id) {
  const option = Array.from($("plot").options).find((o) => o.value === id);
  return option ? option.textContent : id;
}

async function enqueue(kind, payload, extra = {}) {
  const plotId = extra.plotId ?? $("plot").value;
  const id = await db.add({
    kind, plotId, plotName: plotName(plotId), payload, idempotencyKey: Field.uuid(), status: "pending",
    createdAt: new Date().toISOString(), attempts: 0, nextAttemptAt: 0, ...extra,
  });
  message(Field.t("saved"), "ok");
  await render();
  sync();
  return id;
}

async function saveHarvest() {
  const plotId = $("plot").value;
  const kg = Number($("kg").value);
  if (!plotId) return message(Field.t("need.plot"), "error");
  if (!(kg > 0)) return message(Field.t("need.kg"), "error");
  const standard = document.querySelector("input[name=standard]:checked").value;
  await enqueue("harvest", { plotId, pickedOn: $("picked-on").value, pluckingStandard: standard, freshLeafKg: Math.round(kg * 1000) / 1000 });
  $("kg").value = "";
}

async function saveInput() {
  const plotId = $("plot").value;
  if (!plotId) return message(Field.t("need.plot"), "error");
  const kind = document.querySelector("input[name=kind]:checked").value;
  const payload = {
    kind, product: $("product").value.trim(), source: $("source").value.trim(), dose: Number($("dose").value),
    doseUnit: $("dose-unit").value.trim(), method: $("method").value.trim(), appliedOn: $("applied-on").value,
  };
  if (!payload.product || !payload.source || !(payload.dose > 0) || !payload.doseUnit || !payload.method) return message(Field.t("need.product"), "error");
  if (kind === "pesticide") {
    if ($("phi").value === "") return message(Field.t("need.phi"), "error");
    payload.preHarvestIntervalDays = Number($("phi").value);
  }
  await enqueue("input", payload);
  $("product").value = "";
}

// Sends waiting records oldest first. A network failure (or the server busy) stops the round and schedules a retry
// with back-off, so records reach the server in the order they were made.
async function sync() {
  if (syncing) return;
  syncing = true;
  try {
    const key = await db.get("key");
    if (!key || !navigator.onLine) return; // the "online" event starts the next round
    const waiting = (await db.all()).filter((r) => r.status === "pending").sort((a, b) => a.id - b.id);
    for (const record of waiting) {
      if (record.nextAttemptAt > Date.now()) { schedule(record.nextAttemptAt - Date.now()); break; }
      const path = { harvest: "/api/harvests", sale: "/api/leaf-sales" }[record.kind] ?? `/api/plots/${encodeURIComponent(record.plotId)}/inputs`;
      if (record.kind === "sale" && !record.payload.harvests[0].harvestId) {
        // A harvest recorded on this phone and sold before it was sent: it was sent first (records go in order).
        const harvest = (await db.all()).find((r) => r.id === record.harvestRecord);
        if (harvest?.status === "done") record.payload.harvests[0].harvestId = harvest.result.id;
        else { record.status = "refused"; record.reason = Field.t("harvest.refused"); await db.put(record); continue; }
      }
      const result = await Field.api(path, { key, method: "POST", body: record.payload, idempotencyKey: record.idempotencyKey });
      if (result.ok) {
        record.status = "done";
        record.result = result.body;
        record.sentAt = new Date().toISOString();
        await db.put(record);
        message(Field.t("sent", { harvest: result.body.code, sale: result.body.certificateNo }[record.kind] ?? result.body.product), "ok");
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
      if (result.status === 401) { message(Field.t("signin.bad"), "error"); break; }
      record.status = "refused";
      record.reason = result.message;
      await db.put(record);
      message(result.message, "error");
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

function describe(record) {
  const p = record.payload;
  if (record.kind === "sale") return `${Field.t("kind.sale")} · ${p.certificateNo} · ${p.harvests[0].kg} kg · ${record.buyerName}`;
  return record.kind === "harvest"
    ? `${Field.t("kind.harvest")} · ${p.pickedOn} · ${Field.t(p.pluckingStandard)} · ${p.freshLeafKg} kg`
    : `${Field.t("kind.input")} · ${p.appliedOn} · ${p.product}`;
}

// ---- selling leaf: the certificate is made on the phone, and registered when the network is there

// A certificate number as the server makes it: 12 characters of Crockford's base 32, 60 random bits.
function mintCertificateNo() {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => alphabet[b & 31]).join("");
}

const grouped = (number) => `${number.slice(0, 4)}-${number.slice(4, 8)}-${number.slice(8)}`;

async function loadSaleChoices() {
  const key = await db.get("key");
  let buyers = await db.get("buyers");
  const fresh = await Field.api("/api/leaf-buyers", { key });
  if (fresh.ok) { buyers = fresh.body; await db.set("buyers", buyers); }
  $("sale-buyer").replaceChildren(...(buyers || []).map((b) => new Option(`${b.name} · ${b.town}`, b.orgId)));
  const harvests = (await db.all()).filter((r) => r.kind === "harvest" && r.status !== "refused").sort((a, b) => b.id - a.id);
  $("sale-harvest").replaceChildren(...harvests.map((r) => {
    const label = `${r.result?.code ?? Field.t("harvest.unsent")} · ${r.payload.pickedOn} · ${r.payload.freshLeafKg} kg · ${r.plotName}`;
    const option = new Option(label, String(r.id));
    option.dataset.kg = r.payload.freshLeafKg;
    return option;
  }));
  if (!$("sale-kg").value && harvests.length) $("sale-kg").value = harvests[0].payload.freshLeafKg;
  await loadTests();
}

async function loadTests() {
  const chosen = (await db.all()).find((r) => String(r.id) === $("sale-harvest").value);
  const plotId = chosen?.payload.plotId;
  if (!plotId) return $("sale-test").replaceChildren();
  const key = await db.get("key");
  let tests = await db.get(`tests:${plotId}`);
  const fresh = await Field.api(`/api/plots/${encodeURIComponent(plotId)}/residue-tests`, { key });
  if (fresh.ok) { tests = fresh.body; await db.set(`tests:${plotId}`, tests); }
  $("sale-test").replaceChildren(...(tests || []).filter((t) => t.verdict === "pass")
    .map((t) => new Option(`${t.sampledOn} · ${t.method} · ${t.reportNo ?? t.id}`, t.id)));
}

async function saveSale() {
  const record = (await db.all()).find((r) => String(r.id) === $("sale-harvest").value);
  const kg = Math.round(Number($("sale-kg").value) * 1000) / 1000;
  if (!record || !(kg > 0)) return message(Field.t("need.harvest"), "error");
  const buyer = $("sale-buyer").selectedOptions[0];
  if (!buyer) return message(Field.t("need.buyer"), "error");
  const basis = document.querySelector("input[name=basis]:checked").value;
  const tests = basis === "control" ? [] : [$("sale-test").value].filter(Boolean);
  if (basis !== "control" && tests.length === 0) return message(Field.t("need.test"), "error");
  const payload = {
    buyerOrgId: buyer.value, soldAt: new Date().toISOString(), basis, residueTestIds: tests,
    harvests: [{ harvestId: record.result?.id ?? null, kg }], certificateNo: mintCertificateNo(),
  };
  if ($("sale-price").value !== "") payload.pricePerKgCny = Number($("sale-price").value);
  const id = await enqueue("sale", payload, { plotId: record.payload.plotId, plotName: record.plotName, harvestRecord: record.id, buyerName: buyer.textContent });
  await showCertificate(id);
}

// The certificate as the phone holds it: its number and QR at once, and whether the server has registered it.
async function showCertificate(id) {
  const record = (await db.all()).find((r) => r.id === id);
  if (!record) return;
  const number = record.payload.certificateNo;
  $("certificate").classList.remove("hidden");
  $("certificate").dataset.number = number;
  $("certificate").dataset.status = record.status;
  $("certificate-number").textContent = grouped(number);
  const qr = qrcode(0, "M");
  qr.addData(`${location.origin}/c/${number}`);
  qr.make();
  $("certificate-qr").innerHTML = qr.createSvgTag({ cellSize: 5, margin: 2, scalable: true });
  $("certificate-state").textContent = record.status === "done" ? Field.t("certificate.done")
    : record.status === "refused" ? Field.t("certificate.void", record.reason) : Field.t("certificate.pending");
  const basis = Field.t(`basis.${record.payload.basis}`);
  $("certificate-facts").textContent = Field.t("certificate.facts", record.payload.harvests[0].kg, record.buyerName, basis);
}

function item(record) {
  const li = document.createElement("li");
  li.dataset.id = record.id;
  li.dataset.status = record.status;
  const title = document.createElement("div");
  title.className = "record-title";
  title.textContent = describe(record);
  const state = document.createElement("span");
  state.className = `state ${record.status}`;
  state.textContent = record.status === "done" && record.result?.code ? record.result.code : Field.t(record.status === "done" ? "recent" : record.status);
  title.appendChild(state);
  li.appendChild(title);
  const meta = document.createElement("div");
  meta.className = "record-meta";
  meta.textContent = record.plotName + (record.status === "pending" && record.attempts ? ` · ${Field.t("retrying", record.attempts)}` : "");
  li.appendChild(meta);
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
  if (record.status === "done" && record.kind === "harvest" && record.result?.code) {
    const tag = document.createElement("a");
    tag.href = `/h/${encodeURIComponent(record.result.code)}/tag`;
    tag.textContent = Field.t("tag");
    tag.target = "_blank";
    tag.rel = "noopener";
    li.appendChild(tag);
  }
  return li;
}

async function render() {
  const records = await db.all();
  const pending = records.filter((r) => r.status === "pending");
  const refused = records.filter((r) => r.status === "refused");
  const done = records.filter((r) => r.status === "done").sort((a, b) => b.id - a.id).slice(0, 10);
  $("pending").replaceChildren(...pending.map(item));
  $("refused").replaceChildren(...refused.map(item));
  $("recent").replaceChildren(...done.map(item));
  $("pending-count").textContent = pending.length;
  const shown = Number($("certificate").dataset.number ? records.find((r) => r.payload.certificateNo === $("certificate").dataset.number)?.id : NaN);
  if (shown) await showCertificate(shown);
  $("pending-empty").classList.toggle("hidden", pending.length > 0);
  $("refused-section").classList.toggle("hidden", refused.length === 0);
  const online = navigator.onLine;
  $("net").textContent = Field.t(online ? "online" : "offline");
  $("net").classList.toggle("offline", !online);
  document.body.dataset.pending = pending.length;
}

function tab(which) {
  for (const name of ["harvest", "input", "sale"]) {
    $(`tab-${name}`).setAttribute("aria-selected", which === name);
    $(`form-${name}`).classList.toggle("hidden", which !== name);
  }
  if (which === "sale") loadSaleChoices();
}

document.addEventListener("DOMContentLoaded", async () => {
  Field.translate();
  $("lang").textContent = Field.state.lang === "en" ? "中文" : "English";
  $("lang").addEventListener("click", async () => {
    Field.setLanguage(Field.state.lang === "en" ? "zh" : "en");
    $("lang").textContent = Field.state.lang === "en" ? "中文" : "English";
    await render();
  });
  $("signin-button").addEventListener("click", signIn);
  $("save-harvest").addEventListener("click", saveHarvest);
  $("save-input").addEventListener("click", saveInput);
  $("tab-harvest").addEventListener("click", () => tab("harvest"));
  $("tab-input").addEventListener("click", () => tab("input"));
  $("tab-sale").addEventListener("click", () => tab("sale"));
  $("save-sale").addEventListener("click", saveSale);
  $("sale-harvest").addEventListener("change", () => {
    $("sale-kg").value = $("sale-harvest").selectedOptions[0]?.dataset.kg ?? "";
    loadTests();
  });
  for (const radio of document.querySelectorAll("input[name=basis]")) {
    radio.addEventListener("change", () => $("test-row").classList.toggle("hidden", document.querySelector("input[name=basis]:checked").value === "control"));
  }
  $("plot").addEventListener("change", () => db.set("plot", $("plot").value));
  for (const radio of document.querySelectorAll("input[name=kind]")) {
    radio.addEventListener("change", () => $("phi-row").classList.toggle("hidden", radio.value !== "pesticide" || !radio.checked));
  }
  $("signout").addEventListener("click", async () => { await db.remove("key"); await db.remove("me"); location.reload(); });
  window.addEventListener("online", async () => {
    for (const record of await db.all()) {
      if (record.status === "pending") { record.nextAttemptAt = 0; await db.put(record); }
    }
    sync();
  });
  window.addEventListener("offline", render);
  setInterval(sync, 10000);
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" });
  await start();
});
