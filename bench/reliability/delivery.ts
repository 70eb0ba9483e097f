/**
 * Delivers webhook events to the Worker the way HubSpot does — v3-signed batches of at most 100, a 5-second answer
 * deadline, retried with backoff after a non-2xx — and keeps count of what the Worker accepted. Plans say which
 * copies go when: once in order, or two to three times shuffled with some copies held back.
 */
import type { RunningLocalHubspot, WebhookEvent } from "../../local-hubspot/index.ts";
import { signHubspotV3 } from "../../local-hubspot/webhooks/signature.ts";
import { sleep } from "../_util.ts";
import { eventKeyOf } from "./workload.ts";

export type DeliveryStats = { requests: number; eventCopies: number; non2xx: number; timeouts: number; gaveUp: number };

export class Deliverer {
  /** Event keys the Worker answered 2xx for at least once. */
  readonly accepted = new Set<string>();
  readonly stats: DeliveryStats = { requests: 0, eventCopies: 0, non2xx: 0, timeouts: 0, gaveUp: 0 };
  private inFlight = new Set<Promise<void>>();

  constructor(
    private target: () => string,
    private clientSecret: string,
    private options = { timeoutMs: 5_000, maxAttempts: 10, backoffMs: 1_000, maxConcurrent: 10 },
  ) {}

  /** Sends one batch (and its retries) in the background. */
  send(batch: readonly WebhookEvent[]): void {
    const p = this.deliver(batch).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits for a free delivery slot, so a fast producer does not open unbounded connections. */
  async slot(): Promise<void> {
    while (this.inFlight.size >= this.options.maxConcurrent) await Promise.race(this.inFlight);
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async deliver(batch: readonly WebhookEvent[]): Promise<void> {
    for (let attempt = 0; attempt < this.options.maxAttempts; attempt++) {
      const status = await this.post(batch.map((e) => ({ ...e, attemptNumber: attempt })));
      this.stats.requests++;
      this.stats.eventCopies += batch.length;
      if (typeof status === "number" && status >= 200 && status < 300) {
        for (const e of batch) this.accepted.add(eventKeyOf(e));
        return;
      }
      if (status === "timeout") this.stats.timeouts++;
      else this.stats.non2xx++;
      await sleep(Math.min(60_000, this.options.backoffMs * 2 ** attempt));
    }
    this.stats.gaveUp += batch.length;
  }

  private async post(events: WebhookEvent[]): Promise<number | "timeout" | "error"> {
    const url = `${this.target()}/webhooks/hubspot`;
    const body = JSON.stringify(events);
    const timestamp = Date.now();
    const signature = await signHubspotV3({ clientSecret: this.clientSecret, method: "POST", url, body, timestamp });
    try {
      const res = await fetch(url, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "x-hubspot-signature-v3": signature,
          "x-hubspot-request-timestamp": String(timestamp),
        },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await res.arrayBuffer();
      return res.status;
    } catch (cause) {
      return cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError") ? "timeout" : "error";
    }
  }
}

/** Splits events into batches of `size` (HubSpot sends at most 100). */
export function batches<T>(events: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size));
  return out;
}

export function shuffle<T>(xs: readonly T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A small seeded generator (mulberry32), so a plan is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Sends batches one after another, each once its answer came (HubSpot's in-order best case). */
export async function deliverInOrder(deliverer: Deliverer, events: readonly WebhookEvent[], batchSize = 10, gapMs = 0): Promise<void> {
  for (const batch of batches(events, batchSize)) {
    deliverer.send(batch);
    await deliverer.idle();
    if (gapMs > 0) await sleep(gapMs);
  }
}

/**
 * Every event two or three times: a first copy and a second copy, regrouped and shuffled together and sent
 * concurrently, and the third copies returned as "late" (the caller sends them after the first copies are done).
 */
export function redeliveryPlan(events: readonly WebhookEvent[], random: () => number, batchSize = 10) {
  const early = shuffle([...events, ...events], random);
  const late = shuffle(
    events.filter(() => random() < 0.5),
    random,
  );
  return { early: batches(early, batchSize), late: batches(late, batchSize), copies: early.length + late.length };
}

/** Sends batches with up to `maxConcurrent` in flight, in the given order. */
export async function deliverConcurrently(deliverer: Deliverer, plan: readonly WebhookEvent[][]): Promise<void> {
  for (const batch of plan) {
    await deliverer.slot();
    deliverer.send(batch);
  }
  await deliverer.idle();
}

/**
 * Watches the local HubSpot's event journal for what happens after the script — the app's own writes, which HubSpot
 * also sends — and hands new events to `onEvents`. Returns how many it saw and a stop function.
 */
export function watchJournal(
  hubspot: RunningLocalHubspot,
  afterEventId: number,
  onEvents: (events: WebhookEvent[]) => void,
  everyMs = 200,
) {
  let last = afterEventId;
  let seen = 0;
  let lastNewAt = Date.now();
  const tick = () => {
    const journal = hubspot.runtime.webhooks.journal;
    let i = journal.length;
    while (i > 0 && (journal[i - 1]?.eventId ?? 0) > last) i--;
    const fresh = journal.slice(i);
    if (fresh.length === 0) return;
    last = fresh.at(-1)?.eventId ?? last;
    seen += fresh.length;
    lastNewAt = Date.now();
    onEvents(fresh);
  };
  const timer = setInterval(tick, everyMs);
  return {
    get seen() {
      return seen;
    },
    /** Milliseconds since the journal last grew. */
    quietFor: () => Date.now() - lastNewAt,
    flush: tick,
    stop: () => clearInterval(timer),
  };
}
