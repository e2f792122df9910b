// The front end in headless Chromium on the session's ComfyUI (tests/test_browser.py runs
// `node --test tests/browser/`): every example workflow loads as a template, the template
// browser lists and opens them, an unsafe prompt gets a translated toast and badge, a remote
// check without credentials is warned about before the run, a saved image's badge comes back
// after a reload (also when the run was served from the cache), a flagged run's previews are
// blurred, and the sidebar lists and filters the decisions with thumbnails.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { EXTENSION, openComfy, packErrors, skipWithoutComfy } from "./harness.mjs";

const UNSAFE = "hardcore porn, 色情";
const WAIT = { timeout: 120_000 };
const WORKFLOWS = new URL("../../example_workflows/", import.meta.url);
const workflowNames = readdirSync(WORKFLOWS).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
const nodeTypes = (name) => JSON.parse(readFileSync(new URL(`${name}.json`, WORKFLOWS), "utf-8")).nodes.map((n) => n.type).sort();

test("badges, toasts, credentials warning, blur, sidebar and templates", { skip: skipWithoutComfy, timeout: 900_000 }, async (t) => {
  const { page, errors } = await openComfy(t);
  await page.setViewportSize({ width: 1600, height: 1000 });
  const seen = {};

  async function ready() {
    await page.waitForFunction((name) => window.comfyAPI?.app?.app?.graph && window.comfyAPI.app.app.extensionManager?.toast
      && window.comfyAPI.app.app.extensions?.some((e) => e.name === name)
      && window.comfyAPI.app.app.extensionManager.workflow?.activeWorkflow, EXTENSION, WAIT); // the start-up workflow is in
    await inPage(() => window.comfyAPI.app.app.extensionManager.setting.set("Comfy.TutorialCompleted", true));
    await page.waitForTimeout(1000);
  }

  const inPage = (fn, arg) => page.evaluate(fn, arg);
  /** The badge text of the first node of `type`, as drawn now (null without one). */
  const badgeOf = (type) => inPage((kind) => {
    const { app } = window.comfyAPI.app;
    app.canvas.draw(true, true);
    const node = app.graph.nodes.find((n) => n.type === kind);
    return node?.contentSafetySummary ? node.contentSafetyBadgeText : null;
  }, type);
  /** Where the badge of the first node of `type` was drawn, against its title bar: a badge
   *  inside the bar covers the title ("Content Safety Text C…"). */
  const badgeOverTitle = (type) => inPage((kind) => {
    const { app } = window.comfyAPI.app;
    const node = app.graph.nodes.find((n) => n.type === kind);
    const [, y, , h] = node.contentSafetyBadgeBox;
    return y + h > -globalThis.LiteGraph.NODE_TITLE_HEIGHT;
  }, type);

  await ready();
    await inPage(() => window.comfyAPI.app.app.extensionManager.setting.set("Comfy.Locale", "zh"));

    // every example workflow loads as the template browser loads it, with every node type known
    seen.templates = await inPage(async () => {
      const { app } = window.comfyAPI.app;
      const listed = await (await fetch("/api/workflow_templates")).json();
      const out = {};
      for (const name of listed.content_safety_guard) {
        const workflow = await (await fetch(`/api/workflow_templates/content_safety_guard/${name}.json`)).json();
        await app.loadGraphData(workflow, true, false, `${name} ${Date.now()}`); // a fresh tab each time
        const known = globalThis.LiteGraph.registered_node_types;
        const boxes = app.graph.nodes.map((n) => [n.id, [...n.boundingRect]]); // title bar included, as drawn
        const overlap = ([, a], [, b]) => a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
        out[name] = { nodes: app.graph.nodes.length, expected: workflow.nodes.length,
          unknown: app.graph.nodes.filter((n) => !known[n.type]).map((n) => n.type),
          overlapping: boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => overlap(a, b)).map((b) => [a[0], b[0]])) };
      }
      return out;
    });
    for (const [name, info] of Object.entries(seen.templates)) {
      if (info.nodes !== info.expected || info.unknown.length || info.overlapping.length) throw new Error(`template ${name}: ${JSON.stringify(info)}`);
    }

    // the template browser lists the pack's workflows with thumbnails and opens one
    if (!await page.locator(".p-dialog").count()) { // on a first start ComfyUI opens the template browser itself
      await inPage(() => window.comfyAPI.app.app.extensionManager.command.execute("Comfy.BrowseTemplates"));
    }
    await page.locator(".p-dialog").getByText("content_safety_guard", { exact: true }).first().click(WAIT);
    const card = page.locator(".p-dialog").getByText("video_frames_check", { exact: true }).first();
    await card.waitFor(WAIT);
    const thumbnails = () => [...document.querySelectorAll(".p-dialog img")] // blob: URLs of the pack's .jpg files
      .filter((img) => img.complete && img.naturalWidth > 0).length;
    // wait for the thumbnails the assertion counts: under load the first decodes before the rest
    await page.waitForFunction(() => [...document.querySelectorAll(".p-dialog img")]
      .filter((img) => img.complete && img.naturalWidth > 0).length >= 2, null, WAIT);
    seen.templateThumbnails = await inPage(thumbnails);
    await card.click();
    await page.waitForFunction(() => window.comfyAPI.app.app.graph.nodes.some((n) => n.type === "ContentSafetyImageCheck")
      && !document.querySelector(".p-dialog"), null, WAIT);
    seen.templateOpened = await inPage(() => window.comfyAPI.app.app.graph.nodes.map((n) => n.type).sort());

    // an unsafe prompt: the toast in Chinese, the badge on the text check node
    await inPage(async (text) => {
      const { app } = window.comfyAPI.app;
      const workflow = await (await fetch("/api/workflow_templates/content_safety_guard/check_text_preview.json")).json();
      await app.loadGraphData(workflow, true, false, `check_text_preview ${Date.now()}`);
      app.graph.nodes.find((n) => n.type === "PrimitiveStringMultiline").widgets[0].value = text;
      await app.extensionManager.command.execute("Comfy.QueuePrompt"); // what the Run button does
    }, UNSAFE);
    const toast = page.locator(".p-toast-message", { hasText: "内容安全检测终止了运行" });
    await toast.first().waitFor(WAIT);
    seen.toast = (await toast.first().innerText()).replace(/\s+/g, " ");
    await page.waitForFunction(() => window.comfyAPI.app.app.graph.nodes
      .find((n) => n.type === "ContentSafetyTextCheck")?.contentSafetySummary, null, WAIT);
    seen.badge = await badgeOf("ContentSafetyTextCheck");
    seen.comboShown = await inPage(() => window.comfyAPI.app.app.graph.nodes.find((n) => n.type === "ContentSafetyTextCheck")
      .widgets.find((w) => w.name === "on_unsafe")._displayValue);

    // remote without credentials: a warning before the run
    await inPage(async () => {
      const { app } = window.comfyAPI.app;
      const node = app.graph.nodes.find((n) => n.type === "ContentSafetyTextCheck");
      node.widgets.find((w) => w.name === "check_mode").value = "remote";
      await app.extensionManager.command.execute("Comfy.QueuePrompt"); // what the Run button does
    });
    const warning = page.locator(".p-toast-message", { hasText: "内容安全：缺少凭据" });
    await warning.first().waitFor(WAIT);
    seen.credentials = (await warning.first().innerText()).replace(/\s+/g, " ");
    await page.waitForFunction(() => window.comfyAPI.app.app.graph.nodes  // the run then fails closed
      .find((n) => n.type === "ContentSafetyTextCheck")?.contentSafetySummary?.level === "error", null, WAIT);
    seen.warningBadge = await badgeOf("ContentSafetyTextCheck");
    seen.warningOverTitle = await badgeOverTitle("ContentSafetyTextCheck");

    // a safe image saved: the green badge; then a reload restores it from /history
    await inPage(async () => {
      const { app } = window.comfyAPI.app;
      const workflow = await (await fetch("/api/workflow_templates/content_safety_guard/load_image_save.json")).json();
      await app.loadGraphData(workflow, true, false, `load_image_save ${Date.now()}`);
      await app.extensionManager.command.execute("Comfy.QueuePrompt"); // what the Run button does
    });
    const saveBadge = () => window.comfyAPI.app.app.graph.nodes.find((n) => n.type === "ContentSafetySaveImage")?.contentSafetySummary;
    await page.waitForFunction(saveBadge, null, WAIT);
    seen.saveBadge = await badgeOf("ContentSafetySaveImage");
    await inPage(async () => { await window.comfyAPI.app.app.extensionManager.command.execute("Comfy.QueuePrompt"); }); // a second run: served from the cache
    await page.waitForFunction(async () => {
      const history = await (await fetch("/api/history?max_items=1")).json();
      const [entry] = Object.values(history);
      return entry?.status?.messages?.some(([name, data]) => name === "execution_cached" && data.nodes.length > 0);
    }, null, WAIT);
    await page.reload(WAIT);
    await ready();
    await page.waitForFunction(saveBadge, null, WAIT);
    seen.restoredBadge = await badgeOf("ContentSafetySaveImage");

    // a flagged verdict blurs the previews of that run (events as the server sends them)
    await inPage(async () => {
      const { app } = window.comfyAPI.app;
      const { api } = window.comfyAPI.api;
      const history = await (await fetch("/api/history?max_items=1")).json();
      const [entry] = Object.values(history);
      const save = app.graph.nodes.find((n) => n.type === "ContentSafetySaveImage");
      api.dispatchCustomEvent("execution_start", { prompt_id: "p" });
      api.dispatchCustomEvent("executed", { node: String(save.id), display_node: String(save.id), prompt_id: "p",
        output: { images: entry.outputs[String(save.id)].images,
          safety: [{ level: "controversial", categories: ["pii"], provider: "local:pii" }] } });
    });
    await page.waitForFunction(() => {
      const { app } = window.comfyAPI.app;
      app.canvas.draw(true, true);
      const save = app.graph.nodes.find((n) => n.type === "ContentSafetySaveImage");
      return save.contentSafetyBlur && save.widgets?.find((w) => w.name === "$$canvas-image-preview")?.contentSafetyWrapped;
    }, null, WAIT);
    seen.blur = await badgeOf("ContentSafetySaveImage");

    // the sidebar lists the decisions and filters them
    await inPage(() => window.comfyAPI.app.app.extensionManager.command.execute("Workspace.ToggleSidebarTab.content-safety"));
    await page.locator(".content-safety-row").first().waitFor(WAIT);
    seen.sidebarRows = await page.locator(".content-safety-row").count();
    seen.sidebarSource = await page.locator(".content-safety-source").innerText();
    seen.sidebarThumbs = await page.locator(".content-safety-row img.content-safety-thumb").count();
    await page.locator('select[data-filter="level"]').selectOption("unsafe");
    seen.unsafeRows = await page.locator(".content-safety-row").count();
    seen.unsafeLevels = await page.locator(".content-safety-row").evaluateAll((rows) => [...new Set(rows.map((r) => r.dataset.level))]);
    seen.unsafeText = await page.locator(".content-safety-row .content-safety-verdict").first().innerText();

  for (const [name, info] of Object.entries(seen.templates)) {
    assert.deepEqual(info, { nodes: info.expected, expected: info.expected, unknown: [], overlapping: [] }, name);
  }
  assert.deepEqual(Object.keys(seen.templates).sort(), workflowNames);
  assert.ok(seen.templateThumbnails >= 2, `thumbnails: ${seen.templateThumbnails}`);
  assert.deepEqual(seen.templateOpened, nodeTypes("video_frames_check"));
  assert.equal(seen.toast, "内容安全检测终止了运行 内容安全·文本检测（文本检测）：不安全：色情");
  assert.equal(seen.badge, "不安全：色情");
  assert.equal(seen.comboShown, "报错终止");
  assert.match(seen.credentials, /^内容安全：缺少凭据 .*ALIBABA_CLOUD_ACCESS_KEY_ID/);
  assert.equal(seen.warningBadge, "⚠ 内容安全：缺少凭据");
  assert.equal(seen.warningOverTitle, false);
  assert.equal(seen.saveBadge, "安全");
  assert.equal(seen.restoredBadge, "安全");
  assert.equal(seen.blur, "存疑：个人信息");
  assert.match(seen.sidebarSource, /^来自/);
  assert.ok(seen.sidebarRows >= 3 && seen.sidebarThumbs >= 1, JSON.stringify(seen));
  assert.deepEqual(seen.unsafeLevels, ["unsafe"]);
  assert.equal(seen.unsafeText, "不安全：色情");
  assert.deepEqual(packErrors(errors), []);
});
