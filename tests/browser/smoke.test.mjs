// The page loads in headless Chromium and the pack's web extension and nodes are there.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EXTENSION, openComfy, packErrors, skipWithoutComfy } from "./harness.mjs";

test("ComfyUI page loads with the pack's extension and nodes", { skip: skipWithoutComfy }, async (t) => {
  const { page, errors } = await openComfy(t);
  assert.match(await page.title(), /ComfyUI/);
  const seen = await page.evaluate((name) => ({
    extension: window.app.extensions.filter((e) => e.name === name).length,
    nodes: Object.keys(window.LiteGraph.registered_node_types).filter((n) => n.startsWith("ContentSafety")),
  }), EXTENSION);
  assert.equal(seen.extension, 1);
  assert.ok(seen.nodes.includes("ContentSafetyTextCheck"), `registered: ${seen.nodes}`);
  assert.deepEqual(packErrors(errors), []);
});
