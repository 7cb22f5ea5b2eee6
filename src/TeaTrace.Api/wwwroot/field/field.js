// Shared by the field pages: words in two languages, API calls that turn refusals into plain words, times with offsets.
"use strict";

const Field = (() => {
  // Words every field page with an outbox uses; each page adds its own.
  const state = {
    lang: localStorage.getItem("teatrace.lang") || "zh",
    words: {
      online: { zh: "在线", en: "Online" },
      offline: { zh: "离线", en: "Offline" },
      "signin.title": { zh: "登录", en: "Sign in" },
      "signin.key": { zh: "密钥", en: "Key" },
      "signin.go": { zh: "登录", en: "Sign in" },
      "signin.bad": { zh: "密钥不正确或已停用。", en: "This key is not accepted." },
      "signin.offline": { zh: "现在没有网络：密钥已保存，联网后核对。", en: "No network: the key is saved and will be checked when online." },
      bud: { zh: "单芽", en: "Bud" },
      bud1leaf: { zh: "一芽一叶", en: "Bud + 1 leaf" },
      bud2leaves: { zh: "一芽二叶", en: "Bud + 2 leaves" },
      bud3leaves: { zh: "一芽三叶", en: "Bud + 3 leaves" },
      save: { zh: "保存", en: "Save" },
      saved: { zh: "已保存在手机上，联网后自动上传。", en: "Saved on this phone; it is sent when there is a network." },
      pending: { zh: "等待同步", en: "Waiting to send" },
      "pending.none": { zh: "全部已同步。", en: "Everything is sent." },
      refused: { zh: "未被接受", en: "Not accepted" },
      discard: { zh: "删除", en: "Discard" },
      signout: { zh: "退出登录", en: "Sign out" },
      "error.http": { zh: "服务器拒绝了这条记录（{0}）。", en: "The server refused this record ({0})." },
      retrying: { zh: "稍后重试（第 {0} 次）", en: "retrying (attempt {0})" },
    },
  };

  function t(key, ...args) {
    const entry = state.words[key];
    let text = entry ? (entry[state.lang] || entry.zh) : key;
    args.forEach((a, i) => { text = text.replace(`{${i}}`, a); });
    return text;
  }

  function translate(root = document) {
    document.documentElement.lang = state.lang === "en" ? "en" : "zh-CN";
    root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  }

  function setLanguage(lang) {
    state.lang = lang;
    localStorage.setItem("teatrace.lang", lang);
    translate();
  }

  // A refusal in plain words: the problem's detail, and each field's message.
  function explain(problem, status) {
    if (!problem) return t("error.http", status);
    const parts = [problem.detail || problem.title || t("error.http", status)];
    if (problem.errors) {
      for (const [field, messages] of Object.entries(problem.errors)) parts.push(`${field}: ${messages.join(" ")}`);
    }
    return parts.filter(Boolean).join(" · ");
  }

  // Returns {ok, status, body, problem, network}: network is true when the request never got an answer.
  async function api(path, { key, method = "GET", body, idempotencyKey } = {}) {
    // Refusals come back in the language the user chose on this page, not the phone's.
    const headers = { Accept: "application/json", "Accept-Language": state.lang === "en" ? "en" : "zh-CN" };
    if (key) headers.Authorization = `Bearer ${key}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
    } catch (e) {
      return { ok: false, status: 0, network: true };
    }
    let parsed = null;
    const text = await response.text();
    try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
    return response.ok
      ? { ok: true, status: response.status, body: parsed }
      : { ok: false, status: response.status, problem: parsed, message: explain(parsed, response.status) };
  }

  const pad = (n) => String(n).padStart(2, "0");
  function localDate(d = new Date()) { return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`; }
  function localInput(d) { return `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`; }
  // A datetime-local value with this phone's offset: RFC 3339, as the API asks.
  function withOffset(value) {
    const d = new Date(value);
    const minutes = -d.getTimezoneOffset();
    const sign = minutes >= 0 ? "+" : "-";
    const abs = Math.abs(minutes);
    return `${localInput(d)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function show(el, text, kind) {
    el.textContent = text;
    el.className = `message ${kind}`;
    el.classList.toggle("hidden", !text);
  }

  return { state, t, translate, setLanguage, api, explain, localDate, localInput, withOffset, uuid, show };
})();
