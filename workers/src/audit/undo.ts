import type { UndoSelection } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import type { CrmPort } from "../../../shared/crm-port.ts";
import type { ObjectType, PortalKey } from "../../../shared/domain/types.ts";
import { restoreMerges } from "../dedupe/restore.ts";
import { journalOwnWrites } from "../ledger/own-writes.ts";
import { type AuditEntry, appendAudit } from "./audit-log.ts";
import type { AuditRow } from "./audit-query.ts";

const MAX_UNDO = 500;

export type UndoOutcome = { undone: string[]; skipped: Array<{ id: string; reason: string }> };

/** The applied property changes and merges a selection names, newest first (so stacked changes unwind in order). */
export async function selectUndoable(db: D1Database, portalKey: PortalKey, selection: UndoSelection): Promise<AuditRow[]> {
  const base =
    "SELECT * FROM audit_log WHERE portal_key = ? AND status = 'applied' AND undone_at IS NULL AND action IN ('update_properties', 'merge')";
  if (selection.kind === "entries") {
    const ids = selection.ids.filter((id) => /^\d+$/.test(id)).slice(0, 90);
    if (ids.length === 0) return [];
    return (
      await db
        .prepare(`${base} AND id IN (${ids.map(() => "?").join(", ")}) ORDER BY id DESC`)
        .bind(portalKey, ...ids)
        .all<AuditRow>()
    ).results;
  }
  const from = selection.from ? Date.parse(selection.from) : 0;
  const to = selection.to ? Date.parse(selection.to) : Number.MAX_SAFE_INTEGER;
  if (selection.kind === "rule") {
    return (
      await db
        .prepare(`${base} AND rule = ? AND created_at BETWEEN ? AND ? ORDER BY id DESC LIMIT ?`)
        .bind(portalKey, selection.ruleId, from, to, MAX_UNDO)
        .all<AuditRow>()
    ).results;
  }
  const automation = selection.automation ? " AND automation = ?" : "";
  const params = selection.automation ? [portalKey, from, to, selection.automation, MAX_UNDO] : [portalKey, from, to, MAX_UNDO];
  return (
    await db
      .prepare(`${base} AND created_at BETWEEN ? AND ?${automation} ORDER BY id DESC LIMIT ?`)
      .bind(...params)
      .all<AuditRow>()
  ).results;
}

/**
 * Puts back the values audited changes replaced, field by field, but only where the record still holds the value we
 * wrote: a field someone changed since is left as they set it (never fight a person).
 */
export async function undoChanges(
  rows: readonly AuditRow[],
  ctx: { db: D1Database; crm: CrmPort; portalKey: PortalKey; userId: string; now: number; dryRun: boolean },
): Promise<UndoOutcome> {
  // A merge is undone by restoring it (dedupe/restore.ts); property changes are put back below.
  const merges = rows.filter((r) => r.action === "merge");
  const outcome: UndoOutcome = merges.length > 0 ? await restoreMerges(merges, ctx) : { undone: [], skipped: [] };
  const byType = new Map<ObjectType, AuditRow[]>();
  for (const r of rows.filter((x) => x.action !== "merge"))
    byType.set(r.object_type as ObjectType, [...(byType.get(r.object_type as ObjectType) ?? []), r]);
  for (const [objectType, group] of byType) {
    const ids = [...new Set(group.map((r) => r.object_id))];
    const props = [...new Set(group.flatMap((r) => Object.keys(JSON.parse(r.after ?? "{}") as object)))];
    const current = await ctx.crm.readProperties(objectType, ids, props);
    if (!current.ok) {
      for (const r of group) outcome.skipped.push({ id: String(r.id), reason: `the CRM could not be read: ${current.error.message}` });
      continue;
    }
    const writes = new Map<string, Record<string, string | null>>();
    const applied: AuditRow[] = [];
    for (const r of group) {
      const rec = current.value.get(r.object_id);
      if (!rec) {
        outcome.skipped.push({ id: String(r.id), reason: "the record no longer exists" });
        continue;
      }
      const before = JSON.parse(r.before ?? "{}") as Record<string, string | null>;
      const after = JSON.parse(r.after ?? "{}") as Record<string, string | null>;
      const values = rec;
      const restorable = Object.keys(after).filter((f) => (values[f] ?? null) === (after[f] ?? null));
      if (restorable.length === 0) {
        outcome.skipped.push({ id: String(r.id), reason: "every field was changed since; the newer values stay" });
        continue;
      }
      const pending = writes.get(r.object_id) ?? {};
      for (const f of restorable) if (!(f in pending)) pending[f] = before[f] ?? null;
      writes.set(r.object_id, pending);
      applied.push(r);
    }
    if (ctx.dryRun || writes.size === 0) {
      outcome.undone.push(...applied.map((r) => String(r.id)));
      continue;
    }
    const updates = [...writes].map(([id, properties]) => ({ id, properties }));
    await journalOwnWrites(
      ctx.db,
      updates.flatMap((u) =>
        Object.entries(u.properties).map(([property, value]) => ({
          portalKey: ctx.portalKey,
          objectType,
          objectId: u.id,
          property,
          value,
        })),
      ),
      ctx.now,
    );
    const result = await ctx.crm.update(objectType, updates);
    if (!result.ok) {
      for (const r of applied) outcome.skipped.push({ id: String(r.id), reason: `the CRM refused: ${result.error.message}` });
      continue;
    }
    await markUndone(ctx, applied);
    outcome.undone.push(...applied.map((r) => String(r.id)));
  }
  return outcome;
}

async function markUndone(
  ctx: { db: D1Database; portalKey: PortalKey; userId: string; now: number },
  rows: readonly AuditRow[],
): Promise<void> {
  const by = `user:${ctx.userId}`;
  await ctx.db.batch(
    rows.map((r) => ctx.db.prepare("UPDATE audit_log SET undone_at = ?, undone_by = ? WHERE id = ?").bind(ctx.now, by, r.id)),
  );
  const entries: AuditEntry[] = rows.map((r) => ({
    portalKey: ctx.portalKey,
    automation: r.automation,
    action: "undo",
    objectType: r.object_type,
    objectId: r.object_id,
    status: "applied",
    rule: r.rule,
    reason: `Undid audit entry ${r.id}`,
    before: JSON.parse(r.after ?? "null"),
    after: JSON.parse(r.before ?? "null"),
    actor: by,
  }));
  await appendAudit(ctx.db, entries, ctx.now);
}
