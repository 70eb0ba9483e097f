/** Contact properties rules may test (HubSpot names), plus `hygiene_score` from our hygiene engine. */
export const CONTACT_PROPERTIES = [
  "email",
  "firstname",
  "lastname",
  "country",
  "state",
  "zip",
  "industry",
  "numberofemployees",
  "hs_lead_source",
  "lifecyclestage",
  "company",
  "hygiene_score",
] as const;

/** Properties of the lead's company (associated or account-matched) rules may test. */
export const COMPANY_PROPERTIES = ["name", "domain", "country", "state", "zip", "industry", "numberofemployees"] as const;

/** Properties that hold numbers, the only ones `between`, `gte` and `lte` may test. */
export const NUMERIC_PROPERTIES: ReadonlySet<string> = new Set(["numberofemployees", "hygiene_score"]);
