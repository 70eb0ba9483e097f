import type { CrmPort } from "../../../shared/crm-port.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { Finding, HygieneReport } from "../../../shared/hygiene/types.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { saveSnapshots } from "../cards/record-snapshots.ts";
import { journalOwnWrites } from "../ledger/own-writes.ts";
import { findingId } from "./card-view.ts";
import { autoFixProperties, extraProperties, fieldToProperty, type HygieneObject } from "./fields.ts";
import { type HygieneRecord, scoreRecord, withValues } from "./plan.ts";
import { scoringContexts } from "./record-context.ts";
import { saveScores } from "./score-store.ts";

export type FixSelection = { findingIds: readonly string[] } | { allSafe: true };
export type AppliedFix = { findingId: string; field: string; before: string | null; after: string | null; auditId: string };
export type FixOutcome = {
  applied: AppliedFix[];
  refused: Array<{ findingId: string; reason: string }>;
  /** The record's report after the fixes (or as it stands, when nothing was written); null when the record is gone. */
  report: HygieneReport | null;
};

type FixContext = {
  db: D1Database;
  crm: CrmPort;
  portalKey: PortalKey;
  settings: PortalSettings;
  userId: string;
  now: number;
};

/**
 * Applies the fixes a person chose on the card, to the record as the CRM holds it now: one batched write, journaled as
 * ours (so its webhooks do no work), one audit row per fix with the old value (undoable), and the new score stored.
 */
export async function applyManualFixes(
  objectType: HygieneObject,
  objectId: string,
  selection: FixSelection,
  ctx: FixContext,
): Promise<FixOutcome> {
  const read = await ctx.crm.read(objectType, [objectId], {
    properties: extraProperties(objectType, ctx.settings.hygiene),
    historyFor: autoFixProperties(objectType, ctx.settings.hygiene),
  });
  if (!read.ok) throw new FixUnavailable(`HubSpot could not be read: ${read.error.message}`);
  const loaded = read.value.get(objectId);
  if (!loaded || loaded.record.id !== objectId) return { applied: [], refused: [], report: null };
  const record = loaded.record as HygieneRecord;
  const contexts = await scoringContexts(ctx.db, ctx.portalKey, objectType, [record], ctx.now);
  const context = contexts.get(objectId) ?? { now: ctx.now };
  const report = scoreRecord(objectType, record, ctx.settings.hygiene, context);
  const { chosen, refused } = choose(report, selection, ctx.settings);
  if (chosen.length === 0) return { applied: [], refused, report };
  const properties = Object.fromEntries(chosen.map((f) => [fieldToProperty(objectType, f.field), f.fix?.value ?? null]));
  await journalOwnWrites(
    ctx.db,
    Object.entries(properties).map(([property, value]) => ({ portalKey: ctx.portalKey, objectType, objectId, property, value })),
    ctx.now,
  );
  const written = await ctx.crm.update(objectType, [{ id: objectId, properties }]);
  if (!written.ok) {
    const reason = `HubSpot refused the change: ${written.error.message}`;
    return { applied: [], refused: [...refused, ...chosen.map((f) => ({ findingId: findingId(f), reason }))], report };
  }
  const updates = Object.fromEntries(chosen.map((f) => [f.field, f.fix?.value ?? null]));
  const applied = await auditFixes(objectType, objectId, record, chosen, ctx);
  const fixed = withValues(record, updates);
  const after = scoreRecord(objectType, fixed, ctx.settings.hygiene, context);
  await saveScores(ctx.db, ctx.portalKey, [after], ctx.now, new Map([[objectId, report.score]]));
  await saveSnapshots(ctx.db, ctx.portalKey, objectType, new Map([[objectId, { record: fixed, history: loaded.history }]]), ctx.now);
  return { applied, refused, report: after };
}

/** Thrown when the CRM cannot be reached; the edge answers 502. */
export class FixUnavailable extends Error {}

/** The findings to fix now (one per field), and why the others named are not fixed. */
function choose(report: HygieneReport, selection: FixSelection, settings: PortalSettings) {
  const refused: Array<{ findingId: string; reason: string }> = [];
  const chosen: Finding[] = [];
  const byId = new Map(report.findings.map((f) => [findingId(f), f]));
  const wanted = "allSafe" in selection ? report.findings.filter((f) => f.fix?.safe).map(findingId) : [...new Set(selection.findingIds)];
  const fields = new Set<string>();
  for (const id of wanted) {
    const f = byId.get(id);
    const reason = !f
      ? "This problem is no longer on the record; reload the card"
      : f.fix === null
        ? "No fix is offered for this problem"
        : fields.has(f.field)
          ? "Another fix for the same field was applied"
          : settings.killSwitch
            ? "The kill switch is on: no record is changed until an admin turns it off"
            : null;
    if (reason !== null || !f) refused.push({ findingId: id, reason: reason ?? "" });
    else {
      chosen.push(f);
      fields.add(f.field);
    }
  }
  return { chosen, refused };
}

/** One audit row per fix, as the person's action, with the old value so it can be undone; returns their ids. */
async function auditFixes(
  objectType: HygieneObject,
  objectId: string,
  record: HygieneRecord,
  fixes: readonly Finding[],
  ctx: FixContext,
): Promise<AppliedFix[]> {
  const sql = `INSERT INTO audit_log (portal_key, created_at, automation, action, object_type, object_id, status, rule, reason, before, after, actor, event_key)
VALUES (?, ?, 'hygiene', 'update_properties', ?, ?, 'applied', ?, ?, ?, ?, ?, ?) RETURNING id`;
  const rows = fixes.map((f) => {
    const property = fieldToProperty(objectType, f.field);
    const before = fieldValue(record, f.field);
    const after = f.fix?.value ?? null;
    const statement = ctx.db
      .prepare(sql)
      .bind(
        ctx.portalKey,
        ctx.now,
        objectType,
        objectId,
        f.code,
        `Fixed from the card by user ${ctx.userId}: ${f.message}`,
        JSON.stringify({ [property]: before }),
        JSON.stringify({ [property]: after }),
        `user:${ctx.userId}`,
        `manual:${objectId}:${findingId(f)}:${ctx.now}`,
      );
    return { f, before, after, statement };
  });
  const results = await ctx.db.batch<{ id: number }>(rows.map((r) => r.statement));
  return rows.map((r, i) => ({
    findingId: findingId(r.f),
    field: r.f.field,
    before: r.before,
    after: r.after,
    auditId: String(results[i]?.results[0]?.id ?? ""),
  }));
}

function fieldValue(record: HygieneRecord, field: string): string | null {
  const v = (record as unknown as Record<string, unknown>)[field];
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return v === undefined ? (record.extra[field] ?? null) : null;
}
