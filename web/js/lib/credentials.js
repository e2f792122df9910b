// Which node needs credentials the server does not have, from GET /content_safety/status:
// shown before the run instead of failing after a remote timeout. Pure.

const REMOTE_MODES = ["remote", "auto"];
const IMAGE_NODES = ["ContentSafetyImageCheck", "ContentSafetySaveImage", "ContentSafetyLoadImage"];

/** {provider, reason} when this node's settings need credentials that are missing, else null. */
export function credentialWarning(nodeType, values, status) {
  if (!status?.providers) return null;
  if (nodeType === "ContentSafetyLLMJudge") {
    const llm = status.providers.llm;
    return REMOTE_MODES.includes(values.llm_mode) && llm && !llm.credentials?.present
      ? { provider: "llm", reason: llm.credentials?.reason ?? "" } : null;
  }
  if (!REMOTE_MODES.includes(values.check_mode) || values.enable_safe_check === false) return null;
  const policy = status.policies?.[values.policy] ?? status.policies?.[status.default_policy];
  const remote = IMAGE_NODES.includes(nodeType) ? policy?.remote_image_checkers : policy?.remote_text_checkers;
  const aliyun = status.providers.aliyun;
  if (!(remote ?? ["aliyun"]).includes("aliyun") || !aliyun || aliyun.credentials?.present) return null;
  return { provider: "aliyun", reason: aliyun.credentials?.reason ?? "" };
}
