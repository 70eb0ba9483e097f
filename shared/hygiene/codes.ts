import type { FindingCode, ScorePart, Severity } from "./types.ts";

/**
 * Every finding code: the score part it lowers, its severity and what it means. README.md beside this file renders the
 * same table for admins; `codes.test.ts` keeps the two in step.
 */
export const FINDING_CODES: Readonly<Record<FindingCode, { part: ScorePart; severity: Severity; meaning: string }>> = {
  missing_required: { part: "completeness", severity: "warning", meaning: "A required field (per object, weighted in settings) is empty." },
  whitespace: { part: "validity", severity: "info", meaning: "Leading, trailing, repeated or invisible spaces; safe fix trims them." },
  email_invalid: {
    part: "validity",
    severity: "error",
    meaning: "Not a deliverable address format or an unknown domain suffix; a likely typo fix is offered (not safe).",
  },
  email_not_normalized: {
    part: "validity",
    severity: "info",
    meaning: "Valid but not lower-case/trimmed/punycode; safe fix writes the normal form.",
  },
  email_role: { part: "validity", severity: "warning", meaning: "A shared mailbox (info@, sales@…) rather than a person." },
  email_disposable: { part: "validity", severity: "warning", meaning: "A disposable-mail domain from the maintained list." },
  phone_invalid: { part: "validity", severity: "error", meaning: "No phone number can be read (too short, too long, letters)." },
  phone_unverified: {
    part: "validity",
    severity: "warning",
    meaning: "Plausible length but the digits do not fit the country's numbering plan.",
  },
  phone_not_e164: {
    part: "validity",
    severity: "info",
    meaning: "Readable but not in E.164 (+14155552671); the fix is safe when the country was not guessed.",
  },
  name_casing: {
    part: "validity",
    severity: "info",
    meaning: "All-capital or all-lower name; safe fix re-cases it (McDonald, O'Brien, van der Berg).",
  },
  name_invalid: { part: "validity", severity: "error", meaning: "A name with digits, an email address or no letters at all." },
  name_full_in_first: {
    part: "validity",
    severity: "info",
    meaning: "First name holds a full name while last name is empty; the split is offered (not safe).",
  },
  company_casing: {
    part: "validity",
    severity: "info",
    meaning: "All-capital or all-lower company name; safe fix re-cases it (legal forms as GmbH, Inc., S.A.).",
  },
  country_unknown: { part: "validity", severity: "warning", meaning: "The country cannot be read as any ISO 3166 country." },
  country_not_canonical: {
    part: "validity",
    severity: "info",
    meaning: "A known country written another way (USA, Deutschland); safe fix writes the configured form.",
  },
  state_unknown: { part: "validity", severity: "warning", meaning: "The state or province is not one of the country's subdivisions." },
  state_not_canonical: {
    part: "validity",
    severity: "info",
    meaning: "A known subdivision written out (california); safe fix writes its ISO 3166-2 code (CA).",
  },
  website_invalid: {
    part: "validity",
    severity: "warning",
    meaning: "The website or domain has no registrable domain (no known suffix, an IP, a bare word).",
  },
  domain_not_normalized: {
    part: "validity",
    severity: "info",
    meaning: "A company domain written as a URL or host; the fix writes the registrable domain (safe when only www/scheme/path go).",
  },
  number_invalid: { part: "validity", severity: "error", meaning: "A number field holds a negative or impossible value." },
  date_invalid: { part: "validity", severity: "error", meaning: "A date field cannot be read as a date." },
  amount_invalid: { part: "validity", severity: "error", meaning: "A deal amount below zero." },
  close_date_passed: { part: "consistency", severity: "warning", meaning: "An open deal whose close date is already past." },
  close_date_before_created: { part: "consistency", severity: "warning", meaning: "A close date before the deal was created." },
  phone_country_mismatch: {
    part: "consistency",
    severity: "warning",
    meaning: "The phone number belongs to another country than the record's.",
  },
  email_domain_mismatch: {
    part: "consistency",
    severity: "info",
    meaning: "A work email whose domain differs from the company's domain or website.",
  },
  domain_website_mismatch: {
    part: "consistency",
    severity: "warning",
    meaning: "A company's domain and website point to different registrable domains.",
  },
  stale: { part: "freshness", severity: "warning", meaning: "No activity or change for longer than the freshness horizon." },
  duplicate_suspected: {
    part: "uniqueness",
    severity: "warning",
    meaning: "The duplicate finder suspects other records of being this one.",
  },
};
