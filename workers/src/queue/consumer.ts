import type { PortalKey } from "../../../shared/domain/types.ts";
import type { CrmEvent, DeadLetter } from "../../../shared/events/types.ts";
import { crmForPortal, type TokenSource } from "../crm/crm-for-portal.ts";
import { isScanPage } from "../dedupe/scan.ts";
import { consumeScanPages } from "../dedupe/scan-consumer.ts";
import type { Engine } from "../engines/types.ts";
import { isHygieneScanPage } from "../hygiene/scan.ts";
import { consumeHygieneScanPages } from "../hygiene/scan-routes.ts";
import { createLogger, scrubPii } from "../lib/logger.ts";
import { countMetrics } from "../lib/metrics.ts";
import { loadSettings } from "../settings/repository.ts";
import { type EventFate, processPortalEvents } from "./process-events.ts";
import { recordDeadLetters } from "./producer.ts";

const MAX_DELAY_S = 15 * 60;

/** Exponential backoff with full jitter, at least what the CRM asked for, at most 15 minutes. */
export function retryDelaySeconds(attempts: number, askedMs: number, random = Math.random): number {
  const exponential = Math.min(MAX_DELAY_S, 2 ** Math.min(attempts, 10));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.min(MAX_DELAY_S, Math.max(Math.ceil(askedMs / 1000), Math.ceil(jittered)));
}

export type ConsumerDeps = { engines: readonly Engine[]; tokens: TokenSource };

/** The `crm-events` consumer: one portal at a time, ack what is done or dead for good, retry the rest. */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Env, deps: ConsumerDeps): Promise<void> {
  const log = createLogger({ queue: batch.queue, batchSize: batch.messages.length });
  const byPortal = new Map<PortalKey, Message<unknown>[]>();
  const malformed: DeadLetter[] = [];
  const scanPages: Message<unknown>[] = [];
  const hygienePages: Message<unknown>[] = [];
  for (const msg of batch.messages) {
    // Dedupe scan pages share the queue (and the portal's API budget); dedupe/scan-consumer.ts runs them.
    if (isScanPage(msg.body)) {
      scanPages.push(msg);
      continue;
    }
    // Hygiene scan pages too (hygiene/scan-routes.ts).
    if (isHygieneScanPage(msg.body)) {
      hygienePages.push(msg);
      continue;
    }
    const body = msg.body as Partial<CrmEvent> | null;
    if (!body || typeof body.portalKey !== "string" || typeof body.objectId !== "string" || typeof body.eventId !== "string") {
      malformed.push({
        portalKey: null,
        source: "consumer",
        reasonCode: "malformed_message",
        reason: "queue message is not a CrmEvent",
        payload: msg.body,
      });
      msg.ack();
      continue;
    }
    byPortal.set(body.portalKey as PortalKey, [...(byPortal.get(body.portalKey as PortalKey) ?? []), msg]);
  }
  if (malformed.length > 0) await recordDeadLetters(env.DB, malformed);
  if (scanPages.length > 0) await consumeScanPages(scanPages, env, deps.tokens);
  if (hygienePages.length > 0) await consumeHygieneScanPages(hygienePages, env, deps.tokens);

  for (const [portalKey, messages] of byPortal) {
    const events = messages.map((m) => m.body as CrmEvent);
    let apiCalls = 0;
    try {
      const settings = (await loadSettings(env.DB, portalKey)).settings;
      const report = await processPortalEvents(portalKey, events, {
        db: env.DB,
        appId: env.HUBSPOT_APP_ID,
        engines: deps.engines,
        log: log.child({ portal: portalKey }),
        now: Date.now,
        settingsFor: async () => settings,
        crmFor: (key) => crmForPortal(env, key, settings, deps.tokens, () => apiCalls++),
      });
      await settle(env, portalKey, messages, report.fates, apiCalls, report.counts ?? {});
      log.info("portal_batch", {
        portal: portalKey,
        events: events.length,
        records: report.records,
        apiCalls,
        ...Object.fromEntries(Object.entries(report.phases ?? {}).map(([phase, ms]) => [`ms_${phase}`, ms])),
      });
    } catch (cause) {
      log.error("portal batch failed; retrying", { portal: portalKey, error: scrubPii(String(cause)).slice(0, 500) });
      for (const m of messages) m.retry({ delaySeconds: retryDelaySeconds(m.attempts, 0) });
    }
  }
}

async function settle(
  env: Env,
  portalKey: PortalKey,
  messages: Message<unknown>[],
  fates: EventFate[],
  apiCalls: number,
  automationCounts: Record<string, number>,
): Promise<void> {
  const dead: DeadLetter[] = [];
  const counts = {
    events_processed: 0,
    events_duplicate: 0,
    events_own_write: 0,
    events_retried: 0,
    events_dead_lettered: 0,
    api_calls: apiCalls,
  };
  messages.forEach((m, i) => {
    const fate = fates[i] ?? { kind: "retry", delayMs: 0, reason: "no fate" };
    if (fate.kind === "done") {
      if (fate.outcome === "duplicate") counts.events_duplicate++;
      else if (fate.outcome === "own_write") counts.events_own_write++;
      else counts.events_processed++;
      m.ack();
    } else if (fate.kind === "dead") {
      dead.push({ portalKey, source: "consumer", reasonCode: fate.code, reason: fate.reason, payload: m.body });
      counts.events_dead_lettered++;
      m.ack();
    } else {
      counts.events_retried++;
      m.retry({ delaySeconds: retryDelaySeconds(m.attempts, fate.delayMs) });
    }
  });
  await Promise.all([
    dead.length > 0 ? recordDeadLetters(env.DB, dead) : undefined,
    countMetrics(env.DB, portalKey, { ...counts, ...automationCounts }, Date.now()),
  ]);
}

/** The dead-letter queue's consumer: messages that exhausted their retries are recorded with the reason. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const letters: DeadLetter[] = batch.messages.map((m) => ({
    portalKey: ((m.body as Partial<CrmEvent> | null)?.portalKey as PortalKey | undefined) ?? null,
    source: "consumer",
    reasonCode: "retries_exhausted",
    reason: `gave up after ${m.attempts} attempts`,
    payload: m.body,
  }));
  await recordDeadLetters(env.DB, letters);
  for (const m of batch.messages) m.ack();
}
