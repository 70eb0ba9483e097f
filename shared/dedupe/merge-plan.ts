import type { Contact } from "../domain/types.ts";
import { err, ok, type Result } from "../result.ts";
import type { DedupeSettings, FieldRule, PrimaryRule } from "./settings.ts";

/** Contact fields a merge may write; ids, timestamps and `extra` are the CRM's. */
const MERGEABLE = [
  "email",
  "firstName",
  "lastName",
  "phone",
  "mobilePhone",
  "company",
  "jobTitle",
  "website",
  "street",
  "city",
  "state",
  "postalCode",
  "country",
  "industry",
  "numberOfEmployees",
  "leadSource",
  "lifecycleStage",
  "leadStatus",
  "ownerId",
  "companyId",
] as const satisfies readonly (keyof Contact)[];
type MergeField = (typeof MERGEABLE)[number];

/** Where the extra emails go when every email is kept (HubSpot's multi-valued property). */
export const ADDITIONAL_EMAILS = "hs_additional_emails";

export type FieldChange = { field: string; from: string | number | null; to: string | number | null; rule: FieldRule; source: string };

/** Everything the edge needs to merge two records and later undo it. */
export type MergePlan = {
  primaryId: string;
  mergedId: string;
  /** Why this record survives: the rule that decided and the values it compared. */
  primaryReason: string;
  /** Values to write onto the primary before merging (the CRM keeps the primary's values). */
  updates: FieldChange[];
  /** Both records as they were, for the audit log and for restore. */
  snapshots: { primary: Contact; merged: Contact };
};

const filled = (c: Contact) => MERGEABLE.filter((f) => c[f] !== null && c[f] !== "").length;
const time = (s: string | null) => (s ? Date.parse(s) || 0 : 0);

function compareBy(rule: PrimaryRule, a: Contact, b: Contact): number {
  if (rule === "oldest") return time(a.createdAt) && time(b.createdAt) ? time(a.createdAt) - time(b.createdAt) : 0;
  if (rule === "most_complete") return filled(b) - filled(a);
  if (rule === "most_recent_activity") return time(b.lastActivityAt) - time(a.lastActivityAt);
  return (b.ownerId ? 1 : 0) - (a.ownerId ? 1 : 0);
}

/** Chooses the surviving record by the admin's rules in order; the first rule that tells them apart decides. */
export function choosePrimary(
  a: Contact,
  b: Contact,
  rules: readonly PrimaryRule[],
): { primary: Contact; merged: Contact; reason: string } {
  for (const rule of rules) {
    const c = compareBy(rule, a, b);
    if (c !== 0) return c < 0 ? { primary: a, merged: b, reason: `rule ${rule}` } : { primary: b, merged: a, reason: `rule ${rule}` };
  }
  const [primary, merged] = a.id <= b.id ? [a, b] : [b, a];
  return { primary, merged, reason: "no rule told them apart: lower id" };
}

function survivingValue(field: MergeField, rule: FieldRule, p: Contact, m: Contact): { value: Contact[MergeField]; source: string } {
  const pv = p[field];
  const mv = m[field];
  const empty = (v: unknown) => v === null || v === "";
  if (rule === "primary_wins" || empty(mv)) return { value: empty(pv) ? mv : pv, source: empty(pv) ? m.id : p.id };
  if (empty(pv)) return { value: mv, source: m.id };
  if (rule === "most_complete") return String(mv).length > String(pv).length ? { value: mv, source: m.id } : { value: pv, source: p.id };
  if (rule === "most_recent_non_empty")
    return time(m.updatedAt) > time(p.updatedAt) ? { value: mv, source: m.id } : { value: pv, source: p.id };
  return { value: pv, source: p.id };
}

/**
 * Plans a merge: which record survives, the values to write onto it first (field rules; `keep_all` on email keeps the
 * other address in `hs_additional_emails`), and both snapshots. Pure: the edge performs the writes and the merge call.
 */
export function planMerge(a: Contact, b: Contact, settings: DedupeSettings): Result<MergePlan, "same_record"> {
  if (a.id === b.id) return err("same_record", "a record cannot be merged with itself");
  const { primary, merged, reason } = choosePrimary(a, b, settings.primaryRules);
  const updates: FieldChange[] = [];
  for (const field of MERGEABLE) {
    const rule = (settings.fieldRules[field] ?? settings.defaultFieldRule) as FieldRule;
    const { value, source } = survivingValue(field, rule === "keep_all" ? "primary_wins" : rule, primary, merged);
    if (value !== primary[field]) updates.push({ field, from: primary[field], to: value, rule, source });
    if (
      rule === "keep_all" &&
      field === "email" &&
      merged.email &&
      primary.email &&
      merged.email.toLowerCase() !== primary.email.toLowerCase()
    ) {
      const existing = primary.extra[ADDITIONAL_EMAILS] ?? null;
      const all = [...new Set([...(existing ? existing.split(";") : []), merged.email])].join(";");
      updates.push({ field: ADDITIONAL_EMAILS, from: existing, to: all, rule, source: merged.id });
    }
  }
  return ok({
    primaryId: primary.id,
    mergedId: merged.id,
    primaryReason: reason,
    updates,
    snapshots: { primary: structuredClone(primary), merged: structuredClone(merged) },
  });
}

/** What restoring a merge does: recreate the merged-away record and put back the primary's changed fields. */
export type RestorePlan = {
  /** Properties to create the merged-away record with (it gets a new id; its timeline and old id cannot come back). */
  recreate: Record<string, string | number | null>;
  /** Values to write back onto the surviving record: exactly the fields the merge plan changed. */
  revertPrimary: { field: string; value: string | number | null }[];
  cannotRestore: string[];
};

/** Plans the undo of a merge from its plan (as stored in the audit log). */
export function planRestore(plan: MergePlan): RestorePlan {
  const m = plan.snapshots.merged;
  const recreate: Record<string, string | number | null> = { ...m.extra };
  for (const f of MERGEABLE) if (m[f] !== null && m[f] !== "") recreate[f] = m[f];
  return {
    recreate,
    revertPrimary: plan.updates.map((u) => ({ field: u.field, value: u.from })),
    cannotRestore: [
      "the merged record's old id (a new record is created; the journal maps old → new)",
      "its activity timeline, emails and associations history",
      "changes made to the primary after the merge are overwritten for the reverted fields",
    ],
  };
}
