import type { RecordChange } from "../crm/records.ts";
import { changeToEvent, type WebhookEvent } from "./events.ts";
import { signHubspotV3 } from "./signature.ts";

export type WebhookOptions = {
  /** Where batches go; without one, events are only kept in `journal`. */
  targetUrl?: string;
  clientSecret?: string;
  appId?: string | number;
  portalId?: number;
  /** Property names with a propertyChange subscription; default every property the server does not maintain itself. */
  properties?: readonly string[];
  maxBatchSize?: number;
  /** How long events wait to be batched together. */
  batchDelayMs?: number;
  /** A delivery without a 2xx in this time counts as failed (HubSpot: 5 s). */
  timeoutMs?: number;
  maxAttempts?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  maxConcurrentRequests?: number;
  fetch?: typeof fetch;
};

export type Delivery = { at: number; attempt: number; events: number; status: number | "timeout" | "error"; ok: boolean };

const DEFAULTS = {
  maxBatchSize: 100,
  batchDelayMs: 50,
  timeoutMs: 5_000,
  maxAttempts: 10,
  backoffMs: 1_000,
  maxBackoffMs: 60_000,
  maxConcurrentRequests: 10,
};

/** Sends HubSpot-style signed webhook batches with retries and backoff; keeps a journal of every event. */
export class WebhookSender {
  readonly journal: WebhookEvent[] = [];
  readonly deliveries: Delivery[] = [];
  readonly stats = { eventsQueued: 0, eventsDelivered: 0, batchesSent: 0, failedAttempts: 0, eventsDropped: 0 };
  private options: WebhookOptions;
  private queue: WebhookEvent[] = [];
  private inFlight = 0;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private waiters: (() => void)[] = [];
  private nextEventId = 1;
  private stopped = false;
  private pumpScheduled = false;
  private suppressed = 0;

  /** `record` gets every event the subscriptions produce, sent or not (the Webhooks Journal). */
  constructor(
    options: WebhookOptions = {},
    private readonly record: (event: WebhookEvent) => void = () => {},
  ) {
    this.options = options;
  }

  configure(options: Partial<WebhookOptions>): void {
    this.options = { ...this.options, ...options };
  }

  get config(): WebhookOptions {
    return this.options;
  }

  private get o() {
    return { ...DEFAULTS, ...this.options };
  }

  /** Runs `work` without sending or journaling events: a portal's existing data never arrived as webhooks. */
  suppress<T>(work: () => T): T {
    this.suppressed++;
    try {
      return work();
    } finally {
      this.suppressed--;
    }
  }

  /** Called by the CRM engine for every change. */
  enqueue(change: RecordChange): void {
    if (this.suppressed > 0) return;
    const ids = { eventId: this.nextEventId++, portalId: this.options.portalId ?? 0, appId: Number(this.options.appId ?? 0) };
    const event = changeToEvent(change, ids, this.options.properties ?? "all");
    if (!event) return;
    this.journal.push(event);
    this.record(event);
    if (this.journal.length > 50_000) this.journal.splice(0, 10_000);
    if (!this.options.targetUrl || this.stopped) return;
    this.stats.eventsQueued++;
    this.queue.push(event);
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    this.later(() => {
      this.pumpScheduled = false;
      this.pump();
    }, this.o.batchDelayMs);
  }

  /** Resolves once nothing is queued, in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue = [];
    this.settle();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0 && this.timers.size === 0;
  }

  private settle(): void {
    if (!this.isIdle()) return;
    for (const w of this.waiters.splice(0)) w();
  }

  private later(work: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      work();
      this.settle();
    }, ms);
    this.timers.add(t);
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.o.maxConcurrentRequests && !this.stopped) {
      const batch = this.queue.splice(0, this.o.maxBatchSize);
      void this.deliver(batch, 0);
    }
  }

  private async deliver(batch: WebhookEvent[], attempt: number): Promise<void> {
    this.inFlight++;
    const status = await this.post(batch.map((e) => ({ ...e, attemptNumber: attempt })));
    this.inFlight--;
    const ok = typeof status === "number" && status >= 200 && status < 300;
    this.deliveries.push({ at: Date.now(), attempt, events: batch.length, status, ok });
    if (this.deliveries.length > 2_000) this.deliveries.splice(0, 1_000);
    this.stats.batchesSent++;
    if (ok) this.stats.eventsDelivered += batch.length;
    else if (attempt + 1 >= this.o.maxAttempts || this.stopped) this.stats.eventsDropped += batch.length;
    else {
      this.stats.failedAttempts++;
      const wait = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** attempt);
      this.later(() => void this.deliver(batch, attempt + 1), wait);
    }
    if (this.queue.length > 0) this.pump();
    this.settle();
  }

  private async post(events: WebhookEvent[]): Promise<Delivery["status"]> {
    const url = this.options.targetUrl ?? "";
    const body = JSON.stringify(events);
    const timestamp = Date.now();
    const signature = await signHubspotV3({ clientSecret: this.options.clientSecret ?? "", method: "POST", url, body, timestamp });
    try {
      const response = await (this.options.fetch ?? fetch)(url, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "user-agent": "HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nio) - local",
          "x-hubspot-signature-v3": signature,
          "x-hubspot-request-timestamp": String(timestamp),
        },
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      await response.body?.cancel();
      return response.status;
    } catch (cause) {
      return cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError") ? "timeout" : "error";
    }
  }
}
