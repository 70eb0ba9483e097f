import type { DuplicateEvidence, MergePreview } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import { ADDITIONAL_EMAILS, planMerge } from "../../../shared/dedupe/merge-plan.ts";
import type { DedupeSettings } from "../../../shared/dedupe/settings.ts";
import type { FieldEvidence, PreparedContact } from "../../../shared/dedupe/types.ts";
import { type Contact, emptyContact, type PortalKey } from "../../../shared/domain/types.ts";
import { FIELD_LABELS } from "./contact-fields.ts";

/** The fields a merge preview lists (when either record has a value). */
const PREVIEW_FIELDS = [
  "firstName",
  "lastName",
  "email",
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
  "lifecycleStage",
  "leadStatus",
  "ownerId",
] as const satisfies readonly (keyof Contact)[];

const text = (v: unknown): string | null => (v === null || v === undefined || v === "" ? null : String(v));

/** What merging `self` and `other` would leave, field by field, with the survivor and why. */
export function mergePreview(self: Contact, other: Contact, settings: DedupeSettings): MergePreview {
  const plan = planMerge(self, other, settings);
  if (!plan.ok) return { primaryId: self.id, primaryReason: plan.error.message, fields: [] };
  const { primaryId, primaryReason, updates } = plan.value;
  const primary = primaryId === self.id ? self : other;
  const changed = new Map(updates.map((u) => [u.field, u]));
  const fields: MergePreview["fields"] = [];
  for (const field of [...PREVIEW_FIELDS, ADDITIONAL_EMAILS]) {
    const get = (c: Contact) => text(field === ADDITIONAL_EMAILS ? c.extra[field] : c[field as keyof Contact]);
    const thisValue = get(self);
    const otherValue = get(other);
    const update = changed.get(field);
    const survivingValue = update ? text(update.to) : get(primary);
    if (thisValue === null && otherValue === null && survivingValue === null) continue;
    const from =
      survivingValue === null
        ? "neither"
        : survivingValue === thisValue && survivingValue === otherValue
          ? "both"
          : survivingValue === thisValue
            ? "this"
            : survivingValue === otherValue
              ? "other"
              : "both";
    const rule = update?.rule ?? settings.fieldRules[field] ?? settings.defaultFieldRule;
    fields.push({ field, fieldLabel: FIELD_LABELS[field] ?? field, thisValue, otherValue, survivingValue, rule, from });
  }
  return { primaryId, primaryReason, fields };
}

/** Engine evidence as the card shows it, from this contact's side. */
export function evidenceView(evidence: readonly FieldEvidence[]): DuplicateEvidence[] {
  return evidence.map((e) => ({
    field: e.field,
    fieldLabel: FIELD_LABELS[e.field] ?? e.field,
    level: e.level,
    weight: e.weight,
    thisValue: e.a,
    otherValue: e.b,
  }));
}

/** A contact's display name. */
export function contactName(c: Contact): string {
  return [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || `Contact ${c.id}`;
}

/**
 * Contacts for cards from D1 only: the pipeline's record snapshot (any age), else the index's compact fields (lower-
 * case, but enough to name the record and preview a merge). Ids D1 knows nothing about are absent.
 */
export async function contactsFromD1(db: D1Database, portalKey: PortalKey, ids: readonly string[]): Promise<Map<string, Contact>> {
  const out = new Map<string, Contact>();
  const unique = [...new Set(ids)].slice(0, 90);
  if (unique.length === 0) return out;
  const marks = unique.map(() => "?").join(", ");
  const [snapshots, indexed] = await db.batch<{ id: string; body: string }>([
    db
      .prepare(
        `SELECT object_id AS id, record AS body FROM record_snapshots WHERE portal_key = ? AND object_type = 'contacts' AND object_id IN (${marks})`,
      )
      .bind(portalKey, ...unique),
    db
      .prepare(`SELECT contact_id AS id, fields AS body FROM dedupe_contacts WHERE portal_key = ? AND contact_id IN (${marks})`)
      .bind(portalKey, ...unique),
  ]);
  for (const r of indexed?.results ?? []) out.set(r.id, fromPrepared(JSON.parse(r.body) as PreparedContact));
  for (const r of snapshots?.results ?? []) out.set(r.id, JSON.parse(r.body) as Contact);
  return out;
}

function fromPrepared(p: PreparedContact): Contact {
  const c = emptyContact(p.id);
  const or = (v: string) => (v === "" ? null : v);
  return {
    ...c,
    firstName: or(p.first),
    lastName: or(p.last),
    email: or(p.email),
    phone: or(p.phone),
    company: or(p.company),
    jobTitle: or(p.title),
    street: or(p.street),
    city: or(p.city),
    postalCode: or(p.postal),
    country: or(p.country),
  };
}
