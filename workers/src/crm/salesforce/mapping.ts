import type { Company, Contact, Deal, ObjectType, Owner, Pipeline } from "../../../../shared/domain/types.ts";
import { emptyContact } from "../../../../shared/domain/types.ts";

/**
 * Salesforce has one sales process per record type, not HubSpot-style pipelines: every Opportunity stage lives in
 * one picklist, so all deals share this pipeline id (the same id HubSpot gives its default pipeline).
 */
export const SALESFORCE_PIPELINE_ID = "default";

/** The sObjects behind each domain object type. People are Contacts or (ids starting 00Q) Leads. */
export type SObjectName = "Contact" | "Lead" | "Account" | "Opportunity";

/** Lead ids start with the Lead key prefix 00Q; every other person id is a Contact. */
export const personSObject = (id: string): "Contact" | "Lead" => (id.startsWith("00Q") ? "Lead" : "Contact");

export function sObjectsFor(objectType: ObjectType): SObjectName[] {
  if (objectType === "contacts") return ["Contact", "Lead"];
  return objectType === "companies" ? ["Account"] : ["Opportunity"];
}

type ContactFieldMap = Partial<Record<keyof Contact, string>>;

/** Domain contact field ← Contact field path (relationship paths read the contact's Account). */
const CONTACT_FIELDS: ContactFieldMap = {
  email: "Email",
  firstName: "FirstName",
  lastName: "LastName",
  phone: "Phone",
  mobilePhone: "MobilePhone",
  company: "Account.Name",
  jobTitle: "Title",
  website: "Account.Website",
  street: "MailingStreet",
  city: "MailingCity",
  state: "MailingState",
  postalCode: "MailingPostalCode",
  country: "MailingCountry",
  industry: "Account.Industry",
  numberOfEmployees: "Account.NumberOfEmployees",
  leadSource: "LeadSource",
  ownerId: "OwnerId",
  companyId: "AccountId",
  createdAt: "CreatedDate",
  updatedAt: "LastModifiedDate",
  lastActivityAt: "LastActivityDate",
};

/** Domain contact field ← Lead field (a Lead carries its company inline and has a Status). */
const LEAD_FIELDS: ContactFieldMap = {
  ...CONTACT_FIELDS,
  company: "Company",
  website: "Website",
  street: "Street",
  city: "City",
  state: "State",
  postalCode: "PostalCode",
  country: "Country",
  industry: "Industry",
  numberOfEmployees: "NumberOfEmployees",
  leadStatus: "Status",
  companyId: undefined,
};

const ACCOUNT_FIELDS = ["Name", "Website", "Phone", "Industry", "NumberOfEmployees", "BillingCity", "BillingState", "BillingCountry"];
const OPPORTUNITY_FIELDS = ["Name", "StageName", "Amount", "CloseDate", "AccountId", "Probability", "IsClosed", "IsWon"];
const COMMON_FIELDS = ["Id", "OwnerId", "CreatedDate", "CreatedById", "LastModifiedDate"];

const mapped = (map: ContactFieldMap) => Object.values(map).filter((f): f is string => f !== undefined);

/** The fields to select per sObject, plus any the caller names (stage criteria, history). */
export function fieldsFor(sObject: SObjectName, extra: readonly string[] = []): string[] {
  const base =
    sObject === "Contact"
      ? mapped(CONTACT_FIELDS)
      : sObject === "Lead"
        ? mapped(LEAD_FIELDS)
        : sObject === "Account"
          ? ACCOUNT_FIELDS
          : OPPORTUNITY_FIELDS;
  return [...new Set([...COMMON_FIELDS, ...base, ...extra])];
}

/** A record as the REST API returns it: `attributes`, scalar fields, and nested objects for relationship fields. */
export type SObjectRecord = { Id: string; attributes?: { type: string } } & Record<string, unknown>;
export type Flat = Record<string, string | null>;

/** Field path → string value (`Account.Name`), so every mapping reads one shape; `attributes` is dropped. */
export function flatten(record: Record<string, unknown>, prefix = ""): Flat {
  const out: Flat = {};
  for (const [name, value] of Object.entries(record)) {
    if (name === "attributes") continue;
    if (value !== null && typeof value === "object") Object.assign(out, flatten(value as Record<string, unknown>, `${prefix}${name}.`));
    else out[`${prefix}${name}`] = value === null || value === undefined || value === "" ? null : String(value);
  }
  return out;
}

/** Salesforce datetimes (`2026-01-05T10:00:00.000+0000`) and dates as ISO 8601, like the HubSpot adapter's. */
export function isoOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}

const num = (v: string | null | undefined): number | null => {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

const DATE_FIELDS = new Set(["createdAt", "updatedAt", "lastActivityAt"]);

/** A Contact or Lead record as a domain Contact; unmapped fields land in `extra`, plus `sObjectType`. */
export function salesforcePersonToContact(record: SObjectRecord): Contact {
  const flat = flatten(record);
  const sObject = personSObject(record.Id);
  const map = sObject === "Lead" ? LEAD_FIELDS : CONTACT_FIELDS;
  const contact = emptyContact(record.Id);
  // A relationship with no related record comes back as `Account: null`: not an extra field.
  const known = new Set(["Id", ...mapped(map), ...mapped(map).map((path) => path.split(".")[0])]);
  for (const [field, path] of Object.entries(map) as [keyof Contact, string | undefined][]) {
    if (path === undefined) continue;
    const value = flat[path] ?? null;
    const target = contact as Record<string, unknown>;
    target[field] = field === "numberOfEmployees" ? num(value) : DATE_FIELDS.has(field) ? isoOrNull(value) : value;
  }
  for (const [name, value] of Object.entries(flat)) if (!known.has(name)) contact.extra[name] = value;
  contact.extra.sObjectType = sObject;
  return contact;
}

/** The registrable host of a website (`https://www.acme.com/about` → `acme.com`), as HubSpot's `domain`. */
export function websiteDomain(website: string | null): string | null {
  if (!website) return null;
  try {
    const host = new URL(/^[a-z]+:\/\//i.test(website) ? website : `https://${website}`).hostname.toLowerCase();
    return host.replace(/^www\./, "") || null;
  } catch {
    return null;
  }
}

export function salesforceAccountToCompany(record: SObjectRecord): Company {
  const p = flatten(record);
  const known = new Set([...COMMON_FIELDS, ...ACCOUNT_FIELDS]);
  const extra: Flat = {};
  for (const [name, value] of Object.entries(p)) if (!known.has(name)) extra[name] = value;
  return {
    id: record.Id,
    name: p.Name ?? null,
    domain: websiteDomain(p.Website ?? null),
    website: p.Website ?? null,
    phone: p.Phone ?? null,
    industry: p.Industry ?? null,
    numberOfEmployees: num(p.NumberOfEmployees),
    city: p.BillingCity ?? null,
    state: p.BillingState ?? null,
    country: p.BillingCountry ?? null,
    ownerId: p.OwnerId ?? null,
    createdAt: isoOrNull(p.CreatedDate),
    updatedAt: isoOrNull(p.LastModifiedDate),
    extra,
  };
}

/** An Opportunity as a Deal: `stageId` is the StageName picklist value, `properties` every field by API name. */
export function salesforceOpportunityToDeal(record: SObjectRecord): Deal {
  const properties = flatten(record);
  return {
    id: record.Id,
    name: properties.Name ?? null,
    pipelineId: SALESFORCE_PIPELINE_ID,
    stageId: properties.StageName ?? null,
    amount: num(properties.Amount),
    closeDate: properties.CloseDate ?? null,
    ownerId: properties.OwnerId ?? null,
    createdAt: isoOrNull(properties.CreatedDate),
    updatedAt: isoOrNull(properties.LastModifiedDate),
    properties,
  };
}

export function toDomainRecord(objectType: ObjectType, record: SObjectRecord): Contact | Company | Deal {
  if (objectType === "contacts") return salesforcePersonToContact(record);
  return objectType === "companies" ? salesforceAccountToCompany(record) : salesforceOpportunityToDeal(record);
}

export type UserRecord = SObjectRecord & {
  Email?: string | null;
  FirstName?: string | null;
  LastName?: string | null;
  IsActive?: boolean;
  UserRoleId?: string | null;
};

/** A User as an Owner: Salesforce owners are users; the role stands in for HubSpot's team. */
export function salesforceUserToOwner(u: UserRecord): Owner {
  return {
    id: u.Id,
    userId: u.Id,
    email: u.Email ?? null,
    firstName: u.FirstName ?? null,
    lastName: u.LastName ?? null,
    teamIds: u.UserRoleId ? [u.UserRoleId] : [],
    archived: u.IsActive !== true,
  };
}

export type OpportunityStageRecord = {
  ApiName: string;
  MasterLabel: string;
  SortOrder: number | null;
  IsClosed: boolean;
  IsWon: boolean;
  DefaultProbability: number | null;
};

/** Opportunity stages as the one pipeline; probability on HubSpot's 0–1 scale (Salesforce uses percent). */
export function salesforceStagesToPipeline(stages: readonly OpportunityStageRecord[]): Pipeline {
  return {
    id: SALESFORCE_PIPELINE_ID,
    label: "Opportunities",
    stages: [...stages]
      .sort((a, b) => (a.SortOrder ?? 0) - (b.SortOrder ?? 0))
      .map((s, index) => ({
        id: s.ApiName,
        label: s.MasterLabel,
        displayOrder: s.SortOrder ?? index,
        isClosed: s.IsClosed,
        probability: s.DefaultProbability === null ? null : s.DefaultProbability / 100,
      })),
  };
}
