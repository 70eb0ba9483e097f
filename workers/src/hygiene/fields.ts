import type { PropertyHistoryEntry, RecordHistory } from "../../../shared/crm-port.ts";
import type { ValueChange } from "../../../shared/hygiene/auto-fix.ts";
import { fixPolicyFor, type HygieneSettings } from "../../../shared/hygiene/settings.ts";
import { contactFieldToProperty, propertiesFor } from "../crm/hubspot/mapping.ts";

/** The object types hygiene scores on the pipeline and on cards. */
export type HygieneObject = "contacts" | "companies";

const COMPANY_FIELD_PROPERTIES: Record<string, string> = {
  numberOfEmployees: "numberofemployees",
  ownerId: "hubspot_owner_id",
  createdAt: "createdate",
  updatedAt: "hs_lastmodifieddate",
};

/** Domain fields the hygiene checks read, per object (beyond the settings' required fields). */
const JUDGED_FIELDS: Record<HygieneObject, readonly string[]> = {
  contacts: [
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
  ],
  companies: ["name", "domain", "website", "phone", "industry", "numberOfEmployees", "city", "state", "country"],
};

/** The CRM property a hygiene field name is written to (fields outside the domain types are CRM names already). */
export function fieldToProperty(objectType: HygieneObject, field: string): string {
  return objectType === "contacts" ? contactFieldToProperty(field) : (COMPANY_FIELD_PROPERTIES[field] ?? field);
}

/** CRM properties whose change should make hygiene look at the record again. */
export function judgedProperties(objectType: HygieneObject, settings: HygieneSettings): Set<string> {
  const fields = [...JUDGED_FIELDS[objectType], ...Object.keys(settings.required[objectType])];
  return new Set(fields.map((f) => fieldToProperty(objectType, f)));
}

const STANDARD: Record<HygieneObject, Set<string>> = {
  contacts: new Set(propertiesFor("contacts")),
  companies: new Set(propertiesFor("companies")),
};
const JUDGED_STANDARD: Record<HygieneObject, Set<string>> = {
  contacts: new Set(JUDGED_FIELDS.contacts.map((f) => fieldToProperty("contacts", f))),
  companies: new Set(JUDGED_FIELDS.companies.map((f) => fieldToProperty("companies", f))),
};

/**
 * Whether a changed property may bear on hygiene before the settings are known: a judged standard property, or a
 * custom one (an admin may have made it required); HubSpot's own `hs_` and other standard properties never do.
 */
export function mayBeJudged(objectType: HygieneObject, property: string): boolean {
  if (JUDGED_STANDARD[objectType].has(property)) return true;
  return !STANDARD[objectType].has(property) && !property.startsWith("hs_");
}

/** Properties the engine must read beyond the adapter's standard set: required custom properties. */
export function extraProperties(objectType: HygieneObject, settings: HygieneSettings): string[] {
  return Object.keys(settings.required[objectType]).map((f) => fieldToProperty(objectType, f));
}

/** The CRM properties of every field an admin set to `auto`: only their history decides whether a fix may be written. */
export function autoFixProperties(objectType: HygieneObject, settings: HygieneSettings): string[] {
  return Object.keys(settings.fixPolicy[objectType])
    .filter((field) => fixPolicyFor(settings, objectType, field) === "auto")
    .map((field) => fieldToProperty(objectType, field));
}

/** Who wrote one history entry: our app (integration with our app id), a person (UI), or anyone else. */
export function sourceOf(entry: PropertyHistoryEntry, appId: string | undefined): ValueChange["source"] {
  if (appId && entry.sourceType === "INTEGRATION" && entry.sourceId === appId) return "ours";
  if (entry.sourceType === "CRM_UI" || entry.sourceId?.startsWith("userId:")) return "user";
  return "other";
}

/** The CRM's property history in the core's terms, keyed by hygiene field name, for `planAutoFixes`. */
export function fieldHistory(
  objectType: HygieneObject,
  history: RecordHistory,
  fields: readonly string[],
  appId: string | undefined,
): Record<string, ValueChange[]> {
  const out: Record<string, ValueChange[]> = {};
  for (const field of fields) {
    const entries = history[fieldToProperty(objectType, field)] ?? [];
    out[field] = entries.map((e) => ({ value: e.value, timestamp: Date.parse(e.timestamp) || 0, source: sourceOf(e, appId) }));
  }
  return out;
}

const LABELS: Record<string, string> = {
  email: "Email",
  firstName: "First name",
  lastName: "Last name",
  phone: "Phone number",
  mobilePhone: "Mobile phone number",
  company: "Company name",
  jobTitle: "Job title",
  website: "Website URL",
  street: "Street address",
  city: "City",
  state: "State/Region",
  postalCode: "Postal code",
  country: "Country/Region",
  industry: "Industry",
  name: "Company name",
  domain: "Company domain name",
  numberOfEmployees: "Number of employees",
  updatedAt: "Last modified date",
  lastActivityAt: "Last activity date",
  id: "Record",
};

/** The field's label as reps know it in HubSpot; a custom property shows its own name. */
export function fieldLabel(objectType: HygieneObject, field: string): string {
  if (objectType === "companies" && field === "phone") return "Phone number";
  return LABELS[field] ?? field;
}
