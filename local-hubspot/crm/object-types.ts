/** The CRM object types the local server knows, keyed by the name used in URLs; `0-x` ids resolve to the same entry. */
export const OBJECT_TYPES = {
  contacts: {
    typeId: "0-1",
    singular: "contact",
    created: "createdate",
    modified: "lastmodifieddate",
    defaults: ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
    searchable: ["firstname", "lastname", "email", "phone", "company", "hs_additional_emails"],
    known: [
      "email",
      "firstname",
      "lastname",
      "phone",
      "mobilephone",
      "company",
      "jobtitle",
      "address",
      "city",
      "state",
      "zip",
      "country",
      "website",
      "industry",
      "lifecyclestage",
      "hs_lead_status",
      "hubspot_owner_id",
      "hs_additional_emails",
      "hs_email_domain",
      "associatedcompanyid",
      "annualrevenue",
      "notes_last_updated",
      "hs_merged_object_ids",
    ],
  },
  companies: {
    typeId: "0-2",
    singular: "company",
    created: "createdate",
    modified: "hs_lastmodifieddate",
    defaults: ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
    searchable: ["name", "domain", "website", "phone"],
    known: [
      "name",
      "domain",
      "website",
      "phone",
      "address",
      "city",
      "state",
      "zip",
      "country",
      "industry",
      "numberofemployees",
      "annualrevenue",
      "description",
      "lifecyclestage",
      "hubspot_owner_id",
      "hs_merged_object_ids",
    ],
  },
  deals: {
    typeId: "0-3",
    singular: "deal",
    created: "createdate",
    modified: "hs_lastmodifieddate",
    defaults: ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"],
    searchable: ["dealname"],
    known: [
      "dealname",
      "amount",
      "dealstage",
      "pipeline",
      "closedate",
      "hubspot_owner_id",
      "dealtype",
      "description",
      "hs_priority",
      "hs_next_step",
      "hs_is_closed",
      "hs_is_closed_won",
      "hs_deal_stage_probability",
      "hs_merged_object_ids",
    ],
  },
  notes: {
    typeId: "0-46",
    singular: "note",
    created: "hs_createdate",
    modified: "hs_lastmodifieddate",
    defaults: ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
    searchable: ["hs_note_body"],
    known: ["hs_timestamp", "hs_note_body", "hubspot_owner_id"],
  },
  tasks: {
    typeId: "0-27",
    singular: "task",
    created: "hs_createdate",
    modified: "hs_lastmodifieddate",
    defaults: ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
    searchable: ["hs_task_subject", "hs_task_body"],
    known: ["hs_timestamp", "hs_task_subject", "hs_task_body", "hs_task_status", "hs_task_priority", "hs_task_type", "hubspot_owner_id"],
  },
  users: {
    typeId: "0-115",
    singular: "user",
    created: "hs_createdate",
    modified: "hs_lastmodifieddate",
    defaults: ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
    searchable: ["hs_email", "hs_given_name", "hs_family_name"],
    known: ["hs_email", "hs_given_name", "hs_family_name", "hs_internal_user_id", "hs_job_title", "hs_standard_time_zone"],
  },
} as const;

export type ObjectTypeName = keyof typeof OBJECT_TYPES;
export type ObjectTypeInfo = (typeof OBJECT_TYPES)[ObjectTypeName];

/** Object types whose changes HubSpot sends as `contact.*`, `company.*`, `deal.*` webhooks. */
export const WEBHOOK_OBJECT_TYPES: readonly ObjectTypeName[] = ["contacts", "companies", "deals"];

/** Properties the server maintains itself: written only by the server, never sent as property changes. */
export const SYSTEM_PROPERTIES = new Set([
  "hs_object_id",
  "createdate",
  "lastmodifieddate",
  "hs_lastmodifieddate",
  "hs_createdate",
  "hs_email_domain",
  "hs_is_closed",
  "hs_is_closed_won",
  "hs_deal_stage_probability",
  "hs_merged_object_ids",
]);

/** Values only the server may set; a client write gets HubSpot's READ_ONLY_VALUE error. */
export const READ_ONLY_PROPERTIES = new Set([
  "hs_object_id",
  "lastmodifieddate",
  "hs_lastmodifieddate",
  "hs_email_domain",
  "hs_is_closed",
  "hs_is_closed_won",
  "hs_deal_stage_probability",
  "hs_merged_object_ids",
]);

/** Resolves `contacts`, `0-1`, `contact` (as HubSpot does) to the object type name, or undefined. */
export function resolveObjectType(segment: string): ObjectTypeName | undefined {
  const lower = segment.toLowerCase();
  for (const [name, info] of Object.entries(OBJECT_TYPES) as [ObjectTypeName, ObjectTypeInfo][]) {
    if (lower === name || lower === info.typeId || lower === info.singular) return name;
  }
  return undefined;
}
