// The farmers' page. Records wait in the phone's outbox (field/outbox.js) until they can be sent, each once.
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
});

const outbox = Outbox("teatrace-app", {
  path: (record) => (record.kind === "harvest" ? "/api/harvests" : `/api/plots/${encodeURIComponent(record.plotId)}/inputs`),
  sent: (record) => message(Field.t("sent", record.kind === "harvest" ? record.result.code : record.result.product), "ok"),
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

async function enqueue(kind, payload) {
  const plotId = $("plot").value;
  message(Field.t("saved"), "ok");
  await outbox.enqueue({ kind, plotId, plotName: plotName(plotId), payload });
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
  return record.kind === "harvest"
    ? `${Field.t("kind.harvest")} · ${p.pickedOn} · ${Field.t(p.pluckingStandard)} · ${p.freshLeafKg} kg`
    : `${Field.t("kind.input")} · ${p.appliedOn} · ${p.product}`;
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
}

function tab(which) {
  $("tab-harvest").setAttribute("aria-selected", which === "harvest");
  $("tab-input").setAttribute("aria-selected", which === "input");
  $("form-harvest").classList.toggle("hidden", which !== "harvest");
  $("form-input").classList.toggle("hidden", which !== "input");
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
  $("plot").addEventListener("change", () => db.set("plot", $("plot").value));
  for (const radio of document.querySelectorAll("input[name=kind]")) {
    radio.addEventListener("change", () => $("phi-row").classList.toggle("hidden", radio.value !== "pesticide" || !radio.checked));
  }
  $("signout").addEventListener("click", async () => { await db.remove("key"); await db.remove("me"); location.reload(); });
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" });
  await start();
});
