import type { CrmError, CrmPort } from "../../../shared/crm-port.ts";
import type { ObjectType, PortalKey } from "../../../shared/domain/types.ts";
import { coalesceEvents, fromBackfillSearch, type RecordEvents } from "../../../shared/events/coalesce.ts";
import { type CrmEvent, eventKey } from "../../../shared/events/types.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { type AuditEntry, appendAudit, auditStatements } from "../audit/audit-log.ts";
import { saveSnapshots } from "../cards/record-snapshots.ts";
import { ReferenceData } from "../crm/reference-data.ts";
import { executeChanges, RetryableCrmError } from "../engines/executor.ts";
import type { Engine, EngineContext, LoadedRecord, PlannedChange } from "../engines/types.ts";
import { claimEvents, markProcessed, markProcessedStatements, supersededStatements } from "../ledger/event-ledger.ts";
import { findOwnWriteEchoes } from "../ledger/own-writes.ts";
import type { Logger } from "../lib/logger.ts";
import { purgeRecord } from "../privacy/purge.ts";

export type PortalDeps = {
  db: D1Database;
  appId: string | undefined;
  engines: readonly Engine[];
  log: Logger;
  now: () => number;
  settingsFor(portalKey: PortalKey): Promise<PortalSettings>;
  crmFor(portalKey: PortalKey): Promise<{ ok: true; value: CrmPort } | { ok: false; error: CrmError }>;
};

/** What became of each event of a portal's batch: done (ack), retry later, or dead-letter with a reason. */
export type EventFate =
  | { kind: "done"; outcome: string }
  | { kind: "retry"; delayMs: number; reason: string }
  | { kind: "dead"; code: string; reason: string };

export type PortalBatchReport = {
  fates: EventFate[];
  apiCalls: number;
  records: number;
  counts?: Record<string, number>;
  /** Wall-clock milliseconds per phase (ledger, read, each engine, execute), for the consumer's batch log line. */
  phases?: Record<string, number>;
};

/** Measures wall-clock time per named phase (in workerd the clock moves across I/O, which is what a phase waits on). */
function phaseClock() {
  const phases: Record<string, number> = {};
  let last = Date.now();
  return {
    phases,
    lap(name: string) {
      const at = Date.now();
      phases[name] = (phases[name] ?? 0) + (at - last);
      last = at;
    },
  };
}

/**
 * Processes one portal's events: skip what the ledger has, skip our own echoes, coalesce per record, read each
 * record once, let every engine plan, apply (or observe) the plan, and record the outcome in the ledger.
 */
export async function processPortalEvents(portalKey: PortalKey, events: readonly CrmEvent[], deps: PortalDeps): Promise<PortalBatchReport> {
  const now = deps.now();
  const clock = phaseClock();
  const fates: EventFate[] = events.map(() => ({ kind: "done", outcome: "duplicate" }));
  const seen = await claimEvents(deps.db, events, now);
  const fresh = events.map((e, i) => ({ e, i })).filter(({ i }) => !seen[i]);
  const echoes = await findOwnWriteEchoes(
    deps.db,
    fresh.map(({ e }) => e),
    deps.appId,
  );
  const work = fresh.filter((_, k) => !echoes[k]);
  clock.lap("ledger");
  const finished: { event: CrmEvent; outcome: string }[] = fresh
    .filter((_, k) => echoes[k])
    .map(({ e }) => ({ event: e, outcome: "own_write" }));
  for (const { i } of fresh.filter((_, k) => echoes[k])) fates[i] = { kind: "done", outcome: "own_write" };
  if (work.length === 0) {
    await markProcessed(deps.db, finished, now);
    return { fates, apiCalls: 0, records: 0, phases: clock.phases };
  }

  const crm = await deps.crmFor(portalKey);
  if (!crm.ok) {
    const fate: EventFate = crm.error.retryable
      ? { kind: "retry", delayMs: crm.error.retryAfterMs ?? 30_000, reason: crm.error.message }
      : { kind: "dead", code: crm.error.code, reason: crm.error.message };
    for (const { i } of work) fates[i] = fate;
    await markProcessed(deps.db, finished, now);
    return { fates, apiCalls: 0, records: 0 };
  }
  const settings = await deps.settingsFor(portalKey);
  const groups = coalesceEvents(work.map(({ e }) => e));
  const ctxBase = { portalKey, settings, crm: crm.value, db: deps.db, now, log: deps.log };

  // D1 writes nothing later in the batch reads (routing decisions, duplicate suggestions): they run while the CRM is
  // written and are awaited before the events are marked processed (a failure retries the batch; they are idempotent).
  const deferred: Promise<unknown>[] = [];
  const deferWrite = (write: Promise<unknown>) => {
    write.catch(() => {}); // observed below; this only keeps an early failure from being unhandled meanwhile
    deferred.push(write);
  };
  // Audit rows of changes already made, committed with the ledger in one transaction (or on their own if the batch fails).
  const pendingAudit: AuditEntry[] = [];
  try {
    clock.lap("setup");
    const { records, apiCalls: readCalls, failed } = await readRecords(groups, deps.engines, ctxBase);
    clock.lap("read");
    for (const [objectType, error] of failed) {
      deps.log.warn("read_refused", { objectType, code: error.code, reason: error.message.slice(0, 300) });
    }
    const ctx: EngineContext = {
      ...ctxBase,
      appId: deps.appId,
      records,
      reference: new ReferenceData(deps.db, portalKey, crm.value, now),
      deferWrite,
    };
    const planned: (PlannedChange & { changeKey: string })[] = [];
    const live: RecordEvents[] = [];
    for (const group of groups) {
      if (failed.has(group.objectType) && !group.gone) continue;
      if (!group.gone) {
        live.push(group);
        continue;
      }
      if (group.events.some((e) => e.kind === "deleted" || e.kind === "privacy_deleted")) {
        await purgeRecord(deps.db, portalKey, group.objectType, group.objectId, now);
      }
      for (const engine of deps.engines) await engine.forget?.(group, ctx);
    }
    clock.lap("forget");
    // Engine by engine, in order; an engine plans the whole batch at once when it can (one set of D1 round trips),
    // or several records at once when it says that is safe (their round trips overlap), or one after another.
    for (const engine of deps.engines) {
      const wanted = live.filter((g) => engine.wants(g));
      const plans =
        wanted.length === 0
          ? []
          : engine.planBatch
            ? await engine.planBatch(wanted, ctx)
            : await mapWithLimit(wanted, engine.concurrency ?? 1, (g) => engine.plan(g, ctx));
      for (const [k, group] of wanted.entries()) {
        const key = group.events.map(eventKey).join(",");
        for (const change of plans[k] ?? []) {
          // A stage move's changes are keyed by the move, whatever batch its events come back in.
          const scope = change.guard ? `${change.objectType}:${change.objectId}:${change.guard.moveKey}` : key;
          planned.push({ ...change, changeKey: await changeKeyOf(scope, change) });
        }
      }
      clock.lap(engine.name);
    }
    const report = await executeChanges(planned, { ...ctxBase, lap: clock.lap, auditLater: (entries) => pendingAudit.push(...entries) });
    clock.lap("execute");
    await Promise.all(deferred);
    clock.lap("deferred");
    const outcome = report.applied > 0 ? "applied" : report.observed > 0 ? "observed" : "no_change";
    const gone = new Set(groups.filter((g) => g.gone).map((g) => `${g.objectType}:${g.objectId}`));
    for (const { e, i } of work) {
      const refused = failed.get(e.objectType);
      if (refused && !gone.has(`${e.objectType}:${e.objectId}`)) {
        // Left unprocessed in the ledger, so a replay from the dead letters is processed.
        fates[i] = { kind: "dead", code: refused.code, reason: `reading the ${e.objectType} failed: ${refused.message}` };
        continue;
      }
      fates[i] = { kind: "done", outcome };
      finished.push({ event: e, outcome });
    }
    const commit = [
      ...auditStatements(deps.db, pendingAudit, now),
      ...markProcessedStatements(deps.db, finished, now),
      ...supersededStatements(
        deps.db,
        groups.filter((g) => fromBackfillSearch(g) && !failed.has(g.objectType)),
        now,
      ),
    ];
    if (commit.length > 0) await deps.db.batch(commit);
    clock.lap("ledger");
    return { fates, apiCalls: readCalls + report.apiCalls, records: groups.length, counts: report.counts, phases: clock.phases };
  } catch (cause) {
    await Promise.allSettled(deferred);
    await appendAudit(deps.db, pendingAudit, now);
    await markProcessed(deps.db, finished, now);
    if (!(cause instanceof RetryableCrmError)) throw cause;
    for (const { i } of work) fates[i] = { kind: "retry", delayMs: cause.crmError.retryAfterMs ?? 5_000, reason: cause.crmError.message };
    return { fates, apiCalls: 0, records: groups.length };
  }
}

/**
 * Reads every record some engine wants, once, in batches per object type. A read the CRM refuses for good (a property
 * it does not know, no permission) is reported per object type, so those events are dead-lettered with the reason.
 */
async function readRecords(
  groups: readonly RecordEvents[],
  engines: readonly Engine[],
  ctx: { crm: CrmPort; settings: PortalSettings; db: D1Database; portalKey: PortalKey; now: number },
) {
  const wanted = new Map<ObjectType, Set<string>>();
  for (const g of groups) {
    if (g.gone || !engines.some((e) => e.wants(g))) continue;
    const ids = wanted.get(g.objectType) ?? new Set<string>();
    ids.add(g.objectId);
    wanted.set(g.objectType, ids);
  }
  const loaded = new Map<string, LoadedRecord>();
  const failed = new Map<ObjectType, CrmError>();
  let apiCalls = 0;
  // One batched read per object type, the types at once (each is a CRM round trip).
  const reads = await Promise.allSettled(
    [...wanted].map(async ([objectType, ids]) => {
      const historyFor = [...new Set(engines.flatMap((e) => e.historyFor?.(objectType, ctx.settings, ctx.crm.crm) ?? []))];
      const properties = [...new Set(engines.flatMap((e) => e.propertiesFor?.(objectType, ctx.settings, ctx.crm.crm) ?? []))];
      const result = await ctx.crm.read(objectType, [...ids], { historyFor, properties });
      apiCalls += Math.ceil(ids.size / 100);
      if (!result.ok) {
        if (result.error.retryable) throw new RetryableCrmError(result.error);
        failed.set(objectType, result.error);
        return;
      }
      for (const [id, rec] of result.value) loaded.set(`${objectType}:${id}`, rec as LoadedRecord);
      // What the engines just read is also what the cards show: keep it so they need no CRM call.
      await saveSnapshots(ctx.db, ctx.portalKey, objectType, result.value, ctx.now);
    }),
  );
  for (const r of reads) if (r.status === "rejected") throw r.reason;
  const records: EngineContext["records"] = { get: (objectType, id) => loaded.get(`${objectType}:${id}`) as never };
  return { records, apiCalls, failed };
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping the results in input order. */
async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

async function changeKeyOf(groupKey: string, change: PlannedChange): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${groupKey}|${change.kind}|${change.rule}`));
  return btoa(String.fromCharCode(...new Uint8Array(digest).slice(0, 18)));
}
