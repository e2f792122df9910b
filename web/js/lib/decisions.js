// Recent decisions for the sidebar, from the audit route's rows or from ComfyUI's /history,
// in one row shape; filters; and the badges a reload restores. Pure: no DOM, no fetch.
import { parseSafetyError, summarise, summariseError } from "./verdicts.js";

export const STAGE_BY_TYPE = {
  ContentSafetyTextCheck: "text",
  ContentSafetyLLMJudge: "llm",
  ContentSafetyImageCheck: "image",
  ContentSafetySaveImage: "image_save",
  ContentSafetyLoadImage: "image_load",
  ContentSafetyQuotaGate: "quota",
};

function startTime(entry) {
  const start = (entry?.status?.messages ?? []).find(([name]) => name === "execution_start");
  return start?.[1]?.timestamp ?? 0;
}

function nodeType(entry, nodeId) {
  return entry?.prompt?.[2]?.[nodeId]?.class_type ?? "";
}

function image(file) {
  return { filename: file.filename, subfolder: file.subfolder ?? "", type: file.type ?? "output" };
}

/** One row per pack node of each run in a /history answer, newest run first. */
export function rowsFromHistory(history) {
  const rows = [];
  const entries = Object.entries(history ?? {}).sort(([, a], [, b]) => startTime(b) - startTime(a));
  for (const [promptId, entry] of entries) {
    const time = startTime(entry);
    const client = entry?.prompt?.[3]?.client_id ?? "";
    for (const [nodeId, output] of Object.entries(entry?.outputs ?? {})) {
      if (!Array.isArray(output?.safety) || !output.safety.length) continue;
      const summary = summarise(output.safety);
      const type = nodeType(entry, nodeId);
      const actions = [...new Set(output.safety.map((v) => v.action).filter(Boolean))];
      rows.push({ source: "history", time, prompt_id: promptId, node_id: nodeId, node_type: type,
        stage: STAGE_BY_TYPE[type] ?? "", ...summary, action: actions.join(", ") || (summary.level === "safe" ? "passed" : "flagged"),
        user: "", client_id: client, images: (output.images ?? []).map(image), reason: "" });
    }
    for (const [name, data] of entry?.status?.messages ?? []) {
      const error = name === "execution_error" ? parseSafetyError(data?.exception_message) : null;
      if (!error) continue;
      const summary = summariseError(error);
      rows.push({ source: "history", time: data.timestamp ?? time, prompt_id: promptId,
        node_id: String(data.node_id ?? error.node_id), node_type: data.node_type ?? "", stage: error.stage,
        ...summary, action: error.code === "content_safe_check_error" ? "error" : "raised",
        user: "", client_id: client, images: [], reason: error.reason ?? "" });
    }
  }
  return rows;
}

/** The level and categories of an audit row: flat store columns, else its verdicts. */
function auditSummary(row) {
  if (row.level) {
    const categories = typeof row.categories === "string" ? row.categories.split(",").filter(Boolean) : row.categories ?? [];
    return { level: row.action === "error" ? "error" : row.level, categories };
  }
  return row.error && row.action === "error" ? summariseError(row.error) : summarise(row.verdicts ?? []);
}

/** Rows of GET /content_safety/audit (Decision records or the store's flat rows) in the sidebar's shape. */
export function rowsFromAudit(rows) {
  return (rows ?? []).map((row) => {
    const summary = auditSummary(row);
    return { source: "audit", time: Math.round((row.time ?? 0) * 1000), prompt_id: row.prompt_id ?? "",
      node_id: String(row.node_id ?? ""), node_type: "", stage: row.stage ?? "", ...summary,
      action: row.action ?? "", user: row.user ?? "", client_id: row.client_id ?? "",
      images: (row.outputs ?? []).map((path) => {
        const cut = path.lastIndexOf("/");
        return { filename: path.slice(cut + 1), subfolder: cut < 0 ? "" : path.slice(0, cut), type: "output" };
      }),
      reason: row.error?.reason ?? "" };
  });
}

/** Filters of the sidebar: level and category exact, node and user by substring. */
export function filterRows(rows, { level = "", category = "", node = "", user = "" } = {}) {
  const has = (text, part) => String(text ?? "").toLowerCase().includes(part.toLowerCase());
  return rows.filter((row) => (!level || row.level === level)
    && (!category || row.categories.includes(category))
    && (!node || has(row.node_id, node) || has(row.node_type, node))
    && (!user || has(row.user, user) || has(row.client_id, user)));
}

/** Every category and level that occurs, for the filter lists. */
export function facets(rows) {
  const categories = new Set();
  const levels = new Set();
  for (const row of rows) {
    levels.add(row.level);
    for (const c of row.categories) categories.add(c);
  }
  return { levels: [...levels].sort(), categories: [...categories].sort() };
}

/** The newest run of a /history answer: node id -> {type, summary} of each pack node,
 * whether it ran or was served from the cache (ComfyUI keeps cached nodes' ui there). */
export function badgesOfLastRun(history) {
  const [newest] = Object.entries(history ?? {}).sort(([, a], [, b]) => startTime(b) - startTime(a));
  const badges = new Map();
  if (!newest) return badges;
  const [, entry] = newest;
  for (const row of rowsFromHistory({ [newest[0]]: entry })) {
    badges.set(row.node_id, { type: row.node_type || nodeType(entry, row.node_id),
      summary: { level: row.level, categories: row.categories } });
  }
  return badges;
}

/** URL of a saved file's thumbnail, as ComfyUI's own previews fetch it. */
export function viewUrl(file, apiBase = "/api") {
  const params = new URLSearchParams({ filename: file.filename, subfolder: file.subfolder, type: file.type });
  return `${apiBase}/view?${params}`;
}
