// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core, which never
// downloads a browser) on the ComfyUI that tests/test_browser.py starts: it runs
// `node --test tests/browser/` with COMFYUI_URL set. Browser tests import this module:
//
//   import { openComfy, skipWithoutComfy } from "./harness.mjs";
//   test("…", { skip: skipWithoutComfy }, async (t) => {
//     const { page } = await openComfy(t);        // closed again when the test ends
//     await page.evaluate(() => window.app.graph);  // the ComfyUI frontend's `app`
//   });
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const COMFYUI_URL = process.env.COMFYUI_URL ?? "";
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const EXTENSION = "content_safety_guard.verdict_badges";
export const skipWithoutComfy = COMFYUI_URL ? false : "COMFYUI_URL is not set (tests/test_browser.py sets it)";

// As root on a closed network: no sandbox, no GPU, and no background requests to hosts that
// cannot be reached (without these, Chromium keeps retrying them).
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** A fresh browser profile; closed and deleted when `t` (a node:test context) ends. */
export async function launch(t, { locale = "en-US" } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "cs-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, locale,
  });
  t.after(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  return context;
}

/**
 * The ComfyUI page, once the frontend's `app` has its graph and has registered the pack's
 * extension. `errors` collects uncaught page errors and console errors (as text with stack),
 * for tests to assert on with `packErrors`.
 */
export async function openComfy(t, { locale, path = "/" } = {}) {
  const context = await launch(t, { locale });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on("pageerror", (err) => errors.push(err.stack ?? String(err)));
  page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
  await page.goto(new URL(path, COMFYUI_URL).href, { waitUntil: "domcontentloaded" });
  await page.waitForFunction(
    (name) => window.app?.graph && window.app.extensions?.some((e) => e.name === name),
    EXTENSION, { timeout: 120_000 },
  );
  return { context, page, errors };
}

/**
 * The errors that come from the pack: its script in the stack or its name in the message.
 * Others are the frontend's own: frontend 1.27.10 throws "Cannot read properties of undefined
 * (reading 'id')" from a settings onChange on every fresh profile, and a closed network makes
 * its requests to outside hosts fail.
 */
export function packErrors(errors) {
  return errors.filter((e) => /content_safety/i.test(e));
}
