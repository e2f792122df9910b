import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { translator } from "../../web/js/lib/i18n.js";
import { badgeText, parseSafetyError, summarise, summariseError, toastFor } from "../../web/js/lib/verdicts.js";

const locales = (lang) => JSON.parse(readFileSync(new URL(`../../locales/${lang}/main.json`, import.meta.url)));
const served = { en: locales("en"), zh: locales("zh") }; // the shape of GET /i18n
const en = translator(served, "en");
const zh = translator(served, "zh-CN");

test("the worst level wins and categories merge in order", () => {
  const summary = summarise([{ level: "safe", categories: [] }, { level: "unsafe", categories: ["sexual"] },
    { level: "controversial", categories: ["pii", "sexual"] }]);
  assert.deepEqual(summary, { level: "unsafe", categories: ["sexual", "pii"] });
  assert.deepEqual(summarise([{ provider: "disabled", level: "safe" }]), { level: "off", categories: [] });
  assert.deepEqual(summarise([]), { level: "safe", categories: [] });
});

test("badges speak the user's language", () => {
  const summary = { level: "unsafe", categories: ["sexual", "violence"] };
  assert.equal(badgeText(summary, en), "unsafe: sexual, violence");
  assert.equal(badgeText(summary, zh), "不安全：色情、暴力");
  assert.equal(badgeText({ level: "safe", categories: [] }, zh), "安全");
  assert.equal(badgeText({ level: "unsafe", categories: ["brand_new"] }, en), "unsafe: brand_new");
});

test("only the pack's JSON errors are parsed", () => {
  const payload = { code: "content_safe_check_failed", stage: "text", level: "unsafe", categories: ["sexual"], node_id: "12" };
  assert.deepEqual(parseSafetyError(JSON.stringify(payload)), payload);
  assert.equal(parseSafetyError('{"code": "other"}'), null);
  assert.equal(parseSafetyError("CUDA out of memory"), null);
  assert.equal(parseSafetyError("{broken"), null);
  assert.equal(parseSafetyError(undefined), null);
  assert.deepEqual(summariseError({ code: "content_safe_check_error" }), { level: "error", categories: [] });
});

test("a blocked run's toast names the node, the stage and the categories", () => {
  const error = { code: "content_safe_check_failed", stage: "image_save", level: "unsafe", categories: ["sexual"], node_id: "9" };
  const message = toastFor(error, "Save", zh);
  assert.equal(message.severity, "error");
  assert.equal(message.summary, "内容安全检测终止了运行");
  assert.equal(message.detail, "Save（图像保存）：不安全：色情");
  const failed = toastFor({ code: "content_safe_check_error", stage: "text", reason: "timeout", node_id: "4" }, "", en);
  assert.equal(failed.severity, "warn");
  assert.match(failed.detail, /#4 \(text check\).*timeout/);
});

test("a refused prompt quota says how many runs, the limit and when to retry", () => {
  const error = { code: "quota_exceeded", stage: "quota", level: "unsafe", node_id: "3",
    evidence: [{ user: "u", used: 5, limit: 5, retry_after_s: 41.2 }] };
  assert.deepEqual(parseSafetyError(JSON.stringify(error)), error);
  const message = toastFor(error, "Gate", zh);
  assert.equal(message.severity, "warn");
  assert.equal(message.summary, "内容安全：已达提示词配额");
  assert.equal(message.detail, "Gate：最近一小时已运行 5 次，允许 5 次；42 秒后可重试");
});

test("English fills in what a language misses, and unknown locales fall back to English", () => {
  const partial = translator({ en: served.en, fr: { contentSafety: { level: { safe: "sûr" } } } }, "fr-FR");
  assert.equal(partial("contentSafety.level.safe"), "sûr");
  assert.equal(partial("contentSafety.level.unsafe"), "unsafe");
  assert.equal(translator(served, "de")("contentSafety.level.unsafe"), "unsafe");
  assert.equal(en("contentSafety.nothing", {}, "fallback"), "fallback");
});

test("every message key of English exists in Chinese", () => {
  const keys = (tree, prefix = "") => Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]);
  assert.deepEqual(keys(locales("zh").contentSafety).sort(), keys(locales("en").contentSafety).sort());
});
