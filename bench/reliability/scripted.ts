/**
 * One run of the script (workload.ts) through a fresh stack: delivered once in order, or redelivered, with or
 * without HubSpot faults, with or without a Worker restart in the middle. Returns what it measured and the CRM state
 * it left, for comparison with the fault-free run.
 */
import type { WebhookEvent } from "../../local-hubspot/index.ts";
import type { StoredRecord } from "../../local-hubspot/store/types.ts";
import { sleep } from "../_util.ts";
import { d1RowsFor, type Fates, fatesOf } from "./accounting.ts";
import { Deliverer, deliverConcurrently, deliverInOrder, redeliveryPlan, seeded, watchJournal } from "./delivery.ts";
import { runFaultSchedule } from "./faults.ts";
import { type ApiCall, type MemorySample, sampleMemory } from "./observe.ts";
import { type RunStack, SECRETS, startRunStack } from "./stack.ts";
import { type CrmState, crmState, rawRecords } from "./state.ts";
import { benchSettings, playScript, seedPortal } from "./workload.ts";

export type ScriptedOptions = {
  plan: "in-order" | "redeliver";
  faults: boolean;
  restart: boolean;
  scale: number;
  latency: { minMs: number; maxMs: number };
  burstMs: number;
  drainMs: number;
  log?: string;
};

export type ScriptedRun = {
  mix: Array<[string, number]>;
  state: CrmState;
  fates: Fates;
  calls: ApiCall[];
  limiterRefusals: number;
  batches: { total: number; retried: number };
  memory: MemorySample[];
  startedAt: number;
  drainedMs: number | null;
  delivery: Deliverer["stats"];
  notes: string[];
  /** For `--dump`: every contact's and deal's history, and the Worker's D1 rows about them. */
  raw: Map<string, StoredRecord>;
  d1: Record<string, unknown[]>;
};

/** Polls the Worker's D1 until every accepted event has a fate and the journal is quiet; null on timeout. */
async function drain(stack: RunStack, deliverer: Deliverer, watcher: { quietFor(): number }, timeoutMs: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    await sleep(1_000);
    if (watcher.quietFor() < 3_000) continue;
    await deliverer.idle();
    const f = fatesOf(stack.persistTo, deliverer.accepted);
    if (f.stuck + f.lost === 0) return Date.now() - started;
  }
  return null;
}

export async function runScripted(o: ScriptedOptions): Promise<ScriptedRun> {
  const stack = await startRunStack({ latency: o.latency, settings: benchSettings(), ...(o.log ? { log: o.log } : {}) });
  const notes: string[] = [];
  try {
    const portal = seedPortal(stack.hubspot, { contacts: 150 * o.scale, deals: 40 * o.scale });
    // A portal installed a while ago has run the cron before: its Webhooks Journal offset is set, so a later run
    // reads the entries the script makes (the very events a restart may lose).
    if (o.restart) notes.push(`backfill cron before the script: HTTP ${await stack.runBackfillCron()}`);
    const script = playScript(stack.hubspot, portal, o.scale);
    const lastScriptId = Math.max(...script.events.filter((e) => e.eventId < 9_000_000).map((e) => e.eventId));
    const deliverer = new Deliverer(() => stack.worker().url, SECRETS.HUBSPOT_CLIENT_SECRET);
    const random = seeded(10);
    // HubSpot also sends the events our own writes cause; redelivered like the rest.
    const watcher = watchJournal(stack.hubspot, lastScriptId, (events: WebhookEvent[]) => {
      deliverer.send(events);
      if (o.plan === "redeliver") setTimeout(() => deliverer.send([...events].reverse()), 500 + random() * 3_000);
    });
    const memory = sampleMemory(() => stack.worker().pid);
    const startedAt = Date.now();
    const faults = o.faults ? runFaultSchedule(stack, o.burstMs) : null;
    let drainedMs: number | null = null;
    try {
      if (o.restart) drainedMs = await restartMidBacklog(stack, deliverer, watcher, script.events, o, notes);
      else if (o.plan === "in-order") {
        // Under faults, spread the script over a few fault phases.
        await deliverInOrder(deliverer, script.events, 10, o.faults ? 400 : 0);
        drainedMs = await drain(stack, deliverer, watcher, o.drainMs);
      } else {
        const plan = redeliveryPlan(script.events, random);
        notes.push(
          `${plan.copies} copies of ${script.events.length} events: every event twice, shuffled; ${plan.late.flat().length} third copies after the first were processed`,
        );
        await deliverConcurrently(deliverer, plan.early);
        drainedMs = await drain(stack, deliverer, watcher, o.drainMs);
        // The cron prunes the ledger: run it, then deliver the late copies (same eventId and occurredAt).
        await stack.runBackfillCron();
        await deliverConcurrently(deliverer, plan.late);
        const lateDrain = await drain(stack, deliverer, watcher, o.drainMs);
        drainedMs = drainedMs === null || lateDrain === null ? null : drainedMs + lateDrain;
      }
    } finally {
      faults?.stop();
      watcher.stop();
      memory.stop();
    }
    if (faults) notes.push(`fault phases run: ${[...faults.ran].map(([k, v]) => `${k} ×${v}`).join("; ")}`);
    await deliverer.idle();
    await stack.stopWorker();
    const raw = rawRecords(stack.hubspot);
    return {
      mix: script.mix,
      state: crmState(stack.hubspot),
      raw,
      d1: d1RowsFor(
        stack.persistTo,
        [...raw.values()].map((r) => r.id),
      ),
      fates: fatesOf(stack.persistTo, deliverer.accepted),
      calls: [...stack.proxy.calls],
      limiterRefusals: stack.limiterRefusals(),
      batches: stack.consumerBatches(),
      memory: memory.samples,
      startedAt,
      drainedMs,
      delivery: deliverer.stats,
      notes,
    };
  } finally {
    await stack.stop();
  }
}

/**
 * Delivers the script at once so a backlog builds, stops the Worker while part of it is still queued, looks at what
 * the local queue kept, starts the Worker again on the same state, and lets the backfill cron reconcile.
 */
async function restartMidBacklog(
  stack: RunStack,
  deliverer: Deliverer,
  watcher: { quietFor(): number; seen: number },
  events: readonly WebhookEvent[],
  o: ScriptedOptions,
  notes: string[],
): Promise<number | null> {
  const scriptEnd = Date.now();
  const batches: WebhookEvent[][] = [];
  for (let i = 0; i < events.length; i += 10) batches.push(events.slice(i, i + 10));
  await deliverConcurrently(deliverer, batches);
  // Stop once a quarter is processed: the rest is queued or in a consumer batch.
  for (;;) {
    const f = fatesOf(stack.persistTo, deliverer.accepted);
    if (f.processed + f.deadLettered >= f.accepted / 4) break;
    await sleep(250);
  }
  await stack.stopWorker();
  const atStop = fatesOf(stack.persistTo, deliverer.accepted);
  notes.push(
    `at the stop: ${atStop.processed} processed, ${atStop.deadLettered} dead-lettered, ${atStop.stuck} claimed by a batch that never finished, ${atStop.lost} only in the local queue`,
  );
  await stack.startWorker();
  await sleep(30_000);
  const after = fatesOf(stack.persistTo, deliverer.accepted);
  notes.push(
    `30 s after the restart, before any cron: ${after.processed} processed, ${after.stuck} claimed never finished, ${after.lost} without any trace (the local queue ${after.lost + after.stuck >= atStop.lost + atStop.stuck ? "did not" : "did"} keep them)`,
  );
  // The backfill looks only at records modified more than 2 minutes ago.
  const wait = scriptEnd + 2 * 60_000 + 5_000 - Date.now();
  if (wait > 0) await sleep(wait);
  const before = (await stack.admin<{ processed: number }>(`/portals/880001/ledger`)).processed;
  const status = await stack.runBackfillCron();
  const started = Date.now();
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() - started < o.drainMs) {
    await sleep(2_000);
    const now = (await stack.admin<{ processed: number }>(`/portals/880001/ledger`)).processed;
    if (now !== last) stableSince = Date.now();
    last = now;
    if (Date.now() - stableSince > 10_000 && watcher.quietFor() > 5_000) break;
  }
  notes.push(`backfill cron (HTTP ${status}) enqueued work that processed ${last - before} ledger entries`);
  return null;
}
