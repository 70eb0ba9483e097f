import type { CrmPort } from "../../../shared/crm-port.ts";
import { ADDITIONAL_EMAILS, type FieldChange, type MergePlan, planRestore } from "../../../shared/dedupe/merge-plan.ts";
import { prepareContact } from "../../../shared/dedupe/prepare.ts";
import type { Contact, PortalKey } from "../../../shared/domain/types.ts";
import { appendAudit } from "../audit/audit-log.ts";
import type { AuditRow } from "../audit/audit-query.ts";
import { journalOwnWrites } from "../ledger/own-writes.ts";
import { contactToDedupe, mergeFieldToProperty } from "./contact-fields.ts";
import { indexContacts, journalMerge, rememberNotDuplicate } from "./index-repository.ts";
import { survivorOf } from "./merge-executor.ts";

export type RestoreContext = { db: D1Database; crm: CrmPort; portalKey: PortalKey; userId: string; now: number; dryRun: boolean };
export type RestoreOutcome = { undone: string[]; skipped: Array<{ id: string; reason: string }> };

// Properties the CRM keeps itself: a recreated record cannot be given them.
const SYSTEM_PROPERTIES = new Set(["createdate", "lastmodifieddate", "notes_last_updated", "sObjectType"]);
const text = (v: string | number | null | undefined) => (v === null || v === undefined || v === "" ? null : String(v));

/** The merge plan an applied merge's audit row holds (snapshots before, plan and new id after). */
export function planFromAudit(row: AuditRow): { plan: MergePlan; newId: string } | null {
  const before = JSON.parse(row.before ?? "null") as MergePlan["snapshots"] | null;
  const after = JSON.parse(row.after ?? "null") as (Omit<MergePlan, "snapshots"> & { newId: string | null }) | null;
  if (!before?.primary || !before.merged || !after?.newId) return null;
  return { plan: { ...after, snapshots: before }, newId: after.newId };
}

/**
 * Restores merges (the undo of action `merge`): puts back the survivor's fields the merge changed where they still
 * hold what the merge wrote, takes the merged-away email out of its additional emails, recreates the merged-away
 * record from its snapshot under a new id, journals old id → new id and remembers the pair as not duplicates.
 * What cannot come back: the old id, the merged record's timeline and association history (see README).
 */
export async function restoreMerges(rows: readonly AuditRow[], ctx: RestoreContext): Promise<RestoreOutcome> {
  const outcome: RestoreOutcome = { undone: [], skipped: [] };
  for (const row of rows) {
    const found = planFromAudit(row);
    if (!found) {
      outcome.skipped.push({ id: String(row.id), reason: "the audit entry holds no merge to restore" });
      continue;
    }
    const result = await restoreOne(row, found.plan, found.newId, ctx);
    if (typeof result === "string") outcome.skipped.push({ id: String(row.id), reason: result });
    else outcome.undone.push(String(row.id));
  }
  return outcome;
}

async function restoreOne(row: AuditRow, plan: MergePlan, newId: string, ctx: RestoreContext): Promise<string | { recreatedId: string }> {
  const restore = planRestore(plan);
  const props = [...new Set(plan.updates.map((u) => mergeFieldToProperty(ctx.crm.crm, u.field)).filter((p): p is string => !!p))];
  const current = await ctx.crm.readProperties("contacts", [newId], [...props, ADDITIONAL_EMAILS]);
  if (!current.ok) return `the CRM could not be read: ${current.error.message}`;
  const values = current.value.get(newId);
  if (!values) return "the merged record no longer exists";
  const revert = revertValues(ctx.crm.crm, plan, values);
  const recreate = recreateProperties(ctx.crm.crm, restore.recreate);
  if (ctx.dryRun) return { recreatedId: "" };
  if (Object.keys(revert).length > 0) {
    await journalOwnWrites(
      ctx.db,
      Object.entries(revert).map(([property, value]) => ({
        portalKey: ctx.portalKey,
        objectType: "contacts",
        objectId: newId,
        property,
        value,
      })),
      ctx.now,
    );
    const written = await ctx.crm.update("contacts", [{ id: newId, properties: revert }]);
    if (!written.ok) return `the CRM refused to put back the survivor's fields: ${written.error.message}`;
  }
  const created = await ctx.crm.createContact(recreate);
  if (!created.ok) return `the CRM refused to recreate the merged record: ${created.error.message}`;
  const recreatedId = created.value.id;
  await journalMerge(ctx.db, ctx.portalKey, [plan.mergedId], recreatedId, ctx.now, String(row.id));
  await rememberNotDuplicate(ctx.db, ctx.portalKey, newId, recreatedId, `user:${ctx.userId}`, ctx.now);
  await reindex(plan, newId, recreatedId, revert, ctx);
  await markRestored(row, plan, newId, recreatedId, restore.cannotRestore, ctx);
  return { recreatedId };
}

/** The survivor's fields to put back: only those still holding the merge's value (never overwrite a person's edit). */
function revertValues(crm: CrmPort["crm"], plan: MergePlan, values: Record<string, string | null>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const u of plan.updates as FieldChange[]) {
    const property = mergeFieldToProperty(crm, u.field);
    if (!property || property === ADDITIONAL_EMAILS) continue;
    if ((values[property] ?? null) === text(u.to)) out[property] = text(u.from);
  }
  const mergedEmail = plan.snapshots.merged.email?.toLowerCase();
  const extras = values[ADDITIONAL_EMAILS];
  if (crm === "hubspot" && mergedEmail && extras) {
    const kept = extras.split(";").filter((e) => e !== "" && e.toLowerCase() !== mergedEmail);
    out[ADDITIONAL_EMAILS] = kept.length > 0 ? kept.join(";") : null;
  }
  return out;
}

function recreateProperties(crm: CrmPort["crm"], recreate: Record<string, string | number | null>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [field, value] of Object.entries(recreate)) {
    if (value === null || value === "") continue;
    const mapped = mergeFieldToProperty(crm, field);
    // Domain fields map to their property; the snapshot's other properties keep their CRM names (HubSpot only).
    const property = mapped !== field ? mapped : crm === "hubspot" ? field : null;
    if (!property || property.startsWith("hs_") || SYSTEM_PROPERTIES.has(property)) continue;
    out[property] = String(value);
  }
  return out;
}

async function reindex(plan: MergePlan, newId: string, recreatedId: string, revert: Record<string, string | null>, ctx: RestoreContext) {
  const survivor = survivorOf(plan, newId);
  for (const u of plan.updates) {
    const property = mergeFieldToProperty(ctx.crm.crm, u.field);
    if (property && property in revert && u.field in survivor) (survivor as Record<string, unknown>)[u.field] = u.from;
  }
  const recreated: Contact = { ...structuredClone(plan.snapshots.merged), id: recreatedId };
  await indexContacts(
    ctx.db,
    ctx.portalKey,
    [survivor, recreated].map((c) => prepareContact(contactToDedupe(c))),
    ctx.now,
  );
}

async function markRestored(row: AuditRow, plan: MergePlan, newId: string, recreatedId: string, cannot: string[], ctx: RestoreContext) {
  const by = `user:${ctx.userId}`;
  await ctx.db.prepare("UPDATE audit_log SET undone_at = ?, undone_by = ? WHERE id = ?").bind(ctx.now, by, row.id).run();
  await appendAudit(
    ctx.db,
    [
      {
        portalKey: ctx.portalKey,
        automation: row.automation,
        action: "undo",
        objectType: "contacts",
        objectId: newId,
        status: "applied",
        rule: row.rule,
        reason: `Restored merge ${row.id}: ${plan.mergedId} was recreated as ${recreatedId}. Not restored: ${cannot.join("; ")}`,
        before: { survivorId: newId },
        after: { survivorId: newId, recreatedId, oldId: plan.mergedId },
        actor: by,
      },
    ],
    ctx.now,
  );
}
