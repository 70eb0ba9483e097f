import type { CrmError, CrmPort } from "../../../shared/crm-port.ts";
import type { MergePlan } from "../../../shared/dedupe/merge-plan.ts";
import { prepareContact } from "../../../shared/dedupe/prepare.ts";
import type { Contact, PortalKey } from "../../../shared/domain/types.ts";
import { mayWrite, type PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { type AuditEntry, appendAudit } from "../audit/audit-log.ts";
import { saveSnapshots } from "../cards/record-snapshots.ts";
import type { PlannedChange } from "../engines/types.ts";
import { journalOwnWrites } from "../ledger/own-writes.ts";
import { contactToDedupe, toCrmProperties } from "./contact-fields.ts";
import { forgetContacts, journalMerge, matchAndIndex, mergedAway } from "./index-repository.ts";
import { saveSuggestions } from "./suggestions.ts";

export type MergeChange = Extract<PlannedChange, { kind: "merge" }> & { changeKey: string };
export type MergeContext = { portalKey: PortalKey; settings: PortalSettings; crm: CrmPort; db: D1Database; now: number };
export type MergeOutcome = {
  change: MergeChange;
  status: "applied" | "refused" | "skipped";
  message: string;
  newId: string | null;
  auditId: string | null;
};

/** Automatic merges need both switches: the dedupe automation (and no kill switch) and the dedupe auto-merge setting. */
export function mayAutoMerge(settings: PortalSettings): boolean {
  return mayWrite(settings, "dedupe") && settings.dedupe.autoMerge;
}

/** The audit entry of a merge: both snapshots before, the plan and the new id after (what `planRestore` needs). */
export function mergeAudit(
  portalKey: PortalKey,
  c: MergeChange,
  status: AuditEntry["status"],
  extra: { newId?: string | null; failure?: string; actor?: string } = {},
): AuditEntry {
  const { snapshots, ...plan } = c.plan;
  return {
    portalKey,
    automation: c.automation,
    action: "merge",
    objectType: "contacts",
    objectId: c.objectId,
    status,
    rule: c.rule,
    reason: extra.failure ? `${c.reason} — the CRM refused: ${extra.failure}` : c.reason,
    before: snapshots,
    after: { ...plan, score: c.score, newId: extra.newId ?? null },
    eventKey: c.changeKey,
    ...(extra.actor ? { actor: extra.actor } : {}),
  };
}

/** The surviving record as the merge leaves it: the primary with the planned values, under the CRM's new id. */
export function survivorOf(plan: MergePlan, newId: string): Contact {
  const survivor: Contact = { ...structuredClone(plan.snapshots.primary), id: newId };
  for (const u of plan.updates) {
    if (u.field in survivor && u.field !== "extra") (survivor as Record<string, unknown>)[u.field] = u.to;
    else survivor.extra[u.field] = u.to === null ? null : String(u.to);
  }
  return survivor;
}

/**
 * Applies merges one pair at a time: the surviving values are written onto every primary first (one batched update),
 * then each pair is merged, audited, journaled (old ids → new id) and the index updated. A change already applied (same
 * change key), a pair one of whose records an earlier merge replaced, or a record used twice in one run is skipped, so
 * redelivery never merges twice. Throws the CRM error when it asks us to come back later, after auditing what was done.
 */
export async function applyMerges(merges: readonly MergeChange[], ctx: MergeContext, actor?: string): Promise<MergeOutcome[]> {
  const outcomes: MergeOutcome[] = [];
  const done = await appliedKeys(
    ctx.db,
    ctx.portalKey,
    merges.map((m) => m.changeKey),
  );
  const replaced = await mergedAway(
    ctx.db,
    ctx.portalKey,
    merges.flatMap((m) => [m.plan.primaryId, m.plan.mergedId]),
  );
  const used = new Set<string>();
  const todo: MergeChange[] = [];
  for (const m of merges) {
    const ids = [m.plan.primaryId, m.plan.mergedId];
    const why = done.has(m.changeKey)
      ? "already merged"
      : ids.some((id) => replaced.has(id))
        ? "a record of the pair was already merged"
        : ids.some((id) => used.has(id))
          ? "a record of the pair is merged in this run"
          : null;
    if (why) outcomes.push({ change: m, status: "skipped", message: why, newId: null, auditId: null });
    else {
      todo.push(m);
      for (const id of ids) used.add(id);
    }
  }
  if (todo.length === 0) return outcomes;

  const written = await writeSurvivingValues(todo, ctx);
  if (!written.ok) {
    await appendAudit(
      ctx.db,
      todo.map((m) => mergeAudit(ctx.portalKey, m, "refused", { failure: written.error.message, actor })),
      ctx.now,
    );
    return [...outcomes, ...todo.map((m) => refused(m, written.error.message))];
  }
  for (const m of todo) {
    const merged = await ctx.crm.mergeContacts(m.plan.primaryId, m.plan.mergedId);
    if (!merged.ok && merged.error.retryable) throw new RetryableMergeError(merged.error);
    if (!merged.ok) {
      await appendAudit(ctx.db, [mergeAudit(ctx.portalKey, m, "refused", { failure: merged.error.message, actor })], ctx.now);
      outcomes.push(refused(m, merged.error.message));
      continue;
    }
    const newId = merged.value.id;
    await appendAudit(ctx.db, [mergeAudit(ctx.portalKey, m, "applied", { newId, actor })], ctx.now);
    const auditId = await auditIdOf(ctx.db, ctx.portalKey, m.changeKey);
    await afterMerge(m.plan, newId, auditId, ctx);
    outcomes.push({ change: m, status: "applied", message: `Merged into ${newId}`, newId, auditId });
  }
  return outcomes;
}

/** A retryable CRM failure in the middle of merging; the executor turns it into a retry of the batch. */
export class RetryableMergeError extends Error {
  constructor(readonly crmError: CrmError) {
    super(crmError.message);
  }
}

const refused = (m: MergeChange, message: string): MergeOutcome => ({ change: m, status: "refused", message, newId: null, auditId: null });

async function writeSurvivingValues(todo: readonly MergeChange[], ctx: MergeContext) {
  const updates = todo
    .map((m) => ({
      id: m.plan.primaryId,
      properties: toCrmProperties(
        ctx.crm.crm,
        m.plan.updates.map((u) => ({ field: u.field, value: u.to })),
      ),
    }))
    .filter((u) => Object.keys(u.properties).length > 0);
  if (updates.length === 0) return { ok: true as const };
  await journalOwnWrites(
    ctx.db,
    updates.flatMap((u) =>
      Object.entries(u.properties).map(([property, value]) => ({
        portalKey: ctx.portalKey,
        objectType: "contacts",
        objectId: u.id,
        property,
        value,
      })),
    ),
    ctx.now,
  );
  const result = await ctx.crm.update("contacts", updates);
  if (!result.ok && result.error.retryable) throw new RetryableMergeError(result.error);
  return result.ok ? { ok: true as const } : { ok: false as const, error: result.error };
}

/** After a merge: the journal, the index without the old ids, and the survivor indexed and matched (suggestions only). */
async function afterMerge(plan: MergePlan, newId: string, auditId: string | null, ctx: MergeContext): Promise<void> {
  await journalMerge(ctx.db, ctx.portalKey, [plan.primaryId, plan.mergedId], newId, ctx.now, auditId);
  await forgetContacts(ctx.db, ctx.portalKey, [plan.primaryId, plan.mergedId]);
  const survivor = survivorOf(plan, newId);
  await saveSnapshots(ctx.db, ctx.portalKey, "contacts", new Map([[newId, { record: survivor, history: {} }]]), ctx.now);
  const matches = await matchAndIndex(
    ctx.db,
    ctx.portalKey,
    prepareContact(contactToDedupe(survivor)),
    ctx.settings.dedupe.thresholds,
    ctx.now,
  );
  await saveSuggestions(ctx.db, ctx.portalKey, newId, matches, ctx.now);
}

async function appliedKeys(db: D1Database, portalKey: PortalKey, keys: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < keys.length; i += 90) {
    const chunk = keys.slice(i, i + 90);
    const rows = await db
      .prepare(
        `SELECT event_key FROM audit_log WHERE portal_key = ? AND action = 'merge' AND status = 'applied' AND event_key IN (${chunk.map(() => "?").join(", ")})`,
      )
      .bind(portalKey, ...chunk)
      .all<{ event_key: string }>();
    for (const r of rows.results) out.add(r.event_key);
  }
  return out;
}

async function auditIdOf(db: D1Database, portalKey: PortalKey, eventKey: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT id FROM audit_log WHERE portal_key = ? AND event_key = ? AND action = 'merge' ORDER BY id DESC LIMIT 1")
    .bind(portalKey, eventKey)
    .first<{ id: number }>();
  return row ? String(row.id) : null;
}
