import type { Company } from "../domain/types.ts";
import { ReportBuilder } from "./builder.ts";
import { checkCompanyName, checkCountry, checkDomain, checkPhone, checkState, checkText, checkWebsite, present } from "./checks.ts";
import { completeness, composeReport, consistency, freshness, parseInstant, uniqueness, validity } from "./score.ts";
import type { HygieneSettings } from "./settings.ts";
import type { HygieneContext, HygieneReport } from "./types.ts";

/** A company field by domain name, or a custom property from `extra`. */
export function companyValue(c: Company, field: string): string | null {
  const v = (c as unknown as Record<string, unknown>)[field];
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (v === undefined) return c.extra[field] ?? null;
  return null;
}

/** Scores one company 0–100 with its breakdown and findings (pure; see `scoreContact`). */
export function scoreCompany(company: Company, settings: HygieneSettings, context: HygieneContext): HygieneReport {
  const b = new ReportBuilder();
  checkCompanyName(b, "name", company.name);
  const country = checkCountry(b, "country", company.country, settings.countryFormat);
  checkState(b, "state", company.state, country);
  const domain = checkDomain(b, "domain", company.domain);
  const website = checkWebsite(b, "website", company.website);
  if (domain && website) {
    b.consistent("domain vs website", domain === website, {
      code: "domain_website_mismatch",
      field: "website",
      message: `The domain is ${domain} but the website is on ${website}.`,
    });
  }
  const phoneCountry = checkPhone(b, "phone", company.phone, country, settings.defaultRegion);
  if (phoneCountry && country) {
    b.consistent("phone country", phoneCountry === country, {
      code: "phone_country_mismatch",
      field: "phone",
      message: `The phone number is from ${phoneCountry}, the company's country is ${country}.`,
    });
  }
  if (company.numberOfEmployees !== null) {
    b.checked("numberOfEmployees");
    if (!Number.isFinite(company.numberOfEmployees) || company.numberOfEmployees < 0) {
      b.add("number_invalid", "numberOfEmployees", `${company.numberOfEmployees} is not a number of employees.`);
    }
  }
  for (const field of ["city", "industry"] as const) checkText(b, field, company[field]);
  const outcomes = [
    completeness(b, settings.required.companies, (f) => present(companyValue(company, f)) !== null),
    validity(b),
    consistency(b),
    freshness(
      b,
      "updatedAt",
      parseInstant(company.updatedAt) ?? parseInstant(company.createdAt),
      context.now,
      settings.freshnessHorizonDays,
    ),
    uniqueness(b, context.duplicateSuspects),
  ];
  return composeReport("companies", company.id, b, outcomes, settings);
}
