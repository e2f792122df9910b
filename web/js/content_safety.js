// The pack's front end on ComfyUI's frontend (1.27+ extension API):
// - verdict badges on the pack's nodes ("safe", "unsafe: sexual"), in the user's language,
//   restored after a reload from the last run in /history (cached nodes included);
// - a toast when a check stopped a run (stage, categories, node), not only the raw JSON;
// - a warning badge and toast before a run when a remote check has no credentials
//   (GET /content_safety/status);
// - blurred previews of images a check flagged, and a sidebar tab of recent decisions.
// The logic lives in ./lib (pure modules, `node --test tests/js`); this file wires it to ComfyUI.
import { app } from "../../scripts/app.js";
import { api } from "../../scripts/api.js";
import { credentialWarning } from "./lib/credentials.js";
import { badgesOfLastRun } from "./lib/decisions.js";
import { translator } from "./lib/i18n.js";
import { mountSidebar } from "./lib/sidebar.js";
import { badgeText, parseSafetyError, summarise, summariseError, toastFor } from "./lib/verdicts.js";

const PREFIX = "ContentSafety"; // every node id of this pack
const COLOURS = { safe: "#2e7d32", controversial: "#b7791f", unsafe: "#c62828", error: "#c62828",
  off: "#616161", warn: "#e65100" };
const TRANSLATED_COMBOS = ["check_mode", "on_unsafe", "llm_mode", "prompt_role"];
const SETTINGS = { badges: "ContentSafety.ShowBadges", blur: "ContentSafety.BlurFlagged",
  warn: "ContentSafety.WarnCredentials" };
const badged = new Set(); // nodes that show a verdict badge
let previous = new Map(); // node id -> summary of the run before, for nodes the next run caches
let served = null; // /i18n, fetched once
let status = null; // /content_safety/status, refreshed before each run
let runFlagged = false; // a check of the running prompt flagged something: blur its previews
const blurred = new Set();

const setting = (id) => app.extensionManager?.setting?.get(id);
let translate = { locale: null, served: null, t: null }; // rebuilt when the language changes
const t = (...args) => {
  const locale = setting("Comfy.Locale") ?? navigator.language;
  if (translate.locale !== locale || translate.served !== served) {
    translate = { locale, served, t: translator(served, locale) };
  }
  return translate.t(...args);
};
const toast = (message) => app.extensionManager?.toast?.add(message);

function findNode(id) {
  if (id === undefined || id === null || !app.graph) return null;
  return app.graph.getNodeById(id) ?? app.graph.getNodeById(String(id).split(":")[0]) ?? null;
}

function setBadge(id, summary) {
  const node = findNode(id);
  if (!node) return;
  node.contentSafetySummary = summary;
  badged.add(node);
  node.setDirtyCanvas?.(true, true);
}

function clearRun() {
  previous = new Map();
  for (const node of badged) {
    previous.set(String(node.id), node.contentSafetySummary);
    delete node.contentSafetySummary;
    node.setDirtyCanvas?.(true, true);
  }
  badged.clear();
  for (const node of blurred) delete node.contentSafetyBlur;
  blurred.clear();
  runFlagged = false;
}

function restoreCached({ detail }) {
  for (const id of detail?.nodes ?? []) {
    const summary = previous.get(String(id));
    if (summary) setBadge(id, summary);
  }
}

function blur(id) {
  const node = findNode(id);
  if (!node) return;
  node.contentSafetyBlur = true;
  blurred.add(node);
}

function onExecuted({ detail }) {
  const id = detail?.display_node ?? detail?.node;
  const verdicts = detail?.output?.safety;
  if (Array.isArray(verdicts) && verdicts.length) {
    const summary = summarise(verdicts);
    setBadge(id, summary);
    if (summary.level === "controversial" || summary.level === "unsafe") runFlagged = true;
  }
  if (runFlagged && detail?.output?.images?.length) blur(id);
}

function onError({ detail }) {
  const error = parseSafetyError(detail?.exception_message);
  if (!error) return;
  setBadge(detail.node_id, summariseError(error));
  const node = findNode(detail.node_id);
  toast(toastFor(error, node?.title ?? detail.node_type, t));
}

/** Badges of the last run (ran or cached), by node id and type, after a (re)load. */
async function restoreFromHistory() {
  try {
    const response = await api.fetchApi("/history?max_items=1");
    const badges = badgesOfLastRun(await response.json());
    for (const [id, { type, summary }] of badges) {
      const node = findNode(id);
      if (node && (!type || node.type === type)) setBadge(id, summary);
    }
  } catch (error) {
    console.warn("content safety: cannot restore badges from /history", error);
  }
}

async function refreshStatus() {
  try {
    const response = await api.fetchApi("/content_safety/status");
    if (response.ok) status = await response.json();
  } catch (error) {
    console.warn("content safety: /content_safety/status unavailable", error);
  }
  app.graph?.setDirtyCanvas?.(true, true);
}

function widgetValues(node) {
  return Object.fromEntries((node.widgets ?? []).map((w) => [w.name, w.value]));
}

function warningOf(node) {
  if (!node.type?.startsWith(PREFIX) || setting(SETTINGS.warn) === false) return null;
  return credentialWarning(node.type, widgetValues(node), status);
}

/** Before a run: a toast per node whose remote check has no credentials on the server. */
async function warnBeforeRun() {
  if (setting(SETTINGS.warn) === false) return;
  await refreshStatus();
  for (const node of app.graph?.nodes ?? []) {
    const warning = warningOf(node);
    if (!warning || node.mode === 4 || node.mode === 2) continue; // bypassed or muted
    const values = widgetValues(node);
    toast({ severity: "warn", life: 10000, summary: t("contentSafety.toast.credentialsTitle"),
      detail: t("contentSafety.toast.credentialsDetail", { node: node.title, reason: warning.reason,
        provider: t(`contentSafety.provider.${warning.provider}`, {}, warning.provider),
        mode: t(`contentSafety.choice.${values.check_mode ?? values.llm_mode}`, {}, values.check_mode ?? values.llm_mode) }) });
  }
}

function drawBadge(ctx, node, text, level) {
  const titleHeight = globalThis.LiteGraph?.NODE_TITLE_HEIGHT ?? 30;
  ctx.save();
  ctx.font = "bold 12px sans-serif";
  const width = ctx.measureText(text).width + 12;
  // above the title bar, on the left: the bar keeps the whole title, and ComfyUI's own
  // badges (the node pack's name) sit above it on the right
  const x = 0;
  const y = -titleHeight - 20; // level with those badges
  node.contentSafetyBadgeBox = [x, y, width, 18];
  ctx.fillStyle = COLOURS[level] ?? COLOURS.unsafe;
  ctx.beginPath();
  if (ctx.roundRect) ctx.roundRect(x, y, width, 18, 5);
  else ctx.rect(x, y, width, 18);
  ctx.fill();
  ctx.fillStyle = "#fff";
  ctx.textBaseline = "middle";
  ctx.fillText(text, x + 6, y + 9);
  ctx.restore();
}

function drawBadges(ctx, node) {
  if (node.flags?.collapsed) return;
  const warning = warningOf(node); // a missing credential matters more than the last verdict
  const summary = setting(SETTINGS.badges) !== false ? node.contentSafetySummary : null;
  node.contentSafetyBadgeText = warning ? `⚠ ${t("contentSafety.toast.credentialsTitle")}`
    : summary ? badgeText(summary, t) : null;
  if (node.contentSafetyBadgeText) drawBadge(ctx, node, node.contentSafetyBadgeText, warning ? "warn" : summary.level);
}

/** Blur the canvas image preview of a flagged node (the file itself is what the server wrote). */
function wrapPreview(node) {
  const widget = node.widgets?.find((w) => w.name === "$$canvas-image-preview");
  if (!widget || widget.contentSafetyWrapped) return;
  const draw = widget.drawWidget;
  widget.contentSafetyWrapped = true;
  widget.drawWidget = function (ctx, ...rest) {
    if (!node.contentSafetyBlur || setting(SETTINGS.blur) === false) return draw.call(this, ctx, ...rest);
    ctx.save();
    ctx.filter = "blur(16px)";
    try {
      return draw.call(this, ctx, ...rest);
    } finally {
      ctx.restore();
    }
  };
}

/** Combo widgets keep their English value (saved, sent to the server) but show it translated. */
function translateCombos(node) {
  for (const widget of node.widgets ?? []) {
    if (!TRANSLATED_COMBOS.includes(widget.name)) continue;
    Object.defineProperty(widget, "_displayValue", {
      configurable: true,
      get() {
        return t(`contentSafety.choice.${this.value}`, {}, this.value);
      },
    });
  }
}

app.registerExtension({
  name: "content_safety_guard.verdict_badges", // the name tests and other extensions know it by

  settings: [
    { id: SETTINGS.badges, category: ["Content safety", "Badges", "Show"], name: "Show verdict badges on content-safety nodes",
      type: "boolean", defaultValue: true },
    { id: SETTINGS.blur, category: ["Content safety", "Previews", "Blur"], name: "Blur previews of images a check flagged",
      type: "boolean", defaultValue: true },
    { id: SETTINGS.warn, category: ["Content safety", "Credentials", "Warn"],
      name: "Warn before a run when a remote check has no credentials", type: "boolean", defaultValue: true },
  ],

  async setup() {
    try {
      served = await (await api.fetchApi("/i18n")).json();
    } catch {
      served = {};
    }
    api.addEventListener("execution_start", clearRun);
    api.addEventListener("execution_cached", restoreCached);
    api.addEventListener("executed", onExecuted);
    api.addEventListener("execution_error", onError);
    const queuePrompt = app.queuePrompt;
    app.queuePrompt = async function (...args) {
      await warnBeforeRun();
      return queuePrompt.apply(this, args);
    };
    app.extensionManager?.registerSidebarTab?.({
      id: "content-safety",
      icon: "pi pi-shield",
      title: "contentSafety.sidebar.title", // keys: the frontend translates them (it merges locales/)
      tooltip: "contentSafety.sidebar.tooltip",
      type: "custom",
      render: (element) => mountSidebar(element, { api, t, blurFlagged: () => setting(SETTINGS.blur) !== false }),
    });
    await refreshStatus();
    await restoreFromHistory();
  },

  async afterConfigureGraph() {
    if (served) await restoreFromHistory(); // a workflow (re)loaded after setup
  },

  nodeCreated(node) {
    const draw = node.onDrawBackground;
    node.onDrawBackground = function (...args) {
      const result = draw?.apply(this, args);
      wrapPreview(this);
      return result;
    };
  },

  async beforeRegisterNodeDef(nodeType, nodeData) {
    if (!nodeData.name?.startsWith(PREFIX)) return;
    const created = nodeType.prototype.onNodeCreated;
    nodeType.prototype.onNodeCreated = function (...args) {
      const result = created?.apply(this, args);
      translateCombos(this);
      return result;
    };
    const draw = nodeType.prototype.onDrawForeground;
    nodeType.prototype.onDrawForeground = function (ctx, ...rest) {
      const result = draw?.apply(this, [ctx, ...rest]);
      drawBadges(ctx, this);
      return result;
    };
  },
});
