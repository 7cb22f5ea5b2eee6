// The farmers' page. Records wait in the phone's outbox (field/outbox.js) until they can be sent, each once.
// A sale of leaf mints its certificate's number on the phone (60 random bits) and shows its QR at once, so the
// certificate leaves with the truck before there is signal.
"use strict";

Object.assign(Field.state.words, {
  title: { zh: "茶农记录", en: "Farm records" },
  "signin.help": { zh: "输入合作社发给您的密钥，只需一次，会保存在这部手机上。", en: "Enter the key your cooperative gave you. Once: it is kept on this phone." },
  plot: { zh: "地块", en: "Plot" },
  "tab.harvest": { zh: "采摘", en: "Harvest" },
  "tab.input": { zh: "农事", en: "Farm input" },
  "harvest.title": { zh: "记录采摘", en: "Record a harvest" },
  "harvest.date": { zh: "采摘日期", en: "Picked on" },
  "harvest.standard": { zh: "采摘标准", en: "Plucking standard" },
  "harvest.kg": { zh: "鲜叶重量（公斤）", en: "Fresh leaf (kg)" },
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
  sent: { zh: "已上传：{0}", en: "Sent: {0}" },
  recent: { zh: "最近记录", en: "Recent records" },
  tag: { zh: "打印标签", en: "Print tag" },
  "need.plot": { zh: "请先选择地块。", en: "Choose a plot first." },
  "need.kg": { zh: "请填写鲜叶重量。", en: "Enter the weight of fresh leaf." },
  "need.product": { zh: "请填写产品、来源、用量、单位和方法。", en: "Fill in product, source, dose, unit and method." },
  "need.phi": { zh: "用药必须填写安全间隔期。", en: "A pesticide needs its pre-harvest interval." },
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

const outbox = Outbox("teatrace-app", {
  path: (record) => ({ harvest: "/api/harvests", sale: "/api/leaf-sales" }[record.kind] ?? `/api/plots/${encodeURIComponent(record.plotId)}/inputs`),
  // A harvest recorded on this phone and sold before it was sent went first (records go in order): the sale names it now.
  prepare: async (record) => {
    if (record.kind !== "sale" || record.payload.harvests[0].harvestId) return null;
    const harvest = (await db.all()).find((r) => r.id === record.harvestRecord);
    if (harvest?.status !== "done") return Field.t("harvest.refused");
    record.payload.harvests[0].harvestId = harvest.result.id;
    return null;
  },
  sent: (record) => message(Field.t("sent", { harvest: record.result.code, sale: record.result.certificateNo }[record.kind] ?? record.result.product), "ok"),
  refused: (record) => message(record.reason, "error"),
  unauthorized: () => message(Field.t("signin.bad"), "error"),
  render: () => render(),
});
const db = outbox.db;
const sync = outbox.sync;

const $ = (id) => document.getElementById(id);

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
  message(Field.t("saved"), "ok");
  return outbox.enqueue({ kind, plotId, plotName: plotName(plotId), payload, ...extra });
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
  const state = record.status === "done" && record.result?.code ? record.result.code : Field.t(record.status === "done" ? "recent" : record.status);
  const li = outbox.item(record, describe(record), state, record.plotName);
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
  outbox.show(records, item);
  const done = records.filter((r) => r.status === "done").sort((a, b) => b.id - a.id).slice(0, 10);
  $("recent").replaceChildren(...done.map(item));
  const shown = $("certificate").dataset.number ? records.find((r) => r.payload.certificateNo === $("certificate").dataset.number)?.id : null;
  if (shown) await showCertificate(shown);
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
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" });
  await start();
});
