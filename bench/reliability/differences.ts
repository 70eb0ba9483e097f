/**
 * How a run's final CRM state differs from the fault-free run's, grouped so a reader sees the cause: which fields
 * differ, on which object type, and what the Worker's ledger says happened to that record's events.
 */
import type { RecordState } from "./state.ts";

type D1Rows = Record<string, unknown[]>;
type LedgerRow = { object_id: string; subscription_type: string; processed_at: number | null };

/** What the ledger says about a record's events: backfilled, claimed by a run that never finished, or processed. */
function traceOf(d1: D1Rows, id: string): string {
  const rows = (d1.ledger ?? []).filter((r): r is LedgerRow => (r as LedgerRow).object_id === id);
  const parts: string[] = [];
  if (rows.some((r) => r.processed_at === null)) parts.push("an event claimed by a batch that never finished");
  if (rows.some((r) => r.subscription_type.startsWith("backfill") && r.processed_at !== null)) parts.push("backfilled");
  if (parts.length === 0) parts.push(rows.length > 0 ? "its events processed" : "no ledger row");
  return parts.join(", ");
}

function changedParts(expected: RecordState | undefined, actual: RecordState | undefined): string[] {
  if (!expected || !actual) return [expected ? "missing" : "unexpected"];
  const fields = Object.keys({ ...expected.fields, ...actual.fields }).filter((k) => expected.fields[k] !== actual.fields[k]);
  if (expected.notes.length !== actual.notes.length || expected.notes.join() !== actual.notes.join()) fields.push("notes");
  if (expected.tasks.length !== actual.tasks.length || expected.tasks.join() !== actual.tasks.join()) fields.push("tasks");
  return fields;
}

function example(key: string, expected: RecordState | undefined, actual: RecordState | undefined): string {
  const parts = changedParts(expected, actual).map((part) => {
    if (part === "notes" || part === "tasks") return `${part} ${expected?.[part].length ?? 0} → ${actual?.[part].length ?? 0}`;
    return `${part} ${JSON.stringify(expected?.fields[part] ?? null)} → ${JSON.stringify(actual?.fields[part] ?? null)}`;
  });
  return `${key}: ${parts.join(", ")}`;
}

/** Rows for the report: each group of differing records with its count, then a few concrete examples. */
export function differenceRows(
  keys: readonly string[],
  expected: ReadonlyMap<string, RecordState>,
  actual: ReadonlyMap<string, RecordState>,
  d1: D1Rows,
): Array<[string, string]> {
  const groups = new Map<string, number>();
  for (const key of keys) {
    const [type = "", id = ""] = key.split("/");
    const group = `${type} [${changedParts(expected.get(key), actual.get(key)).join(", ")}] — ${traceOf(d1, id)}`;
    groups.set(group, (groups.get(group) ?? 0) + 1);
  }
  return [
    ...[...groups].sort((a, b) => b[1] - a[1]).map(([group, n]): [string, string] => ["  differ", `${n}× ${group}`]),
    ...keys.slice(0, 3).map((key): [string, string] => ["  e.g.", example(key, expected.get(key), actual.get(key))]),
  ];
}
