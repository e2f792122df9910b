// Pure functions over the pack's verdicts and errors (no DOM, no ComfyUI): what a badge
// says and which toast a failed run gets. Tested with `node --test tests/js`.

export const RANK = { safe: 0, controversial: 1, unsafe: 2 };
export const ERROR_CODES = ["content_safe_check_failed", "content_safe_check_error", "quota_exceeded"];

/** One summary of a node's verdicts: the worst level wins, categories merge. */
export function summarise(verdicts) {
  const list = Array.isArray(verdicts) ? verdicts : [];
  if (list.length > 0 && list.every((v) => v?.provider === "disabled")) {
    return { level: "off", categories: [] }; // enable_safe_check was off
  }
  let level = "safe";
  const categories = [];
  for (const v of list) {
    if ((RANK[v?.level] ?? 0) > RANK[level]) level = v.level;
    for (const c of v?.categories ?? []) if (!categories.includes(c)) categories.push(c);
  }
  return { level, categories };
}

/** The error contract's payload when `message` is one of the pack's errors, else null. */
export function parseSafetyError(message) {
  if (typeof message !== "string" || !message.trimStart().startsWith("{")) return null;
  try {
    const data = JSON.parse(message);
    return data && ERROR_CODES.includes(data.code) ? data : null;
  } catch {
    return null;
  }
}

/** The summary a failed node shows: "check failed" for provider errors, else its verdict. */
export function summariseError(error) {
  if (error.code === "content_safe_check_error") return { level: "error", categories: [] };
  return { level: error.level ?? "unsafe", categories: error.categories ?? [] };
}

/** A badge's text in the user's language: "unsafe: sexual, violence" / "不安全：色情、暴力". */
export function badgeText(summary, t) {
  const level = t(`contentSafety.level.${summary.level}`, {}, summary.level);
  if (!summary.categories.length) return level;
  const names = summary.categories.map((c) => t(`contentSafety.category.${c}`, {}, c));
  return t("contentSafety.badge", { level, categories: names.join(t("contentSafety.separator", {}, ", ")) },
    `${level}: ${names.join(", ")}`);
}

/** A toast for a run the pack stopped: what happened, at which stage, on which node. */
const TOASTS = { content_safe_check_failed: ["error", "blocked"], content_safe_check_error: ["warn", "failed"],
  quota_exceeded: ["warn", "quota"] };

export function toastFor(error, nodeTitle, t) {
  const [severity, kind] = TOASTS[error.code] ?? TOASTS.content_safe_check_failed;
  const stage = t(`contentSafety.stage.${error.stage}`, {}, error.stage ?? "");
  const summary = badgeText(summariseError(error), t);
  const quota = error.evidence?.[0] ?? {};
  const params = { stage, node: nodeTitle || `#${error.node_id ?? "?"}`, verdict: summary,
    reason: error.reason ?? "", used: quota.used ?? "?", limit: quota.limit ?? "?",
    retry: Math.ceil(quota.retry_after_s ?? 0) };
  return {
    severity,
    summary: t(`contentSafety.toast.${kind}Title`, params),
    detail: t(`contentSafety.toast.${kind}Detail`, params),
    life: 10000,
  };
}
