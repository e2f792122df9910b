// Messages from the pack's locales/<lang>/main.json, as ComfyUI serves them on /i18n
// ({lang: {...main.json keys, nodeDefs}}): a lookup that falls back to English, then to
// the caller's default.

/** The nested value at "a.b.c" of `tree`, or undefined. */
function lookup(tree, key) {
  return key.split(".").reduce((node, part) => (node && typeof node === "object" ? node[part] : undefined), tree);
}

/** ComfyUI's locale setting ("zh", "zh-TW", "en") -> the language code /i18n uses. */
export function languageOf(locale, available) {
  if (!locale) return "en";
  if (available.includes(locale)) return locale;
  const base = locale.split(/[-_]/)[0];
  return available.includes(base) ? base : "en";
}

/** t(key, params, fallback): "{name}" placeholders are filled from params. */
export function translator(served, locale) {
  const lang = languageOf(locale, Object.keys(served ?? {}));
  const primary = served?.[lang] ?? {};
  const english = served?.en ?? {};
  return (key, params = {}, fallback = key) => {
    const text = lookup(primary, key) ?? lookup(english, key) ?? fallback;
    return typeof text === "string" ? text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m)) : fallback;
  };
}
