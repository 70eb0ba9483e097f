import type { Contact } from "../domain/types.ts";
import type { Lead, PropertyValue } from "./types.ts";

/**
 * A domain `Contact` as a lead under HubSpot property names, the names routing rules use; `extra` properties (such as
 * `hygiene_score` written by the hygiene engine) pass through, and `hygieneScore` overrides it when given.
 */
export function contactToLead(contact: Contact, hygieneScore?: number | null): Lead {
  const properties: Record<string, PropertyValue> = {
    ...contact.extra,
    email: contact.email,
    firstname: contact.firstName,
    lastname: contact.lastName,
    country: contact.country,
    state: contact.state,
    zip: contact.postalCode,
    industry: contact.industry,
    numberofemployees: contact.numberOfEmployees,
    hs_lead_source: contact.leadSource,
    lifecyclestage: contact.lifecycleStage,
    company: contact.company,
    createdate: contact.createdAt,
    hubspot_owner_id: contact.ownerId,
  };
  if (hygieneScore !== undefined && hygieneScore !== null) properties.hygiene_score = hygieneScore;
  return { id: contact.id, properties };
}
