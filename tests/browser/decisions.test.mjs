import assert from "node:assert/strict";
import { test } from "node:test";
import { credentialWarning } from "../../web/js/lib/credentials.js";
import { badgesOfLastRun, facets, filterRows, rowsFromAudit, rowsFromHistory, viewUrl } from "../../web/js/lib/decisions.js";

const blocked = JSON.stringify({ code: "content_safe_check_failed", stage: "text", level: "unsafe",
  categories: ["sexual"], node_id: "12", reason: "content flagged as unsafe: sexual" });

function entry(start, prompt, outputs, messages = []) {
  return { prompt: [0, "x", prompt, { client_id: "c1" }, []], outputs,
    status: { messages: [["execution_start", { timestamp: start }], ...messages] } };
}

const history = {
  old: entry(1000, { 5: { class_type: "ContentSafetySaveImage" } }, {
    5: { images: [{ filename: "a_00001_.png", subfolder: "cs", type: "output" }],
      safety: [{ level: "controversial", categories: ["pii"], action: "saved" }] } }),
  new: entry(2000, { 12: { class_type: "ContentSafetyTextCheck" }, 3: { class_type: "ContentSafetyImageCheck" } },
    { 3: { safety: [{ level: "safe", categories: [], index: 0 }, { level: "safe", categories: [], index: 2 }] } },
    [["execution_error", { node_id: "12", node_type: "ContentSafetyTextCheck", exception_message: blocked, timestamp: 2100 }],
      ["execution_error", { node_id: "7", exception_message: "not ours" }]]),
};

test("history rows: one per pack node and per pack error, newest run first", () => {
  const rows = rowsFromHistory(history);
  assert.deepEqual(rows.map((r) => [r.prompt_id, r.node_id, r.level, r.action]),
    [["new", "3", "safe", "passed"], ["new", "12", "unsafe", "raised"], ["old", "5", "controversial", "saved"]]);
  assert.deepEqual(rows[2].images, [{ filename: "a_00001_.png", subfolder: "cs", type: "output" }]);
  assert.equal(rows[1].stage, "text");
  assert.equal(rows[0].client_id, "c1");
});

test("audit rows (Decision records) map to the same shape", () => {
  const [row] = rowsFromAudit([{ time: 1.5, stage: "image_save", action: "substituted", node_id: "9", user: "alice",
    verdicts: [{ level: "unsafe", categories: ["sexual"] }], outputs: ["cs/x_00001_blocked.png", "top.png"] }]);
  assert.equal(row.time, 1500);
  assert.deepEqual([row.level, row.categories, row.user, row.action], ["unsafe", ["sexual"], "alice", "substituted"]);
  assert.deepEqual(row.images.map((i) => [i.subfolder, i.filename]), [["cs", "x_00001_blocked.png"], ["", "top.png"]]);
});

test("flat audit-store rows keep their level and comma-separated categories", () => {
  const [row, failed] = rowsFromAudit([{ time: 2, stage: "text", action: "raised", level: "unsafe", categories: "sexual,hate", user: "u" },
    { time: 3, stage: "text", action: "error", level: "unsafe", categories: "" }]);
  assert.deepEqual([row.level, row.categories, row.images], ["unsafe", ["sexual", "hate"], []]);
  assert.equal(failed.level, "error");
});

test("filters by level, category, node and user", () => {
  const rows = rowsFromHistory(history);
  assert.deepEqual(filterRows(rows, { level: "unsafe" }).map((r) => r.node_id), ["12"]);
  assert.deepEqual(filterRows(rows, { category: "pii" }).map((r) => r.node_id), ["5"]);
  assert.deepEqual(filterRows(rows, { node: "imagecheck" }).map((r) => r.node_id), ["3"]);
  assert.deepEqual(filterRows(rows, { user: "c1" }).length, 3);
  assert.deepEqual(filterRows(rows, { user: "bob" }), []);
  assert.deepEqual(facets(rows), { levels: ["controversial", "safe", "unsafe"], categories: ["pii", "sexual"] });
});

test("a reload restores the badges of the newest run only, cached nodes included", () => {
  const badges = badgesOfLastRun(history);
  assert.deepEqual([...badges.keys()].sort(), ["12", "3"]);
  assert.deepEqual(badges.get("12"), { type: "ContentSafetyTextCheck", summary: { level: "unsafe", categories: ["sexual"] } });
  assert.equal(badgesOfLastRun({}).size, 0);
});

test("thumbnail URLs go through /view", () => {
  assert.equal(viewUrl({ filename: "a b.png", subfolder: "cs", type: "output" }), "/api/view?filename=a+b.png&subfolder=cs&type=output");
});

const status = {
  default_policy: "normal",
  policies: { normal: { remote_text_checkers: ["aliyun"], remote_image_checkers: ["aliyun"] },
    offline: { remote_text_checkers: [], remote_image_checkers: [] } },
  providers: { aliyun: { credentials: { present: false, reason: "no Alibaba Cloud credentials" } },
    llm: { credentials: { present: false, reason: "not set" } } },
};

test("remote and auto checks without credentials warn; local ones and other setups do not", () => {
  const text = (values) => credentialWarning("ContentSafetyTextCheck", { enable_safe_check: true, policy: "normal", ...values }, status);
  assert.deepEqual(text({ check_mode: "remote" }), { provider: "aliyun", reason: "no Alibaba Cloud credentials" });
  assert.ok(text({ check_mode: "auto" }));
  assert.equal(text({ check_mode: "local" }), null);
  assert.equal(text({ check_mode: "remote", enable_safe_check: false }), null);
  assert.equal(text({ check_mode: "remote", policy: "offline" }), null);
  assert.equal(credentialWarning("ContentSafetySaveImage", { check_mode: "remote", policy: "normal" },
    { ...status, providers: { ...status.providers, aliyun: { credentials: { present: true } } } }), null);
  assert.equal(credentialWarning("ContentSafetyLLMJudge", { llm_mode: "remote" }, status).provider, "llm");
  assert.equal(credentialWarning("ContentSafetyLLMJudge", { llm_mode: "local" }, status), null);
  assert.equal(credentialWarning("ContentSafetyTextCheck", { check_mode: "remote" }, null), null);
});
