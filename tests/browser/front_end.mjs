// Drives ComfyUI's page in the system Chromium (playwright-core, never a downloaded browser):
// loads every example workflow as the template browser does, runs two of them and checks the
// badge, the toast, the credentials warning, the blur, the sidebar and the badges after a reload.
// Usage: node tests/browser/front_end.mjs <ComfyUI URL> <screenshot dir>
// Prints one JSON line of what it saw; exits 1 with the reason when a check fails.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [url, shots = tmpdir()] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const UNSAFE = "hardcore porn, 色情";
const WAIT = { timeout: 90_000 };
const seen = {};

const profile = mkdtempSync(join(tmpdir(), "cs-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM, headless: true, viewport: { width: 1600, height: 1000 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = context.pages()[0] ?? await context.newPage();
const errors = [];
page.on("pageerror", (error) => errors.push(String(error)));

async function ready() {
  await page.waitForFunction(() => window.comfyAPI?.app?.app?.graph && window.comfyAPI.app.app.extensionManager?.toast
    && window.comfyAPI.app.app.extensions?.some((e) => e.name === "content_safety_guard.front_end")
    && window.comfyAPI.app.app.extensionManager.workflow?.activeWorkflow, null, WAIT); // the start-up workflow is in
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

try {
  await page.goto(url, WAIT);
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
      out[name] = { nodes: app.graph.nodes.length, expected: workflow.nodes.length,
        unknown: app.graph.nodes.filter((n) => !known[n.type]).map((n) => n.type) };
    }
    return out;
  });
  for (const [name, info] of Object.entries(seen.templates)) {
    if (info.nodes !== info.expected || info.unknown.length) throw new Error(`template ${name}: ${JSON.stringify(info)}`);
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
  await page.waitForFunction(thumbnails, null, WAIT);
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
  await page.screenshot({ path: join(shots, "blocked.png") });

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
  await page.screenshot({ path: join(shots, "sidebar.png") });
  seen.pageErrors = errors;
  console.log(JSON.stringify(seen));
} catch (error) {
  await page.screenshot({ path: join(shots, "failure.png") }).catch(() => {});
  console.log(JSON.stringify(seen));
  console.error(`browser check failed: ${error.stack ?? error}\npage errors: ${errors.join("\n")}`);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
