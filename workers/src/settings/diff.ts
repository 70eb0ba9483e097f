type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Every leaf that differs between two settings documents, by dotted path, for the dry run. */
export function settingsDiff(before: unknown, after: unknown, path = ""): Array<{ path: string; before: Json; after: Json }> {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => settingsDiff(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || "(root)", before: (before ?? null) as Json, after: (after ?? null) as Json }];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
