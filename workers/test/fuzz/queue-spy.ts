// A stand-in for the EVENTS queue's sendBatch that records messages and enforces Cloudflare Queues' limits.
import { env } from "cloudflare:workers";
import { vi } from "vitest";

/** Cloudflare Queues: 128 KB per message, 256 KB and 100 messages per sendBatch. */
export const QUEUE_LIMITS = { messageBytes: 128_000, batchBytes: 256_000, batchCount: 100 } as const;

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

/**
 * Spies on `env.EVENTS.sendBatch`: every accepted message lands in the returned array; a call breaking a limit
 * throws as the real queue does (so a fuzz case cannot pass only because the spy is more lenient than production).
 */
export function spyOnEventQueue(): unknown[] {
  const sent: unknown[] = [];
  vi.spyOn(env.EVENTS, "sendBatch").mockImplementation(async (messages) => {
    const list = [...messages];
    if (list.length > QUEUE_LIMITS.batchCount) throw new Error(`Queue send failed: ${list.length} messages in one batch`);
    let total = 0;
    for (const m of list) {
      const size = bytes(m.body);
      if (size > QUEUE_LIMITS.messageBytes) throw new Error(`Queue send failed: message length of ${size} bytes exceeds limit`);
      total += size;
    }
    if (total > QUEUE_LIMITS.batchBytes) throw new Error(`Queue send failed: batch size of ${total} bytes exceeds limit`);
    for (const m of list) sent.push(m.body);
    return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } } as unknown as QueueSendBatchResponse;
  });
  return sent;
}

/** Dead letters recorded so far, a repeat of one already recorded counted again (it is one row seen N times). */
export async function deadLetterCount(): Promise<number> {
  const row = await env.DB.prepare("SELECT COALESCE(SUM(times_seen), 0) AS n FROM dead_letters").first<{ n: number }>();
  return row?.n ?? 0;
}
