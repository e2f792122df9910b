// Verdict badges for the content-safety nodes: after a run, each node of this pack shows
// "safe", "controversial: pii" or "unsafe: sexual, violence" at the right of its title bar,
// from the `ui.safety` verdicts it reports (or the JSON error of a run it failed). A new run
// clears them; nodes that ComfyUI serves from its cache in that run keep theirs.
import { app } from "../../scripts/app.js";
import { api } from "../../scripts/api.js";

const PREFIX = "ContentSafety"; // every node id of this pack (category names get translated)
const RANK = { safe: 0, controversial: 1, unsafe: 2 };
const COLOURS = { safe: "#2e7d32", controversial: "#b7791f", unsafe: "#c62828", off: "#616161" };
const badged = new Set(); // nodes that show a badge
let previous = new Map(); // node id -> badge of the run before, for nodes the next run caches

/** The worst verdict of a node's list decides its badge; categories of all are merged. */
function summarise(verdicts) {
  let level = "safe";
  const categories = new Set();
  for (const v of verdicts) {
    if ((RANK[v.level] ?? 0) > RANK[level]) level = v.level;
    for (const c of v.categories ?? []) categories.add(c);
  }
  if (verdicts.length > 0 && verdicts.every((v) => v.provider === "disabled")) {
    return { level: "off", text: "not checked" }; // enable_safe_check was off
  }
  const names = [...categories].join(", ");
  return { level, text: names ? `${level}: ${names}` : level };
}

function findNode(id) {
  if (id === undefined || id === null) return null;
  const graph = app.graph;
  return graph.getNodeById(id) ?? graph.getNodeById(String(id).split(":")[0]) ?? null;
}

function setBadge(id, badge) {
  const node = findNode(id);
  if (!node) return;
  node.contentSafetyBadge = badge;
  badged.add(node);
  node.setDirtyCanvas?.(true, true);
}

function clearBadges() {
  previous = new Map();
  for (const node of badged) {
    previous.set(String(node.id), node.contentSafetyBadge);
    delete node.contentSafetyBadge;
    node.setDirtyCanvas?.(true, true);
  }
  badged.clear();
}

function restoreCached({ detail }) {
  for (const id of detail?.nodes ?? []) {
    const badge = previous.get(String(id));
    if (badge) setBadge(id, badge);
  }
}

function drawBadge(ctx, node) {
  const badge = node.contentSafetyBadge;
  if (!badge || node.flags?.collapsed) return;
  const titleHeight = globalThis.LiteGraph?.NODE_TITLE_HEIGHT ?? 30;
  ctx.save();
  ctx.font = "bold 12px sans-serif";
  const width = ctx.measureText(badge.text).width + 12;
  const x = node.size[0] - width - 6; // inside the title bar: above it sits ComfyUI's own badge
  const y = -titleHeight + (titleHeight - 18) / 2;
  ctx.fillStyle = COLOURS[badge.level] ?? COLOURS.unsafe;
  ctx.beginPath();
  if (ctx.roundRect) ctx.roundRect(x, y, width, 18, 5);
  else ctx.rect(x, y, width, 18);
  ctx.fill();
  ctx.fillStyle = "#fff";
  ctx.textBaseline = "middle";
  ctx.fillText(badge.text, x + 6, y + 9);
  ctx.restore();
}

app.registerExtension({
  name: "content_safety_guard.verdict_badges",

  async setup() {
    api.addEventListener("execution_start", clearBadges);
    api.addEventListener("execution_cached", restoreCached);
    api.addEventListener("executed", ({ detail }) => {
      const verdicts = detail?.output?.safety;
      if (Array.isArray(verdicts) && verdicts.length) {
        setBadge(detail.display_node ?? detail.node, summarise(verdicts));
      }
    });
    api.addEventListener("execution_error", ({ detail }) => {
      let error;
      try {
        error = JSON.parse(detail?.exception_message ?? "");
      } catch {
        return; // not a content-safety error
      }
      if (typeof error?.code !== "string" || !error.code.startsWith("content_safe_check")) return;
      const failed = error.code === "content_safe_check_error";
      setBadge(detail.node_id, failed
        ? { level: "unsafe", text: "check failed" }
        : summarise([{ level: error.level ?? "unsafe", categories: error.categories ?? [] }]));
    });
  },

  async beforeRegisterNodeDef(nodeType, nodeData) {
    if (!nodeData.name?.startsWith(PREFIX)) return;
    const draw = nodeType.prototype.onDrawForeground;
    nodeType.prototype.onDrawForeground = function (ctx, ...rest) {
      const result = draw?.apply(this, [ctx, ...rest]);
      drawBadge(ctx, this);
      return result;
    };
  },
});
