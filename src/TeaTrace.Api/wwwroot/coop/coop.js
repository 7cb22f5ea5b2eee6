// The cooperative's collection point. A member is picked, the leaf weighed and priced, and the collection waits in the
// phone's outbox (field/outbox.js) until it can be sent, once. Today's collections are listed with their totals; a
// member's month is printed from the server's statement page.
"use strict";

Object.assign(Field.state.words, {
  title: { zh: "收购点", en: "Collection point" },
  "signin.help": { zh: "输入合作社的茶农密钥，只需一次，会保存在这部手机上。", en: "Enter the cooperative's farmer key. Once: it is kept on this phone." },
  "signin.notcoop": { zh: "这个密钥不属于合作社。", en: "This key is not a cooperative's." },
  member: { zh: "成员", en: "Member" },
  "members.none": { zh: "还没有成员。", en: "No members yet." },
  "collect.title": { zh: "过秤登记", en: "Weigh and record" },
  plot: { zh: "地块", en: "Plot" },
  common: { zh: "合作社共管", en: "cooperative's own" },
  picked: { zh: "采摘日期", en: "Picked on" },
  standard: { zh: "采摘标准", en: "Plucking standard" },
  kg: { zh: "重量（公斤）", en: "Weight (kg)" },
  price: { zh: "单价（元/公斤）", en: "Price (¥/kg)" },
  sent: { zh: "已上传：{0} {1}", en: "Sent: {0} {1}" },
  today: { zh: "今日收购", en: "Today's collections" },
  count: { zh: "{0} 笔", en: "{0} collections" },
  statement: { zh: "月度对账单", en: "Monthly statement" },
  month: { zh: "月份", en: "Month" },
  print: { zh: "打印所选成员的对账单", en: "Print the chosen member's statement" },
  "need.member": { zh: "请先选择成员。", en: "Choose a member first." },
  "need.plot": { zh: "请选择地块。", en: "Choose a plot." },
  "need.kg": { zh: "请填写重量。", en: "Enter the weight." },
  "need.price": { zh: "请填写单价。", en: "Enter the price." },
  "need.online": { zh: "打印对账单需要网络。", en: "Printing a statement needs the network." },
});

const $ = (id) => document.getElementById(id);
function message(text, kind = "info") { Field.show($("message"), text, kind); }

const outbox = Outbox("teatrace-coop", {
  path: () => "/api/collections",
  sent: (record) => message(Field.t("sent", record.memberName, record.result.harvestCode), "ok"),
  refused: (record) => message(record.reason, "error"),
  unauthorized: () => message(Field.t("signin.bad"), "error"),
  render: () => render(),
});
const db = outbox.db;
const page = { me: null, members: [], plots: [], member: null };

// Fen, from kg to the gram and a price to the fen, as the server reckons it: integers, rounded half up once.
const fen = (kg, price) => Math.round((Math.round(kg * 1000) * Math.round(price * 100)) / 1000);
const yuan = (f) => `¥${(f / 100).toFixed(2)}`;

async function signIn() {
  const key = $("key").value.trim();
  if (!key) return;
  const me = await Field.api("/api/me", { key });
  if (me.ok && me.body.org.kind !== "cooperative") return message(Field.t("signin.notcoop"), "error");
  if (me.ok || me.network) {
    await db.set("key", key);
    if (me.ok) await db.set("me", me.body);
    message(me.ok ? "" : Field.t("signin.offline"), "info");
    return start();
  }
  message(Field.t("signin.bad"), "error");
}

// Reads fresh from the server when it can, and keeps the answer for the days without network.
async function cached(name, path, key) {
  const fresh = await Field.api(path, { key });
  if (fresh.ok) { await db.set(name, fresh.body); return fresh.body; }
  if (fresh.status === 401) message(Field.t("signin.bad"), "error");
  return (await db.get(name)) || null;
}

async function start() {
  const key = await db.get("key");
  $("signin").classList.toggle("hidden", !!key);
  $("main").classList.toggle("hidden", !key);
  if (!key) return;
  page.me = await cached("me", "/api/me", key);
  $("who").textContent = page.me ? page.me.org.name : "";
  if (page.me) page.members = (await cached("members", `/api/orgs/${encodeURIComponent(page.me.org.id)}/members`, key)) || [];
  page.plots = (await cached("plots", "/api/plots", key)) || [];
  const chosen = await db.get("member");
  page.member = page.members.find((m) => m.id === chosen) || null;
  $("picked-on").value = Field.localDate();
  $("month").value = Field.localDate().slice(0, 7);
  $("price").value = (await db.get("price")) || "";
  drawMembers();
  await render();
  outbox.sync();
}

function drawMembers() {
  const buttons = page.members.map((m) => {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.member = m.id;
    button.setAttribute("aria-pressed", String(page.member?.id === m.id));
    button.textContent = m.name || m.id;
    const village = document.createElement("small");
    village.textContent = m.village;
    button.appendChild(village);
    button.addEventListener("click", () => choose(m));
    return button;
  });
  $("members").replaceChildren(...buttons);
  $("members-empty").classList.toggle("hidden", buttons.length > 0);
  drawPlots();
}

async function choose(member) {
  page.member = member;
  await db.set("member", member.id);
  drawMembers();
}

// The member's own plots first, then those the cooperative farms in common; never another member's.
function drawPlots() {
  const id = page.member?.id;
  const mine = page.plots.filter((p) => p.memberId === id);
  const common = page.plots.filter((p) => !p.memberId);
  $("plot").replaceChildren(...[...mine, ...common].map((p) => {
    const option = document.createElement("option");
    option.value = p.id;
    option.textContent = p.memberId ? `${p.name} · ${p.town}` : `${p.name} · ${Field.t("common")}`;
    return option;
  }));
}

async function save() {
  const member = page.member;
  const plotId = $("plot").value;
  const kg = Number($("kg").value);
  const price = Number($("price").value);
  if (!member) return message(Field.t("need.member"), "error");
  if (!plotId) return message(Field.t("need.plot"), "error");
  if (!(kg > 0)) return message(Field.t("need.kg"), "error");
  if ($("price").value === "" || !(price >= 0)) return message(Field.t("need.price"), "error");
  await db.set("price", $("price").value);
  const standard = document.querySelector("input[name=standard]:checked").value;
  const payload = {
    memberId: member.id, plotId, pickedOn: $("picked-on").value, pluckingStandard: standard,
    kg: Math.round(kg * 1000) / 1000, pricePerKgCny: Math.round(price * 100) / 100, collectedAt: Field.withOffset(Field.localInput(new Date())),
  };
  message(Field.t("saved"), "ok");
  $("kg").value = "";
  await outbox.enqueue({ kind: "collection", memberName: member.name || member.id, day: Field.localDate(), payload });
}

function describe(record) {
  const p = record.payload;
  return `${record.memberName} · ${Field.t(p.pluckingStandard)} · ${p.kg} kg × ¥${p.pricePerKgCny.toFixed(2)}`;
}

function item(record) {
  const state = record.status === "done" ? record.result.harvestCode : Field.t(record.status);
  return outbox.item(record, describe(record), state, yuan(fen(record.payload.kg, record.payload.pricePerKgCny)));
}

async function render() {
  const records = await db.all();
  outbox.show(records, item);
  // Today's collections, sent or waiting: what the scale saw, with what is owed for it.
  const today = records.filter((r) => r.day === Field.localDate() && r.status !== "refused").sort((a, b) => b.id - a.id);
  const grams = today.reduce((sum, r) => sum + Math.round(r.payload.kg * 1000), 0);
  const owed = today.reduce((sum, r) => sum + fen(r.payload.kg, r.payload.pricePerKgCny), 0);
  $("today").replaceChildren(...today.map(item));
  $("today-count").textContent = Field.t("count", today.length);
  $("today-kg").textContent = `${(grams / 1000).toFixed(3)} kg`;
  $("today-amount").textContent = yuan(owed);
}

// The statement is the server's printable page (Chinese with English), opened in a new window and printed there.
async function printStatement() {
  const member = page.member;
  if (!member) return message(Field.t("need.member"), "error");
  const key = await db.get("key");
  const path = `/api/orgs/${encodeURIComponent(member.orgId)}/members/${encodeURIComponent(member.id)}/statement?month=${encodeURIComponent($("month").value)}`;
  let response;
  try {
    response = await fetch(path, { headers: { Accept: "text/html", Authorization: `Bearer ${key}` }, cache: "no-store" });
  } catch (e) {
    return message(Field.t("need.online"), "error");
  }
  if (!response.ok) return message(Field.t("error.http", response.status), "error");
  const html = await response.text();
  const sheet = window.open("", "_blank");
  if (!sheet) return;
  sheet.document.open();
  sheet.document.write(html);
  sheet.document.close();
  sheet.addEventListener("load", () => sheet.print());
}

document.addEventListener("DOMContentLoaded", async () => {
  Field.translate();
  $("lang").textContent = Field.state.lang === "en" ? "中文" : "English";
  $("lang").addEventListener("click", async () => {
    Field.setLanguage(Field.state.lang === "en" ? "zh" : "en");
    $("lang").textContent = Field.state.lang === "en" ? "中文" : "English";
    drawPlots();
    await render();
  });
  $("signin-button").addEventListener("click", signIn);
  $("save").addEventListener("click", save);
  $("print").addEventListener("click", printStatement);
  $("signout").addEventListener("click", async () => { await db.remove("key"); await db.remove("me"); location.reload(); });
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/coop/sw.js", { scope: "/coop/" });
  await start();
});
