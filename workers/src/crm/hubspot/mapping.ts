import type { Company, Contact, Deal, ObjectType, Owner, Pipeline } from "../../../../shared/domain/types.ts";
import { emptyContact } from "../../../../shared/domain/types.ts";

type Props = Record<string, string | null | undefined>;

/** HubSpot contact property ← domain field. Everything else lands in `extra`. */
export const CONTACT_PROPERTIES = {
  email: "email",
  firstName: "firstname",
  lastName: "lastname",
  phone: "phone",
  mobilePhone: "mobilephone",
  company: "company",
  jobTitle: "jobtitle",
  website: "website",
  street: "address",
  city: "city",
  state: "state",
  postalCode: "zip",
  country: "country",
  industry: "industry",
  leadSource: "hs_lead_source",
  lifecycleStage: "lifecyclestage",
  leadStatus: "hs_lead_status",
  ownerId: "hubspot_owner_id",
  companyId: "associatedcompanyid",
  createdAt: "createdate",
  updatedAt: "lastmodifieddate",
  lastActivityAt: "notes_last_updated",
} as const satisfies Partial<Record<keyof Contact, string>>;

const COMPANY_PROPERTIES = [
  "name",
  "domain",
  "website",
  "phone",
  "industry",
  "numberofemployees",
  "city",
  "state",
  "country",
  "hubspot_owner_id",
  "createdate",
  "hs_lastmodifieddate",
];
const DEAL_PROPERTIES = [
  "dealname",
  "pipeline",
  "dealstage",
  "amount",
  "closedate",
  "hubspot_owner_id",
  "createdate",
  "hs_lastmodifieddate",
];

/** The properties to request per object type (deals also get every criteria property the settings name). */
export function propertiesFor(objectType: ObjectType, extra: readonly string[] = []): string[] {
  const base =
    objectType === "contacts"
      ? [...Object.values(CONTACT_PROPERTIES), "numemployees"]
      : objectType === "companies"
        ? COMPANY_PROPERTIES
        : DEAL_PROPERTIES;
  return [...new Set([...base, ...extra])];
}

const str = (v: string | null | undefined): string | null => (v === undefined || v === null || v === "" ? null : v);
const num = (v: string | null | undefined): number | null => {
  const s = str(v);
  if (s === null) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

export function hubspotContactToContact(id: string, props: Props): Contact {
  const contact = emptyContact(id);
  const known = new Set<string>(Object.values(CONTACT_PROPERTIES));
  for (const [field, name] of Object.entries(CONTACT_PROPERTIES) as [keyof typeof CONTACT_PROPERTIES, string][]) {
    (contact as Record<string, unknown>)[field] = str(props[name]);
  }
  contact.numberOfEmployees = num(props.numemployees);
  for (const [name, value] of Object.entries(props)) if (!known.has(name) && name !== "numemployees") contact.extra[name] = str(value);
  return contact;
}

/** Domain field names back to HubSpot property names, for writes planned by the core. */
export function contactFieldToProperty(field: string): string {
  return (CONTACT_PROPERTIES as Record<string, string>)[field] ?? field;
}

export function hubspotCompanyToCompany(id: string, p: Props): Company {
  const extra: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(p)) if (!COMPANY_PROPERTIES.includes(name)) extra[name] = str(value);
  return {
    id,
    name: str(p.name),
    domain: str(p.domain),
    website: str(p.website),
    phone: str(p.phone),
    industry: str(p.industry),
    numberOfEmployees: num(p.numberofemployees),
    city: str(p.city),
    state: str(p.state),
    country: str(p.country),
    ownerId: str(p.hubspot_owner_id),
    createdAt: str(p.createdate),
    updatedAt: str(p.hs_lastmodifieddate),
    extra,
  };
}

export function hubspotDealToDeal(id: string, p: Props): Deal {
  const properties: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(p)) properties[name] = str(value);
  return {
    id,
    name: str(p.dealname),
    pipelineId: str(p.pipeline),
    stageId: str(p.dealstage),
    amount: num(p.amount),
    closeDate: str(p.closedate),
    ownerId: str(p.hubspot_owner_id),
    createdAt: str(p.createdate),
    updatedAt: str(p.hs_lastmodifieddate),
    properties,
  };
}

type RawOwner = {
  id: string;
  userId?: number;
  email?: string;
  firstName?: string;
  lastName?: string;
  archived: boolean;
  teams?: Array<{ id: string }>;
};

export function hubspotOwnerToOwner(o: RawOwner): Owner {
  return {
    id: o.id,
    userId: o.userId === undefined ? null : String(o.userId),
    email: o.email ?? null,
    firstName: o.firstName ?? null,
    lastName: o.lastName ?? null,
    teamIds: (o.teams ?? []).map((t) => t.id),
    archived: o.archived,
  };
}

type RawPipeline = {
  id: string;
  label: string;
  stages: Array<{ id: string; label: string; displayOrder: number; metadata: Record<string, string> }>;
};

export function hubspotPipelineToPipeline(p: RawPipeline): Pipeline {
  return {
    id: p.id,
    label: p.label,
    stages: [...p.stages]
      .sort((a, b) => a.displayOrder - b.displayOrder)
      .map((s) => ({
        id: s.id,
        label: s.label,
        displayOrder: s.displayOrder,
        isClosed: s.metadata.isClosed === "true",
        probability: s.metadata.probability === undefined ? null : Number(s.metadata.probability),
      })),
  };
}
