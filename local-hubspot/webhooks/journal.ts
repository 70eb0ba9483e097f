import type { WebhookEvent } from "./events.ts";

/** HubSpot keeps journal entries 3 days. */
export const JOURNAL_RETENTION_MS = 3 * 86_400_000;

export type JournalOptions = {
  /** false answers the journal routes 403, like an app without the journal scope (a private app). Default true. */
  available?: boolean;
  retentionMs?: number;
  /** Events per entry at most; an entry also closes whenever the journal is read. Default 100. */
  maxEventsPerEntry?: number;
  /** Entries kept at most, oldest dropped first (memory bound). Default 5,000. */
  maxEntries?: number;
  /** The clock entries are dated and expired by (tests move it). */
  clock?: () => number;
};

/** One journal entry: its offset (a UUID), when it opened, and the events its file holds, oldest first. */
export type JournalEntry = { offset: string; createdAt: number; events: WebhookEvent[] };

/**
 * The Webhooks Journal of one portal, in memory: the events the webhook subscriptions produce, in entries read in
 * order by offset. An entry fills up to `maxEventsPerEntry` and closes when full or when read, so a reader always
 * sees every event recorded before its call and an entry never changes once seen.
 */
export class WebhooksJournal {
  available: boolean;
  private readonly entries: JournalEntry[] = [];
  private filling: JournalEntry | undefined;
  private readonly o: Required<Omit<JournalOptions, "available" | "clock">>;
  private readonly now: () => number;

  constructor(options: JournalOptions = {}) {
    this.available = options.available ?? true;
    this.now = options.clock ?? Date.now;
    this.o = {
      retentionMs: options.retentionMs ?? JOURNAL_RETENTION_MS,
      maxEventsPerEntry: options.maxEventsPerEntry ?? 100,
      maxEntries: options.maxEntries ?? 5_000,
    };
  }

  /** Records one event (without its delivery attempt number: a journal entry is not a delivery). */
  append(event: WebhookEvent): void {
    const { attemptNumber: _delivery, ...journaled } = event;
    if (!this.filling || this.filling.events.length >= this.o.maxEventsPerEntry) {
      this.filling = { offset: crypto.randomUUID(), createdAt: this.now(), events: [] };
      this.entries.push(this.filling);
    }
    this.filling.events.push(journaled as WebhookEvent);
    if (this.entries.length > this.o.maxEntries) this.entries.splice(0, this.entries.length - this.o.maxEntries);
  }

  /** The newest `count` entries, oldest first. */
  latest(count: number): JournalEntry[] {
    this.closeAndPrune();
    return this.entries.slice(-count);
  }

  /** The oldest `count` entries still kept, oldest first. */
  earliest(count: number): JournalEntry[] {
    this.closeAndPrune();
    return this.entries.slice(0, count);
  }

  /** Up to `count` entries after `offset`; undefined when that offset expired or never existed. */
  after(offset: string, count: number): JournalEntry[] | undefined {
    this.closeAndPrune();
    const i = this.entries.findIndex((e) => e.offset === offset);
    return i < 0 ? undefined : this.entries.slice(i + 1, i + 1 + count);
  }

  entry(offset: string): JournalEntry | undefined {
    this.closeAndPrune();
    return this.entries.find((e) => e.offset === offset);
  }

  get stats(): { available: boolean; entries: number; events: number } {
    return { available: this.available, entries: this.entries.length, events: this.entries.reduce((n, e) => n + e.events.length, 0) };
  }

  private closeAndPrune(): void {
    this.filling = undefined;
    const oldest = this.now() - this.o.retentionMs;
    const expired = this.entries.findIndex((e) => e.createdAt >= oldest);
    this.entries.splice(0, expired < 0 ? this.entries.length : expired);
  }
}
