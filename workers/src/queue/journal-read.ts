import { err, ok, type Result } from "../../../shared/result.ts";
import type { HubspotJournal, JournalProblem } from "../crm/hubspot/webhooks-journal.ts";

/** Entries read per portal and run (one batch call and one file download each). */
export const JOURNAL_ENTRIES_PER_RUN = 50;

export type JournalEvents = {
  /** Raw events of the entries read, oldest entry first, each with the offset of its entry. */
  events: Array<{ entry: string; index: number; raw: unknown }>;
  entriesRead: number;
  /** The offset of the last entry read (the next run starts after it); unchanged when none was. */
  offset: string;
  /** Every entry older than the grace period was read: the journal covers changes until `coveredUntil`. */
  coveredUntil: number | null;
  /** An entry's file could not be read: reading stopped before it and will retry it next run. */
  blockedBy: string | null;
};

const occurredAt = (raw: unknown) => {
  const at = (raw as { occurredAt?: unknown } | null)?.occurredAt;
  return typeof at === "number" ? at : Number.NEGATIVE_INFINITY;
};

/**
 * Reads the entries after `offset` (from the earliest kept when null: the journal was empty when we started), in
 * order, stopping before the first entry with an event younger than `graceMs` (its webhook may still be on its way;
 * the next run reads it) or whose file cannot be read.
 */
export async function readJournalAfter(
  journal: HubspotJournal,
  offset: string | null,
  now: number,
  graceMs: number,
): Promise<Result<JournalEvents, JournalProblem>> {
  const refs = offset === null ? await journal.earliest(JOURNAL_ENTRIES_PER_RUN) : await journal.after(offset, JOURNAL_ENTRIES_PER_RUN);
  if (!refs.ok) return refs;
  const files = await Promise.all(refs.value.map((ref) => journal.events(ref)));
  const out: JournalEvents = { events: [], entriesRead: 0, offset: offset ?? "", coveredUntil: null, blockedBy: null };
  let youngFrom: number | null = null;
  for (const [i, ref] of refs.value.entries()) {
    const file = files[i];
    if (!file?.ok) {
      if (i === 0) return err("failed", file?.error.message ?? `entry ${ref.offset} could not be read`);
      out.blockedBy = file?.error.message ?? ref.offset;
      break;
    }
    const times = file.value.map(occurredAt);
    if (times.some((t) => t > now - graceMs)) {
      youngFrom = Math.min(...times.filter((t) => Number.isFinite(t)));
      break;
    }
    file.value.forEach((raw, index) => {
      out.events.push({ entry: ref.offset, index, raw });
    });
    out.entriesRead++;
    out.offset = ref.offset;
  }
  const caughtUp = !out.blockedBy && (youngFrom !== null || refs.value.length < JOURNAL_ENTRIES_PER_RUN);
  if (caughtUp) out.coveredUntil = Math.min(now - graceMs, youngFrom === null ? Number.POSITIVE_INFINITY : youngFrom - 1);
  return ok(out);
}
