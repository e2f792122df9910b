// Writes example_workflows/<name>.jpg, the thumbnails ComfyUI's template browser shows for a
// custom node's workflows, by opening each one in a running ComfyUI with the system Chromium.
// Usage: node scripts/template_thumbnails.mjs http://127.0.0.1:8188   (after `npm install`)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const url = process.argv[2] ?? "http://127.0.0.1:8188";
const out = new URL("../example_workflows/", import.meta.url).pathname;
const profile = mkdtempSync(join(tmpdir(), "cs-thumbs-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, viewport: { width: 800, height: 800 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.comfyAPI?.app?.app?.extensionManager?.workflow?.activeWorkflow, null,
    { timeout: 90_000 });
  await page.evaluate(async () => {
    const { setting } = window.comfyAPI.app.app.extensionManager;
    for (const [id, value] of [["Comfy.TutorialCompleted", true], ["Comfy.Minimap.Visible", false],
      ["Comfy.Graph.CanvasInfo", false], ["LiteGraph.Canvas.MinFontSizeForLOD", 1], ["ContentSafety.WarnCredentials", false]]) { // no server-specific badge
      await setting.set(id, value);
    }
  });
  await page.keyboard.press("Escape"); // the first-run template dialog
  await page.locator(".p-dialog-mask").waitFor({ state: "detached", timeout: 10_000 }).catch(() => {});
  const names = await page.evaluate(async () => (await (await fetch("/api/workflow_templates")).json()).content_safety_guard);
  for (const name of names) {
    await page.evaluate(async (template) => {
      const { app } = window.comfyAPI.app;
      const workflow = await (await fetch(`/api/workflow_templates/content_safety_guard/${template}.json`)).json();
      await app.loadGraphData(workflow, true, false, `${template} ${Date.now()}`);
      await app.extensionManager.command.execute("Comfy.Canvas.FitView");
      app.canvas.draw(true, true);
    }, name);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, `${name}.jpg`), type: "jpeg", quality: 70,
      clip: { x: 48, y: 80, width: 700, height: 700 } }); // the canvas, square as the cards
    console.log(`${name}.jpg`);
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
