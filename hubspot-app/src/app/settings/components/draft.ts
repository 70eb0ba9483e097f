import type { SettingsDocument, SettingsProblem } from "../../cards/api/contract.ts";

/** The first problem at `path` or under it, for an input's inline validation message. */
export function problemAt(problems: readonly SettingsProblem[], path: string): string | undefined {
  return problems.find((p) => p.path === path || p.path.startsWith(`${path}.`))?.message;
}

/** A copy of `doc` with the value at a dotted `path` replaced, creating objects on the way. */
export function setAt(doc: SettingsDocument, path: string, value: unknown): SettingsDocument {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const keys = path.split(".");
  let node = copy;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === "object" && next !== null ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] ?? ""] = value;
  return copy as SettingsDocument;
}

/** "71, 74" → ["71", "74"]. */
export function idList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Parses a JSON section the admin edits as text, or says where it is broken. */
export function parseSection(path: string, text: string): { ok: true; value: unknown } | { ok: false; problem: SettingsProblem } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, problem: { path, message: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` } };
  }
}
