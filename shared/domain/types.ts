/**
 * CRM-agnostic domain records. Adapters at the edge turn HubSpot and Salesforce payloads into these; the core never
 * sees vendor shapes. Property values are strings as CRMs deliver them (`null` when empty or absent).
 */
export type CrmKind = "hubspot" | "salesforce";

/** `hubspot:<portalId>` or `salesforce:<orgId>`: the key every stored row is partitioned by. */
export type PortalKey = `${CrmKind}:${string}`;

export type ObjectType = "contacts" | "companies" | "deals";

export type Contact = {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  mobilePhone: string | null;
  company: string | null;
  jobTitle: string | null;
  website: string | null;
  street: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  industry: string | null;
  numberOfEmployees: number | null;
  leadSource: string | null;
  lifecycleStage: string | null;
  leadStatus: string | null;
  ownerId: string | null;
  companyId: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  lastActivityAt: string | null;
  /** Every other property the CRM sent, by its CRM name. */
  extra: Record<string, string | null>;
};

export type Company = {
  id: string;
  name: string | null;
  domain: string | null;
  website: string | null;
  phone: string | null;
  industry: string | null;
  numberOfEmployees: number | null;
  city: string | null;
  state: string | null;
  country: string | null;
  ownerId: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  extra: Record<string, string | null>;
};

export type Deal = {
  id: string;
  name: string | null;
  pipelineId: string | null;
  stageId: string | null;
  amount: number | null;
  closeDate: string | null;
  ownerId: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** Deal properties by CRM name, for stage exit criteria on arbitrary properties. */
  properties: Record<string, string | null>;
};

export type Owner = {
  id: string;
  userId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  teamIds: string[];
  archived: boolean;
};

export type PipelineStage = { id: string; label: string; displayOrder: number; isClosed: boolean; probability: number | null };
export type Pipeline = { id: string; label: string; stages: PipelineStage[] };

/** An empty contact, for tests and adapters filling in what the CRM sent. */
export function emptyContact(id: string): Contact {
  return {
    id,
    email: null,
    firstName: null,
    lastName: null,
    phone: null,
    mobilePhone: null,
    company: null,
    jobTitle: null,
    website: null,
    street: null,
    city: null,
    state: null,
    postalCode: null,
    country: null,
    industry: null,
    numberOfEmployees: null,
    leadSource: null,
    lifecycleStage: null,
    leadStatus: null,
    ownerId: null,
    companyId: null,
    createdAt: null,
    updatedAt: null,
    lastActivityAt: null,
    extra: {},
  };
}
