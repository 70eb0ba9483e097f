import type { Contact } from "../domain/types.ts";
import { registrableDomain } from "../normalize/domain.ts";
import { isFreeEmailDomain } from "../normalize/email.ts";
import { classifyJobTitle } from "../normalize/job-title.ts";
import { splitFullName } from "../normalize/person-name.ts";
import { ReportBuilder } from "./builder.ts";
import {
  checkCompanyName,
  checkCountry,
  checkEmail,
  checkPersonName,
  checkPhone,
  checkState,
  checkText,
  checkWebsite,
  present,
} from "./checks.ts";
import { completeness, composeReport, consistency, freshness, parseInstant, uniqueness, validity } from "./score.ts";
import type { HygieneSettings } from "./settings.ts";
import type { HygieneContext, HygieneReport } from "./types.ts";

/** A contact field by domain name, or a custom property from `extra`. */
export function contactValue(c: Contact, field: string): string | null {
  const v = (c as unknown as Record<string, unknown>)[field];
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (v === undefined) return c.extra[field] ?? null;
  return null;
}

/**
 * Scores one contact 0–100 with its breakdown and findings. Pure: `context` brings what the record cannot say
 * (now, suspected duplicates, the associated company). Call it from a webhook handler, a card endpoint or a scan.
 */
export function scoreContact(contact: Contact, settings: HygieneSettings, context: HygieneContext): HygieneReport {
  const b = new ReportBuilder();
  const country = checkCountry(b, "country", contact.country, settings.countryFormat);
  checkState(b, "state", contact.state, country);
  const email = checkEmail(b, "email", contact.email);
  checkPersonName(b, "firstName", contact.firstName);
  checkPersonName(b, "lastName", contact.lastName);
  checkFullNameInFirst(b, contact);
  checkCompanyName(b, "company", contact.company);
  const website = checkWebsite(b, "website", contact.website);
  for (const field of ["phone", "mobilePhone"] as const) {
    const phoneCountry = checkPhone(b, field, contact[field], country, settings.defaultRegion);
    if (phoneCountry && country) {
      b.consistent(`${field} country`, phoneCountry === country, {
        code: "phone_country_mismatch",
        field,
        message: `The ${field === "phone" ? "phone" : "mobile"} number is from ${phoneCountry}, the contact's country is ${country}.`,
      });
    }
  }
  checkEmailDomain(b, email, website, context);
  for (const field of ["jobTitle", "city", "street", "postalCode", "industry"] as const) checkText(b, field, contact[field]);
  const title = classifyJobTitle(contact.jobTitle);
  b.normalized.seniority = title.seniority;
  b.normalized.jobFunction = title.function;
  const touched = parseInstant(contact.lastActivityAt) ?? parseInstant(contact.updatedAt) ?? parseInstant(contact.createdAt);
  const outcomes = [
    completeness(b, settings.required.contacts, (f) => present(contactValue(contact, f)) !== null),
    validity(b),
    consistency(b),
    freshness(b, contact.lastActivityAt ? "lastActivityAt" : "updatedAt", touched, context.now, settings.freshnessHorizonDays),
    uniqueness(b, context.duplicateSuspects),
  ];
  return composeReport("contacts", contact.id, b, outcomes, settings);
}

/** "John Smith" typed into first name with no last name: offer the split, never apply it unasked. */
function checkFullNameInFirst(b: ReportBuilder, c: Contact): void {
  if (present(c.lastName) !== null || present(c.firstName) === null) return;
  const split = splitFullName(c.firstName ?? "");
  if (split.lastName === null || split.firstName === null) return;
  const message = `First name "${c.firstName}" looks like a full name; last name is empty.`;
  b.add("name_full_in_first", "firstName", message, { value: split.firstName, safe: false });
  b.add("name_full_in_first", "lastName", message, { value: split.lastName, safe: false });
}

/** A work email should sit on the company's domain; free and invalid addresses say nothing either way. */
function checkEmailDomain(b: ReportBuilder, email: string | null, website: string | null, context: HygieneContext): void {
  if (email === null) return;
  const emailDomain = registrableDomain(email);
  if (emailDomain === null || isFreeEmailDomain(email.slice(email.lastIndexOf("@") + 1))) return;
  const company = context.company;
  const companyDomain = registrableDomain(company?.domain ?? null) ?? registrableDomain(company?.website ?? null) ?? website;
  if (companyDomain === null) return;
  b.consistent("email domain vs company domain", emailDomain === companyDomain, {
    code: "email_domain_mismatch",
    field: "email",
    message: `The email is on ${emailDomain}, the company's domain is ${companyDomain}.`,
  });
}
