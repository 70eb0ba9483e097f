import type { PropertyHistoryEntry, RecordHistory } from "../crm-port.ts";

type Timed = { value: string | null; ms: number };

/** One property's history, oldest first, with unparseable timestamps dropped. */
export function timeline(entries: readonly PropertyHistoryEntry[] | undefined): Timed[] {
  if (!entries || entries.length === 0) return [];
  const out: Timed[] = [];
  for (const e of entries) {
    const ms = /^\d+$/.test(e.timestamp) ? Number(e.timestamp) : Date.parse(e.timestamp);
    if (Number.isFinite(ms)) out.push({ value: e.value === "" ? null : e.value, ms });
  }
  return out.sort((a, b) => a.ms - b.ms);
}

/**
 * When the deal last entered `stageId`: the start of the latest run of that value in the stage history, or null when
 * the history never shows it.
 */
export function stageEnteredAt(history: RecordHistory, stageProperty: string, stageId: string): number | null {
  const t = timeline(history[stageProperty]);
  let i = t.length - 1;
  while (i >= 0 && t[i]?.value !== stageId) i--;
  if (i < 0) return null;
  while (i > 0 && t[i - 1]?.value === stageId) i--;
  return t[i]?.ms ?? null;
}

/** The last stage in `isOpen` the deal was in before it last entered `stageId` (for deals reopened from a closed stage). */
export function lastOpenStageBefore(
  history: RecordHistory,
  stageProperty: string,
  stageId: string,
  isOpen: (id: string) => boolean,
): string | null {
  const entered = stageEnteredAt(history, stageProperty, stageId);
  if (entered === null) return null;
  const t = timeline(history[stageProperty]);
  for (let i = t.length - 1; i >= 0; i--) {
    const e = t[i];
    if (e && e.ms < entered && e.value !== null && isOpen(e.value)) return e.value;
  }
  return null;
}

/** Whether the property took a different value after `since` than the one it had then; with when it first did. */
export function changedSince(entries: readonly PropertyHistoryEntry[] | undefined, since: number): { changed: boolean; at: number | null } {
  const t = timeline(entries);
  let current: string | null = null;
  for (const e of t) {
    if (e.ms <= since) current = e.value;
    else if (e.value !== current) return { changed: true, at: e.ms };
  }
  return { changed: false, at: null };
}
