// The processors' station: at the gate, scan (or type) a load's 承诺达标合格证, weigh it in or reject it; scan (or
// type) the tag on a basket of leaf to gather a batch, scan a batch's tag to record its next step, and complete it;
// print the day's purchase ledger (收购台账). The camera is read with the browser's BarcodeDetector where it has one,
// else with jsQR, served from this site. Every refusal from the API is shown in plain words.
"use strict";

Object.assign(Field.state.words, {
  title: { zh: "加工扫码台", en: "Processing station" },
  "signin.title": { zh: "登录", en: "Sign in" },
  "signin.key": { zh: "加工厂密钥", en: "Factory key" },
  "signin.go": { zh: "登录", en: "Sign in" },
  "signin.bad": { zh: "密钥不正确，或不是加工厂的密钥。", en: "This key is not accepted, or is not a factory's key." },
  "scan.title": { zh: "扫描标签", en: "Scan a tag" },
  "scan.camera": { zh: "用相机扫码", en: "Scan with the camera" },
  "scan.type": { zh: "或输入标签上的编号", en: "Or type the code on the tag" },
  "scan.go": { zh: "确定", en: "Go" },
  "scan.photo": { zh: "或从照片识别", en: "Or read a photo of the tag" },
  "scan.none": { zh: "没有识别到二维码。", en: "No QR code found." },
  "scan.unknown": { zh: "这不是 TeaTrace 的合格证、鲜叶或批次标签：{0}", en: "Not a TeaTrace certificate, harvest or batch tag: {0}" },
  "gate.title": { zh: "收货：承诺达标合格证", en: "At the gate: compliance certificate" },
  "gate.from": { zh: "{0} 于 {1} 开具 · {2} 公斤 · {3}", en: "Issued by {0} on {1} · {2} kg · {3}" },
  "gate.status.issued": { zh: "待收货", en: "Awaiting receipt" },
  "gate.status.received": { zh: "已收货", en: "Already received" },
  "gate.status.voided": { zh: "已作废，不能收货", en: "Voided: do not receive" },
  "gate.status.rejected": { zh: "已拒收", en: "Rejected" },
  "gate.kg": { zh: "过磅重量（公斤）", en: "Weighed (kg)" },
  "gate.at": { zh: "收货时间", en: "Received at" },
  "gate.receive": { zh: "确认收货", en: "Receive the load" },
  "gate.reason": { zh: "拒收原因（如：鲜叶含水、等级不符、疑似喷药）", en: "Reason to reject (wet leaf, wrong grade, suspected spraying)" },
  "gate.reject": { zh: "拒收", en: "Reject the load" },
  "gate.received": { zh: "已收货 {0} 公斤；鲜叶已加入批次", en: "Received {0} kg; the leaf is added to the batch" },
  "gate.rejectedDone": { zh: "已拒收，鲜叶退回卖方", en: "Rejected: the leaf goes back to the seller" },
  "basis.control": { zh: "质量安全控制", en: "quality control" },
  "basis.self-test": { zh: "自行检测", en: "self-test" },
  "basis.entrusted-test": { zh: "委托检测", en: "entrusted test" },
  "ledger.title": { zh: "收购台账", en: "Purchase ledger" },
  "ledger.day": { zh: "日期", en: "Day" },
  "ledger.show": { zh: "查看", en: "Show" },
  "ledger.print": { zh: "打印", en: "Print" },
  "ledger.total": { zh: "合计 {0} 车 · 销售 {1} 公斤 · 实收 {2} 公斤", en: "Total {0} loads · sold {1} kg · received {2} kg" },
  "ledger.cols": { zh: "时间|合格证|卖方|依据|销售公斤|实收公斤|单价", en: "Time|Certificate|Seller|Basis|Sold kg|Received kg|Price/kg" },
  "scan.nocamera": { zh: "无法使用相机：{0}", en: "The camera cannot be used: {0}" },
  "assembly.title": { zh: "组建批次：鲜叶", en: "New batch: fresh leaf" },
  "assembly.gi": { zh: "申请英德红茶地理标志", en: "Claim the Yingde black tea GI" },
  "assembly.start": { zh: "开始时间", en: "Started at" },
  "assembly.go": { zh: "开始加工批次", en: "Start the batch" },
  "assembly.added": { zh: "已加入 {0}：剩余 {1} 公斤", en: "Added {0}: {1} kg left" },
  "assembly.empty": { zh: "本厂没有这批鲜叶：请先凭合格证收货，或已全部用完。", en: "Your factory holds none of this leaf: receive its certificate first, or it is all used." },
  "assembly.remove": { zh: "移除", en: "Remove" },
  "batch.title": { zh: "加工批次", en: "Batch" },
  "batch.tag": { zh: "打印批次标签", en: "Print the batch tag" },
  "batch.started": { zh: "批次 {0} 已开始", en: "Batch {0} started" },
  "batch.done": { zh: "批次已完成：{0} 公斤 · 出茶率 {1}", en: "Batch completed: {0} kg · yield {1}" },
  "step.start": { zh: "开始", en: "Start" },
  "step.end": { zh: "结束", en: "End" },
  "step.temperature": { zh: "温度 °C", en: "Temperature °C" },
  "step.humidity": { zh: "湿度 %", en: "Humidity %" },
  "step.go": { zh: "记录这一步", en: "Record this step" },
  "step.next": { zh: "下一步：{0}", en: "Next step: {0}" },
  "step.saved": { zh: "已记录：{0}", en: "Recorded: {0}" },
  withering: { zh: "萎凋", en: "Withering" },
  rolling: { zh: "揉捻", en: "Rolling" },
  fermentation: { zh: "发酵", en: "Fermentation" },
  drying: { zh: "干燥", en: "Drying" },
  "complete.title": { zh: "完成批次", en: "Complete the batch" },
  "complete.at": { zh: "完成时间", en: "Completed at" },
  "complete.kg": { zh: "成茶重量（公斤）", en: "Made tea (kg)" },
  "complete.style": { zh: "品类", en: "Style" },
  "complete.grade": { zh: "等级", en: "Grade" },
  "complete.moisture": { zh: "含水量 %", en: "Moisture %" },
  "complete.override": { zh: "超出出茶率范围的说明（可选）", en: "Reason if outside the yield band (optional)" },
  "complete.go": { zh: "完成", en: "Complete" },
  signout: { zh: "退出登录", en: "Sign out" },
  "error.http": { zh: "服务器拒绝了（{0}）。", en: "The server refused ({0})." },
  "error.network": { zh: "没有网络，请稍后再试。", en: "No network; try again." },
});

const $ = (id) => document.getElementById(id);
const state = { key: localStorage.getItem("teatrace.station.key"), me: null, leaf: [], batch: null, stream: null };

function message(text, kind = "info") { Field.show($("message"), text, kind); }

async function call(path, options = {}) {
  const result = await Field.api(path, { key: state.key, ...options });
  if (!result.ok) message(result.network ? Field.t("error.network") : result.message, "error");
  return result;
}

async function signIn() {
  const key = $("key").value.trim();
  const me = await Field.api("/api/me", { key });
  if (!me.ok || !["processor", "admin"].includes(me.body.role)) return message(Field.t("signin.bad"), "error");
  localStorage.setItem("teatrace.station.key", key);
  state.key = key;
  message("");
  await start();
}

async function start() {
  $("signin").classList.toggle("hidden", !!state.key);
  $("main").classList.toggle("hidden", !state.key);
  if (!state.key) return;
  const me = await call("/api/me");
  if (!me.ok) return;
  state.me = me.body;
  $("who").textContent = me.body.org.name;
  const params = new URLSearchParams(location.search);
  await showLedger();
  if (params.get("c")) await scanned(`/c/${params.get("c")}`);
  if (params.get("h")) await scanned(`H:${params.get("h")}`);
  if (params.get("b")) await scanned(`B:${params.get("b")}`);
}

// A tag's text: a link …/h/{code}, …/b/{code} or …/c/{number}, a station link ?h= or ?b=, or the code itself
// (a certificate's number is 12 letters and digits, often typed in groups of four).
function parse(text) {
  const value = text.trim();
  const certificate = value.match(/\/c\/([0-9A-Za-z-]+)\/?(?:[?#].*)?$/) || value.match(/^([0-9A-Za-z]{4}[- ]?[0-9A-Za-z]{4}[- ]?[0-9A-Za-z]{4})$/);
  if (certificate) return { kind: "c", code: certificate[1].replace(/[- ]/g, "") };
  const link = value.match(/\/([hb])\/([^/?#\s]+)\/?(?:[?#].*)?$/i) || value.match(/[?&]([hb])=([^&#\s]+)/i);
  if (link) return { kind: link[1].toLowerCase(), code: decodeURIComponent(link[2]) };
  const prefixed = value.match(/^([HB])([:-])(.+)$/i);
  if (prefixed) return { kind: prefixed[1].toLowerCase(), code: prefixed[2] === ":" ? prefixed[3] : value };
  return null;
}

async function scanned(text) {
  const tag = parse(text);
  if (!tag) return message(Field.t("scan.unknown", text), "error");
  if (tag.kind === "c") await openCertificate(tag.code);
  else if (tag.kind === "h") await addHarvest(tag.code);
  else await openBatch(tag.code);
}

// ---- the gate: a load arrives with its certificate

async function openCertificate(number) {
  const result = await call(`/api/certificates/${encodeURIComponent(number)}`);
  if (!result.ok) return;
  const c = result.body;
  state.certificate = c;
  $("gate").classList.remove("hidden");
  $("gate").dataset.status = c.status;
  $("gate-number").textContent = c.displayNo;
  $("gate-from").textContent = Field.t("gate.from", c.issuer.name, c.issuedAt.slice(0, 16).replace("T", " "), c.kg, Field.t(`basis.${c.basis}`));
  $("gate-status").textContent = Field.t(`gate.status.${c.status}`);
  $("gate-harvests").replaceChildren(...c.harvests.map((h) => {
    const li = document.createElement("li");
    li.textContent = `${h.harvestCode} · ${h.town} · ${h.cultivar} · ${h.pickedOn} · ${h.kg} kg`;
    return li;
  }));
  $("gate-kg").value = c.kg;
  $("gate-at").value = Field.localInput(new Date());
  $("gate-form").classList.toggle("hidden", c.status !== "issued");
}

async function receive() {
  const c = state.certificate;
  const body = { certificateNo: c.certificateNo, receivedAt: Field.withOffset($("gate-at").value), receivedKg: Number($("gate-kg").value) };
  const result = await call("/api/leaf-receipts", { method: "POST", body, idempotencyKey: Field.uuid() });
  if (!result.ok) return;
  await openCertificate(c.certificateNo);
  for (const line of result.body.harvests) await addHarvest(line.harvestCode);
  message(Field.t("gate.received", result.body.receivedKg), "ok");
  await showLedger();
}

async function reject() {
  const c = state.certificate;
  const body = { certificateNo: c.certificateNo, reason: $("gate-reason").value.trim() };
  const result = await call("/api/leaf-rejections", { method: "POST", body, idempotencyKey: Field.uuid() });
  if (!result.ok) return;
  await openCertificate(c.certificateNo);
  message(Field.t("gate.rejectedDone"), "ok");
}

// ---- the purchase ledger (收购台账): the day's loads, printable

async function showLedger() {
  if (!$("ledger-day").value) $("ledger-day").value = Field.localDate();
  const result = await call(`/api/orgs/${encodeURIComponent(state.me.org.id)}/purchases?day=${$("ledger-day").value}`);
  if (!result.ok) return;
  const day = result.body;
  const head = document.createElement("tr");
  for (const col of Field.t("ledger.cols").split("|")) { const th = document.createElement("th"); th.textContent = col; head.appendChild(th); }
  const rows = day.receipts.map((r) => {
    const tr = document.createElement("tr");
    tr.dataset.certificate = r.certificateNo;
    for (const value of [r.receivedAt.slice(11, 16), r.certificateNo, r.sellerName, Field.t(`basis.${r.basis}`), r.soldKg, r.receivedKg, r.pricePerKgCny ?? "—"]) {
      const td = document.createElement("td");
      td.textContent = value;
      tr.appendChild(td);
    }
    return tr;
  });
  $("ledger-table").replaceChildren(head, ...rows);
  $("ledger-total").textContent = Field.t("ledger.total", day.loads, day.soldKg, day.receivedKg);
  $("ledger-org").textContent = `${day.orgName} · ${day.day}`;
}

async function addHarvest(code) {
  const result = await call(`/api/harvests/${encodeURIComponent(code)}`);
  if (!result.ok) return;
  const harvest = result.body;
  // A factory draws only leaf it received: heldKg is what it holds of this harvest.
  const available = harvest.heldKg ?? harvest.remainingKg;
  if (available <= 0) return message(Field.t("assembly.empty"), "error");
  if (!state.leaf.some((l) => l.id === harvest.id)) state.leaf.push({ ...harvest, kg: available });
  message(Field.t("assembly.added", harvest.code, available), "ok");
  if (!$("batch-start").value) $("batch-start").value = Field.localInput(new Date());
  renderAssembly();
}

function renderAssembly() {
  $("assembly").classList.toggle("hidden", state.leaf.length === 0);
  $("claims-gi").checked = state.leaf.every((l) => l.giEligible);
  $("leaf").replaceChildren(...state.leaf.map((leaf) => {
    const li = document.createElement("li");
    li.dataset.harvest = leaf.code;
    li.innerHTML = `<div class="record-title"><span class="code"></span></div><div class="record-meta"></div>`;
    li.querySelector(".code").textContent = leaf.code;
    li.querySelector(".record-meta").textContent = `${leaf.town} · ${leaf.cultivar} · ${leaf.pickedOn}${leaf.giEligible ? " · GI" : ""}`;
    const kg = document.createElement("input");
    kg.type = "number";
    kg.inputMode = "decimal";
    kg.step = "0.001";
    kg.value = leaf.kg;
    kg.setAttribute("aria-label", `${leaf.code} kg`);
    kg.addEventListener("change", () => { leaf.kg = Number(kg.value); });
    li.appendChild(kg);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "small secondary";
    remove.textContent = Field.t("assembly.remove");
    remove.addEventListener("click", () => { state.leaf = state.leaf.filter((l) => l !== leaf); renderAssembly(); });
    li.appendChild(remove);
    return li;
  }));
}

async function startBatch() {
  const body = {
    factoryOrgId: state.me.org.id,
    startedAt: Field.withOffset($("batch-start").value),
    claimsGi: $("claims-gi").checked,
    inputs: state.leaf.map((l) => ({ harvestId: l.id, kg: Math.round(l.kg * 1000) / 1000 })),
  };
  const result = await call("/api/batches", { method: "POST", body, idempotencyKey: Field.uuid() });
  if (!result.ok) return;
  state.leaf = [];
  renderAssembly();
  showBatch(result.body);
  message(Field.t("batch.started", result.body.code), "ok");
}

async function openBatch(code) {
  const result = await call(`/api/batches/${encodeURIComponent(code)}`);
  if (result.ok) showBatch(result.body);
}

function showBatch(batch) {
  state.batch = batch;
  $("batch").classList.remove("hidden");
  $("batch").dataset.status = batch.status;
  $("batch").dataset.next = batch.nextStep || "";
  $("batch-code").textContent = batch.code;
  $("batch-tag").href = `/b/${encodeURIComponent(batch.code)}/tag`;
  $("batch-summary").textContent = `${batch.freshLeafKg} kg${batch.claimsGi ? " · GI" : ""} · ${batch.status}`;
  $("steps").replaceChildren(...batch.steps.map((s) => {
    const li = document.createElement("li");
    li.textContent = `${Field.t(s.step)} · ${s.startedAt.slice(5, 16).replace("T", " ")} → ${s.endedAt.slice(5, 16).replace("T", " ")}`;
    return li;
  }));
  const processing = batch.status === "processing";
  $("step-form").classList.toggle("hidden", !processing || !batch.nextStep);
  $("complete-form").classList.toggle("hidden", !processing || !!batch.nextStep);
  if (processing && batch.nextStep) {
    $("next-step").textContent = Field.t("step.next", Field.t(batch.nextStep));
    const last = batch.steps.length ? new Date(batch.steps[batch.steps.length - 1].endedAt) : new Date(batch.startedAt);
    const from = new Date(last.getTime() + 60000);
    const to = new Date(Math.min(from.getTime() + 3600000, Date.now()));
    $("step-start").value = Field.localInput(from);
    $("step-end").value = Field.localInput(to);
  } else if (processing) {
    $("completed-at").value = Field.localInput(new Date());
  } else if (batch.completion) {
    message(Field.t("batch.done", batch.completion.madeTeaKg, `${(batch.completion.yieldRatio * 100).toFixed(1)}%`), "ok");
  }
}

async function recordStep() {
  const batch = state.batch;
  const startedAt = Field.withOffset($("step-start").value);
  const endedAt = Field.withOffset($("step-end").value);
  const body = { step: batch.nextStep, startedAt, endedAt };
  if ($("temperature").value !== "" && $("humidity").value !== "") {
    body.readings = [{ at: endedAt, temperatureC: Number($("temperature").value), humidityPct: Number($("humidity").value) }];
  }
  const result = await call(`/api/batches/${encodeURIComponent(batch.id)}/steps`, { method: "POST", body, idempotencyKey: Field.uuid() });
  if (!result.ok) return;
  message(Field.t("step.saved", Field.t(result.body.step)), "ok");
  await openBatch(batch.id);
}

async function complete() {
  const body = {
    completedAt: Field.withOffset($("completed-at").value),
    madeTeaKg: Math.round(Number($("made-kg").value) * 1000) / 1000,
    style: $("style").value,
    grade: $("grade").value,
  };
  if ($("moisture").value !== "") body.moisturePct = Number($("moisture").value);
  if ($("override").value.trim()) body.overrideReason = $("override").value.trim();
  const result = await call(`/api/batches/${encodeURIComponent(state.batch.id)}/complete`, { method: "POST", body, idempotencyKey: Field.uuid() });
  if (result.ok) showBatch(result.body);
}

// ---- reading QR codes

async function decode(source, width, height) {
  if ("BarcodeDetector" in window) {
    try {
      const found = await new BarcodeDetector({ formats: ["qr_code"] }).detect(source);
      if (found.length) return found[0].rawValue;
    } catch (e) {
      // fall back to jsQR below
    }
  }
  const canvas = $("frame");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(source, 0, 0, width, height);
  const image = context.getImageData(0, 0, width, height);
  const code = window.jsQR ? jsQR(image.data, width, height) : null;
  return code ? code.data : null;
}

async function camera() {
  if (state.stream) return stopCamera();
  try {
    state.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  } catch (e) {
    return message(Field.t("scan.nocamera", e.message), "error");
  }
  const video = $("video");
  video.srcObject = state.stream;
  video.classList.remove("hidden");
  await video.play();
  const tick = async () => {
    if (!state.stream) return;
    if (video.readyState >= 2) {
      const text = await decode(video, video.videoWidth, video.videoHeight);
      if (text) { stopCamera(); return scanned(text); }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

function stopCamera() {
  state.stream?.getTracks().forEach((t) => t.stop());
  state.stream = null;
  $("video").classList.add("hidden");
}

async function photo() {
  const file = $("photo").files[0];
  if (!file) return;
  const bitmap = await createImageBitmap(file);
  const text = await decode(bitmap, bitmap.width, bitmap.height);
  $("photo").value = "";
  return text ? scanned(text) : message(Field.t("scan.none"), "error");
}

document.addEventListener("DOMContentLoaded", async () => {
  Field.translate();
  $("lang").textContent = Field.state.lang === "en" ? "中文" : "English";
  $("lang").addEventListener("click", () => {
    Field.setLanguage(Field.state.lang === "en" ? "zh" : "en");
    $("lang").textContent = Field.state.lang === "en" ? "中文" : "English";
    if (state.batch) showBatch(state.batch);
    renderAssembly();
  });
  $("signin-button").addEventListener("click", signIn);
  $("code-go").addEventListener("click", () => { scanned($("code").value); $("code").value = ""; });
  $("code").addEventListener("keydown", (e) => { if (e.key === "Enter") $("code-go").click(); });
  $("camera").addEventListener("click", camera);
  $("photo").addEventListener("change", photo);
  $("start-batch").addEventListener("click", startBatch);
  $("record-step").addEventListener("click", recordStep);
  $("complete").addEventListener("click", complete);
  $("gate-receive").addEventListener("click", receive);
  $("gate-reject").addEventListener("click", reject);
  $("ledger-show").addEventListener("click", showLedger);
  $("ledger-print").addEventListener("click", () => window.print());
  $("signout").addEventListener("click", () => { localStorage.removeItem("teatrace.station.key"); location.href = "/station/"; });
  await start();
});
