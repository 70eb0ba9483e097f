import type { CrmPort } from "../../../shared/crm-port.ts";
import type { DedupeContact } from "../../../shared/dedupe/types.ts";
import type { Contact } from "../../../shared/domain/types.ts";
import { contactFieldToProperty } from "../crm/hubspot/mapping.ts";

/** The CRM properties whose change can change a contact's matching fields (HubSpot and Salesforce names). */
export const MATCHING_PROPERTIES = new Set([
  "firstname",
  "lastname",
  "email",
  "phone",
  "mobilephone",
  "company",
  "jobtitle",
  "address",
  "city",
  "state",
  "zip",
  "country",
  "FirstName",
  "LastName",
  "Email",
  "Phone",
  "MobilePhone",
  "Title",
  "Company",
  "MailingStreet",
  "MailingCity",
  "MailingState",
  "MailingPostalCode",
  "MailingCountry",
  "Street",
  "City",
  "State",
  "PostalCode",
  "Country",
]);

/** A domain contact as the dedupe engine reads it (the mobile number stands in when there is no phone). */
export function contactToDedupe(c: Contact): DedupeContact {
  return {
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone ?? c.mobilePhone,
    company: c.company,
    jobTitle: c.jobTitle,
    street: c.street,
    city: c.city,
    state: c.state,
    postalCode: c.postalCode,
    country: c.country,
  };
}

// Salesforce Contact fields a merge may write (relationship paths such as Account.Name are not writable here).
const SALESFORCE_FIELDS: Record<string, string> = {
  email: "Email",
  firstName: "FirstName",
  lastName: "LastName",
  phone: "Phone",
  mobilePhone: "MobilePhone",
  jobTitle: "Title",
  street: "MailingStreet",
  city: "MailingCity",
  state: "MailingState",
  postalCode: "MailingPostalCode",
  country: "MailingCountry",
  leadSource: "LeadSource",
  ownerId: "OwnerId",
  companyId: "AccountId",
};

/** The CRM property a merge plan's domain field is written to; null when this CRM cannot take it. */
export function mergeFieldToProperty(crm: CrmPort["crm"], field: string): string | null {
  if (crm === "hubspot") return field === "numberOfEmployees" ? "numemployees" : contactFieldToProperty(field);
  if (field === "hs_additional_emails") return null;
  return SALESFORCE_FIELDS[field] ?? null;
}

/** Field values as CRM properties (strings; null clears), dropping the fields this CRM cannot take. */
export function toCrmProperties(
  crm: CrmPort["crm"],
  values: ReadonlyArray<{ field: string; value: string | number | null }>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const { field, value } of values) {
    const property = mergeFieldToProperty(crm, field);
    if (property) out[property] = value === null ? null : String(value);
  }
  return out;
}

/** Display labels for the merge preview and the evidence, by domain field or evidence field. */
export const FIELD_LABELS: Record<string, string> = {
  email: "Email",
  firstName: "First name",
  lastName: "Last name",
  first_name: "First name",
  last_name: "Last name",
  name: "Name",
  phone: "Phone number",
  mobilePhone: "Mobile phone number",
  company: "Company name",
  jobTitle: "Job title",
  job_title: "Job title",
  website: "Website",
  street: "Street address",
  address: "Address",
  city: "City",
  state: "State/Region",
  postalCode: "Postal code",
  country: "Country/Region",
  industry: "Industry",
  numberOfEmployees: "Number of employees",
  leadSource: "Lead source",
  lifecycleStage: "Lifecycle stage",
  leadStatus: "Lead status",
  ownerId: "Contact owner",
  companyId: "Primary company",
  hs_additional_emails: "Additional emails",
};
