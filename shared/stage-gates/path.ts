import type { PropertyHistoryEntry, RecordHistory } from "../crm-port.ts";

/** What the edge knows of a stage-history entry: the deal surely held a stage there, or the move into it is unjudged. */
export type EntryStanding = { kind: "settled"; stageId: string | null } | { kind: "unjudged" };

/** An entry's time in epoch ms (CRMs send ISO dates or ms strings); NaN when unreadable. */
export function entryMs(entry: PropertyHistoryEntry): number {
  return /^\d+$/.test(entry.timestamp) ? Number(entry.timestamp) : Date.parse(entry.timestamp);
}

/** One property's history newest first, whatever order the CRM sent (same-millisecond entries keep the CRM's order). */
export function newestFirst(entries: readonly PropertyHistoryEntry[] | undefined): PropertyHistoryEntry[] {
  return [...(entries ?? [])].sort((a, b) => (entryMs(b) || 0) - (entryMs(a) || 0));
}

/** The record's history as it stood at `ms`: every property's entries up to then. */
export function historyUntil(history: RecordHistory, ms: number): RecordHistory {
  return Object.fromEntries(Object.entries(history).map(([name, entries]) => [name, entries.filter((e) => !(entryMs(e) > ms))]));
}

/**
 * The stage a deal legitimately held just before its latest stage entry (`entries[0]`, newest first). Walks back to the
 * newest settled entry (or the oldest entry), then forward again, re-judging each unjudged move from the stage held
 * before it: a move the gates would block leaves the deal where it was. So A→C (skipping B) then C→D, both still
 * unjudged, is one move A→D; and C→D after a blocked A→C that was never reverted counts from A too.
 * Null when the history has no earlier entry (the deal entered the pipeline in its current stage).
 */
export function stageHeldBefore(
  entries: readonly PropertyHistoryEntry[],
  standing: (entry: PropertyHistoryEntry) => EntryStanding,
  stands: (fromStageId: string | null, entry: PropertyHistoryEntry) => boolean,
): string | null {
  const oldest = entries.length - 1;
  if (oldest < 1) return null;
  let i = 1;
  let anchor = standing(entries[i] as PropertyHistoryEntry);
  while (anchor.kind === "unjudged" && i < oldest) {
    i += 1;
    anchor = standing(entries[i] as PropertyHistoryEntry);
  }
  let held = anchor.kind === "settled" ? anchor.stageId : (entries[i]?.value ?? null);
  for (let k = i - 1; k >= 1; k--) {
    const entry = entries[k] as PropertyHistoryEntry;
    if (stands(held, entry)) held = entry.value;
  }
  return held;
}
