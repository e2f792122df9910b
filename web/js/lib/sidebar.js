// The sidebar tab of recent decisions: the audit trail when the user gives this tab the
// audit token (GET /content_safety/audit), else the queue history (/history). Filterable
// by level, category, node and user; thumbnails of the saved files, blurred when flagged.
import { facets, filterRows, rowsFromAudit, rowsFromHistory, viewUrl } from "./decisions.js";
import { badgeText } from "./verdicts.js";

const TOKEN_KEY = "content_safety.audit_token"; // sessionStorage: this tab only
const HISTORY_ITEMS = 64;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "style") node.style.cssText = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** Rows from the audit route when a token is set and accepted, else from /history. */
async function loadRows(api) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) {
    const response = await api.fetchApi("/content_safety/audit?limit=200",
      { headers: { Authorization: `Bearer ${token}` } });
    if (response.ok) return { source: "audit", rows: rowsFromAudit((await response.json()).rows) };
  }
  const response = await api.fetchApi(`/history?max_items=${HISTORY_ITEMS}`);
  return { source: "history", rows: rowsFromHistory(await response.json()) };
}

function select(name, values, label, t, onChange) {
  const options = [el("option", { value: "" }, t("contentSafety.sidebar.all")),
    ...values.map((v) => el("option", { value: v }, label(v)))];
  return el("select", { "data-filter": name, onchange: onChange, style: "max-width: 100%" }, ...options);
}

function rowView(row, t, blurFlagged) {
  const flagged = row.level !== "safe" && row.level !== "off";
  const when = row.time ? new Date(row.time).toLocaleString() : "";
  const thumbs = row.images.slice(0, 4).map((file) => el("img", {
    src: viewUrl(file), title: file.filename, loading: "lazy",
    class: flagged && blurFlagged() ? "content-safety-thumb content-safety-blurred" : "content-safety-thumb",
    style: `width: 56px; height: 56px; object-fit: cover; border-radius: 4px;${flagged && blurFlagged() ? " filter: blur(8px);" : ""}`,
  }));
  const stage = t(`contentSafety.stage.${row.stage}`, {}, row.stage);
  const action = row.action.split(", ").map((a) => t(`contentSafety.action.${a}`, {}, a)).join(", ");
  return el("div", { class: `content-safety-row level-${row.level}`, "data-level": row.level,
    style: "padding: 6px 8px; border-bottom: 1px solid var(--border-color, #444);" },
  el("div", { style: "display: flex; justify-content: space-between; gap: 6px;" },
    el("b", { class: "content-safety-verdict" }, badgeText(row, t)),
    el("span", { style: "opacity: .7; font-size: 11px;" }, when)),
  el("div", { style: "font-size: 12px; opacity: .85;" },
    `#${row.node_id} ${row.node_type} · ${stage} · ${action}${row.user ? ` · ${row.user}` : ""}`),
  row.reason ? el("div", { style: "font-size: 11px; opacity: .7;" }, row.reason) : null,
  thumbs.length ? el("div", { style: "display: flex; gap: 4px; margin-top: 4px;" }, ...thumbs) : null);
}

/** Renders into the tab's element; re-renders on each finished run while mounted. */
export function mountSidebar(root, { api, t, blurFlagged }) {
  const state = { rows: [], source: "history", filters: { level: "", category: "", node: "", user: "" } };
  const filtersBox = el("div", { style: "display: grid; grid-template-columns: 1fr 1fr; gap: 4px; padding: 6px 8px;" });
  const list = el("div", { class: "content-safety-list" });
  const sourceLine = el("div", { class: "content-safety-source", style: "font-size: 11px; opacity: .7; padding: 0 8px;" });
  const token = el("input", { type: "password", placeholder: `${t("contentSafety.sidebar.token")} (${t("contentSafety.sidebar.tokenHint")})`,
    value: sessionStorage.getItem(TOKEN_KEY) ?? "", style: "width: 100%",
    onchange: (event) => {
      if (event.target.value) sessionStorage.setItem(TOKEN_KEY, event.target.value);
      else sessionStorage.removeItem(TOKEN_KEY);
      refresh();
    } });

  function render() {
    const { levels, categories } = facets(state.rows);
    const onFilter = (event) => {
      state.filters[event.target.dataset.filter] = event.target.value;
      renderList();
    };
    const text = (name) => el("input", { "data-filter": name, placeholder: t(`contentSafety.sidebar.${name}`),
      value: state.filters[name], oninput: onFilter, style: "width: 100%" });
    const level = select("level", levels, (v) => t(`contentSafety.level.${v}`, {}, v), t, onFilter);
    const category = select("category", categories, (v) => t(`contentSafety.category.${v}`, {}, v), t, onFilter);
    level.value = state.filters.level;
    category.value = state.filters.category;
    filtersBox.replaceChildren(level, category, text("node"), text("user"));
    sourceLine.textContent = t(`contentSafety.sidebar.source_${state.source}`);
    renderList();
  }

  function renderList() {
    const rows = filterRows(state.rows, state.filters);
    list.replaceChildren(...(rows.length ? rows.map((row) => rowView(row, t, blurFlagged))
      : [el("div", { class: "content-safety-empty", style: "padding: 8px; opacity: .7;" }, t("contentSafety.sidebar.empty"))]));
  }

  async function refresh() {
    try {
      Object.assign(state, await loadRows(api));
    } catch (error) {
      console.warn("content safety: cannot load decisions", error);
    }
    render();
  }

  root.replaceChildren(el("div", { class: "content-safety-sidebar", style: "display: flex; flex-direction: column; height: 100%; overflow: auto;" },
    el("div", { style: "display: flex; justify-content: space-between; align-items: center; padding: 8px;" },
      el("h3", { style: "margin: 0;" }, t("contentSafety.sidebar.title")),
      el("button", { class: "content-safety-refresh", onclick: refresh }, t("contentSafety.sidebar.refresh"))),
    el("div", { style: "padding: 0 8px;" }, token), sourceLine, filtersBox, list));
  for (const event of ["execution_success", "execution_error", "execution_interrupted"]) {
    api.addEventListener(event, () => root.isConnected && refresh());
  }
  refresh();
}
