import type { CrmError, CrmPort } from "../../../shared/crm-port.ts";
import type { ObjectType, PortalKey } from "../../../shared/domain/types.ts";
import { mayWrite, type PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { type AuditEntry, appendAudit } from "../audit/audit-log.ts";
import { applyMerges, type MergeChange, mayAutoMerge, mergeAudit, RetryableMergeError } from "../dedupe/merge-executor.ts";
import { type OwnWrite, ownWriteStatements } from "../ledger/own-writes.ts";
import { applyGuardedStageMoves } from "../stage-gates/move-guard.ts";
import { type Activity, activityRef, createActivities, findUnacknowledged, priorAttempts, recordAttempts } from "./activities.ts";
import type { PlannedChange, StageMoveGuard } from "./types.ts";

export type ExecutionReport = {
  applied: number;
  observed: number;
  refused: number;
  apiCalls: number;
  /** Per automation and status, e.g. `hygiene_applied`, for the metrics counters. */
  counts: Record<string, number>;
};

export class RetryableCrmError extends Error {
  constructor(readonly crmError: CrmError) {
    super(crmError.message);
  }
}

type Update = Extract<PlannedChange, { kind: "update" }>;

/** Whether a change may be applied now; merges also need the dedupe settings' auto-merge switch. */
function mayApply(settings: PortalSettings, c: PlannedChange): boolean {
  return c.kind === "merge" ? mayAutoMerge(settings) : mayWrite(settings, c.automation);
}

type ExecutionContext = {
  portalKey: PortalKey;
  settings: PortalSettings;
  crm: CrmPort;
  db: D1Database;
  now: number;
  /** Marks the end of a named step, for the batch's per-phase timings. */
  lap?: (phase: string) => void;
  /**
   * Takes the audit rows of changes made without a record lock, for the caller to commit in one transaction with the
   * ledger (one D1 round trip less per batch). The caller must write them whatever happens after. Without it, the
   * executor writes them itself; changes made under a lock are always audited before the lock is let go.
   */
  auditLater?: (entries: readonly AuditEntry[]) => void;
};

/**
 * Applies planned changes that their automation may write (one batched update per object type, notes and tasks
 * once per `changeKey`), records the rest as observed, and audits everything with what undoes it. Changes guarded by
 * a stage move are applied last, under their deal's lock, and only if the deal has not moved since it was judged.
 * Throws RetryableCrmError when the CRM asks us to come back later.
 */
export async function executeChanges(
  changes: readonly (PlannedChange & { changeKey: string })[],
  ctx: ExecutionContext,
): Promise<ExecutionReport> {
  const guarded = changes.filter((c): c is PlannedChange & { changeKey: string; guard: StageMoveGuard } => c.guard !== undefined);
  if (guarded.length === 0) return applyChanges(changes, ctx);
  const unguarded = changes.filter((c) => c.guard === undefined);
  const report = await applyChanges(unguarded, ctx);
  // A judged move's note and task first, then its revert: if a call fails, the move is still the deal's latest entry,
  // so the retry judges it again and makes only what is missing (audited per change). Reverting first, a retry would
  // see our own revert as the latest entry and never make the note and task.
  const locked = { ...ctx, auditLater: undefined };
  const outcome = await applyGuardedStageMoves(guarded, ctx, async (kept) => {
    addReport(
      report,
      await applyChanges(
        kept.filter((c) => c.kind !== "update"),
        locked,
      ),
    );
    addReport(
      report,
      await applyChanges(
        kept.filter((c) => c.kind === "update"),
        locked,
      ),
    );
  });
  if (!outcome.ok) throw new RetryableCrmError(outcome.error);
  report.apiCalls += outcome.value.apiCalls;
  return report;
}

function addReport(into: ExecutionReport, from: ExecutionReport): void {
  into.applied += from.applied;
  into.observed += from.observed;
  into.refused += from.refused;
  into.apiCalls += from.apiCalls;
  for (const [key, n] of Object.entries(from.counts)) into.counts[key] = (into.counts[key] ?? 0) + n;
}

async function applyChanges(changes: readonly (PlannedChange & { changeKey: string })[], ctx: ExecutionContext): Promise<ExecutionReport> {
  const report: ExecutionReport = { applied: 0, observed: 0, refused: 0, apiCalls: 0, counts: {} };
  const audit: AuditEntry[] = [];
  const writable = changes.filter((c) => mayApply(ctx.settings, c));
  for (const c of changes) if (!mayApply(ctx.settings, c)) audit.push(auditOf(ctx.portalKey, c, "observed"));
  report.observed = changes.length - writable.length;

  // One batched update per object type, the types at once. Our writes are journalled first so their echoes are known;
  // the journal goes in one round trip with the read of what an admin undid (a change an admin undid is not made again
  // by the same rule on the same record; its journal row is harmless: the value is never written).
  const candidates = writable.filter((c): c is Update & { changeKey: string } => c.kind === "update");
  const undone = await undoneRulesAndJournal(
    ctx,
    candidates.flatMap((c) =>
      Object.entries(c.after).map(([property, value]) => ({
        portalKey: ctx.portalKey,
        objectType: c.objectType,
        objectId: c.objectId,
        property,
        value,
      })),
    ),
    [...new Set(candidates.map((c) => c.objectId))],
  );
  const updates = candidates.filter((c) => !undone.has(`${c.objectId}|${c.rule}`));
  const perType = (["contacts", "companies", "deals"] as const)
    .map((objectType) => ({ objectType, batch: updates.filter((u) => u.objectType === objectType) }))
    .filter((t) => t.batch.length > 0)
    .map((t) => ({ ...t, merged: mergeByObject(t.batch) }));
  ctx.lap?.("exec_journal");
  const results = await Promise.all(perType.map(({ objectType, merged }) => ctx.crm.update(objectType, merged)));
  ctx.lap?.("exec_update");
  for (const [i, { batch, merged }] of perType.entries()) {
    const result = results[i] as Awaited<ReturnType<CrmPort["update"]>>;
    report.apiCalls += Math.ceil(merged.length / 100);
    if (!result.ok && result.error.retryable) throw new RetryableCrmError(result.error);
    const status = result.ok ? "applied" : "refused";
    for (const u of batch) audit.push(auditOf(ctx.portalKey, u, status, result.ok ? undefined : result.error.message));
    if (result.ok) report.applied += batch.length;
    else report.refused += batch.length;
  }

  const planned = writable.filter((c): c is Activity => c.kind !== "update" && c.kind !== "merge");
  const prior = await priorAttempts(
    ctx.db,
    ctx.portalKey,
    planned.map((c) => c.changeKey),
  );
  const pending = planned.filter((c) => !prior.applied.has(c.changeKey));
  const refs = new Map(await Promise.all(pending.map(async (c) => [c.changeKey, await activityRef(c.changeKey)] as const)));
  // Asked for before without an answer (a lost reply, a crash): the CRM may have made it, so look before making it again.
  const found = await findUnacknowledged(
    ctx.crm,
    pending.filter((c) => prior.attempted.has(c.changeKey)),
    refs,
  );
  report.apiCalls += found.calls;
  if (found.retryLater) {
    await appendAudit(ctx.db, audit, ctx.now);
    throw new RetryableCrmError(found.retryLater);
  }
  for (const c of pending) {
    const id = found.made.get(c.changeKey);
    if (id === undefined) continue;
    audit.push(auditOf(ctx.portalKey, c, "applied", undefined, id));
    report.applied += 1;
  }
  const activities = pending.filter((c) => !found.made.has(c.changeKey));
  await recordAttempts(
    ctx.db,
    ctx.portalKey,
    activities.map((c) => c.changeKey),
    ctx.now,
  );
  // Notes and tasks, each kind its own call (at once): what one kind made is audited even when the other must be
  // retried, so the retry (which skips changes audited as applied) makes only what is missing.
  const byKind = (["note", "task"] as const).map((kind) => activities.filter((c) => c.kind === kind)).filter((a) => a.length > 0);
  const made = await Promise.all(byKind.map((list) => createActivities(ctx.crm, list, refs)));
  let retryLater: CrmError | null = null;
  for (const [k, list] of byKind.entries()) {
    const result = made[k] as Awaited<ReturnType<typeof createActivities>>;
    report.apiCalls += result.calls;
    if (!result.outcome.ok && result.outcome.error.retryable) {
      retryLater ??= result.outcome.error;
      continue;
    }
    const ids = result.outcome.ok ? result.outcome.value : [];
    const failure = result.outcome.ok ? undefined : result.outcome.error.message;
    for (const [i, c] of list.entries()) audit.push(auditOf(ctx.portalKey, c, failure ? "failed" : "applied", failure, ids[i]));
    if (result.outcome.ok) report.applied += list.length;
    else report.refused += list.length;
  }
  if (retryLater) {
    await appendAudit(ctx.db, audit, ctx.now);
    throw new RetryableCrmError(retryLater);
  }
  ctx.lap?.("exec_activities");
  if (ctx.auditLater) ctx.auditLater(audit);
  else await appendAudit(ctx.db, audit, ctx.now);
  ctx.lap?.("exec_audit");
  await applyMergeChanges(
    writable.filter((c): c is MergeChange => c.kind === "merge"),
    ctx,
    report,
  );
  for (const entry of audit)
    report.counts[`${entry.automation}_${entry.status}`] = (report.counts[`${entry.automation}_${entry.status}`] ?? 0) + 1;
  return report;
}

/** Merges after every other change (they audit themselves as they go, so a retry never repeats one). */
async function applyMergeChanges(merges: readonly MergeChange[], ctx: ExecutionContext, report: ExecutionReport): Promise<void> {
  if (merges.length === 0) return;
  try {
    for (const o of await applyMerges(merges, ctx)) {
      if (o.status === "skipped") continue;
      report.apiCalls += 1;
      report[o.status] += 1;
      const key = `${o.change.automation}_${o.status}`;
      report.counts[key] = (report.counts[key] ?? 0) + 1;
    }
  } catch (cause) {
    if (cause instanceof RetryableMergeError) throw new RetryableCrmError(cause.crmError);
    throw cause;
  }
}

function mergeByObject(batch: readonly Update[]): { id: string; properties: Record<string, string | null> }[] {
  const byId = new Map<string, Record<string, string | null>>();
  for (const u of batch) byId.set(u.objectId, { ...byId.get(u.objectId), ...u.after });
  return [...byId].map(([id, properties]) => ({ id, properties }));
}

/** Reads which rules an admin undid on these records, and journals our coming writes, in one D1 round trip. */
async function undoneRulesAndJournal(ctx: ExecutionContext, writes: readonly OwnWrite[], ids: readonly string[]): Promise<Set<string>> {
  const reads: D1PreparedStatement[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    reads.push(
      ctx.db
        .prepare(
          `SELECT object_id, rule FROM audit_log WHERE portal_key = ? AND undone_at IS NOT NULL AND object_id IN (${chunk.map(() => "?").join(", ")})`,
        )
        .bind(ctx.portalKey, ...chunk),
    );
  }
  const statements = [...reads, ...(await ownWriteStatements(ctx.db, writes, ctx.now))];
  const found = new Set<string>();
  if (statements.length === 0) return found;
  const results = await ctx.db.batch<{ object_id: string; rule: string | null }>(statements);
  for (const r of results.slice(0, reads.length)) for (const row of r.results) found.add(`${row.object_id}|${row.rule}`);
  return found;
}

function auditOf(
  portalKey: PortalKey,
  c: PlannedChange & { changeKey: string },
  status: AuditEntry["status"],
  failure?: string,
  createdId?: string,
): AuditEntry {
  const reason = failure ? `${c.reason} — the CRM refused: ${failure}` : c.reason;
  const base = {
    portalKey,
    automation: c.automation,
    objectType: c.objectType as ObjectType,
    objectId: c.objectId,
    status,
    rule: c.rule,
    reason,
    eventKey: c.changeKey,
  };
  if (c.kind === "update") return { ...base, action: "update_properties", before: c.before, after: c.after };
  if (c.kind === "merge") return mergeAudit(portalKey, c, status, failure ? { failure } : {});
  if (c.kind === "note") return { ...base, action: "create_note", before: null, after: { id: createdId ?? null, body: c.body } };
  return {
    ...base,
    action: "create_task",
    before: null,
    after: { id: createdId ?? null, subject: c.subject, ownerId: c.ownerId, dueAt: c.dueAt },
  };
}
