import type { CrmEvent, DeadLetter } from "../../../shared/events/types.ts";
import { bound } from "../lib/d1.ts";
import { deadLetterKey } from "./dead-letter-key.ts";

const MAX_MESSAGES = 100;
const MAX_BATCH_BYTES = 200_000;

/** Enqueues events in batches inside Cloudflare Queues' limits (100 messages, 256 KB per sendBatch). */
export async function enqueueEvents(queue: Queue<CrmEvent>, events: readonly CrmEvent[]): Promise<void> {
  let batch: MessageSendRequest<CrmEvent>[] = [];
  let bytes = 0;
  for (const event of events) {
    // Queues limit bytes, not UTF-16 units: a batch of accented text is up to 3x longer than its .length.
    const size = new TextEncoder().encode(JSON.stringify(event)).byteLength;
    if (batch.length === MAX_MESSAGES || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      await queue.sendBatch(batch);
      batch = [];
      bytes = 0;
    }
    batch.push({ body: event, contentType: "json" });
    bytes += size;
  }
  if (batch.length > 0) await queue.sendBatch(batch);
}

/**
 * Records dead letters in D1 (inspected and replayed with `npm run dlq`). One already recorded — same portal, source
 * and payload apart from delivery fields — is counted (`times_seen`, `last_seen_at`, the latest reason) and open for
 * replay again instead of being added twice. 12 rows of 8 values per statement (D1: at most 100).
 */
export async function recordDeadLetters(db: D1Database, letters: readonly DeadLetter[], now = Date.now()): Promise<void> {
  const keys = await Promise.all(letters.map((l) => deadLetterKey(l)));
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < letters.length; i += 12) {
    const chunk = letters.slice(i, i + 12);
    const sql = `INSERT INTO dead_letters (portal_key, source, reason_code, reason, payload, created_at, last_seen_at, dedupe_key)
VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
ON CONFLICT (dedupe_key) DO UPDATE SET times_seen = dead_letters.times_seen + 1, last_seen_at = excluded.last_seen_at,
  reason_code = excluded.reason_code, reason = excluded.reason, replayed_at = NULL`;
    const params = chunk.flatMap((l, j) => [
      l.portalKey,
      l.source,
      l.reasonCode,
      l.reason,
      JSON.stringify(l.payload),
      now,
      now,
      keys[i + j] ?? null,
    ]);
    statements.push(bound(db, sql, params));
  }
  if (statements.length > 0) await db.batch(statements);
}
