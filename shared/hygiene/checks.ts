import { companyMatchKey, formatCompanyName } from "../normalize/company.ts";
import { countryName, toCountryCode, toSubdivisionCode } from "../normalize/country.ts";
import { registrableDomain } from "../normalize/domain.ts";
import { normalizeEmail } from "../normalize/email.ts";
import { formatPersonName } from "../normalize/person-name.ts";
import { normalizePhone } from "../normalize/phone.ts";
import { hasSubdivisionTable } from "../normalize/subdivisions.ts";
import { collapseWhitespace } from "../normalize/text.ts";
import type { ReportBuilder } from "./builder.ts";
import { suggestEmailFix, typoDomain } from "./email-typos.ts";

/** `null` for absent or blank values, else the raw value. */
export function present(raw: string | null | undefined): string | null {
  return raw == null || collapseWhitespace(raw) === "" ? null : raw;
}

/** Free text: only spacing is judged. */
export function checkText(b: ReportBuilder, field: string, raw: string | null): void {
  if (present(raw) === null) return;
  const clean = collapseWhitespace(raw ?? "");
  b.normalized[field] = clean;
  if (clean !== raw) b.add("whitespace", field, `"${field}" has extra spaces.`, { value: clean, safe: true });
}

/** Email: syntax, domain, role and disposable mailboxes; returns the normalised address when valid. */
export function checkEmail(b: ReportBuilder, field: string, raw: string | null): string | null {
  if (present(raw) === null) return null;
  b.checked(field);
  const info = normalizeEmail(raw);
  if (!info.valid) {
    const guess = suggestEmailFix(info.value);
    const hint = guess ? ` Did you mean ${guess}?` : "";
    b.add("email_invalid", field, `"${raw}" is not a valid email address.${hint}`, guess ? { value: guess, safe: false } : null);
    b.normalized[field] = null;
    return null;
  }
  const intended = info.domain ? typoDomain(info.domain) : null;
  if (intended) {
    // "gmial.com" is a registrable domain, but nobody means it: treat it as invalid and offer the intended one.
    const guess = `${info.local}@${intended}`;
    b.add("email_invalid", field, `${info.domain} looks like a typo. Did you mean ${guess}?`, { value: guess, safe: false });
    b.normalized[field] = null;
    return null;
  }
  b.normalized[field] = info.value;
  if (info.value !== raw) b.add("email_not_normalized", field, `Email should be written ${info.value}.`, { value: info.value, safe: true });
  if (info.role) b.add("email_role", field, `${info.value} is a shared mailbox (${info.local}@), not a person.`);
  if (info.disposable) b.add("email_disposable", field, `${info.domain} is a disposable-mail service.`);
  return info.value;
}

/** Phone: readable, valid for its country, written in E.164. Returns the number's country (or null). */
export function checkPhone(
  b: ReportBuilder,
  field: string,
  raw: string | null,
  recordCountry: string | null,
  defaultRegion: string,
): string | null {
  if (present(raw) === null) return null;
  b.checked(field);
  const region = recordCountry ?? defaultRegion;
  const info = normalizePhone(raw, region);
  if (info.e164 === null) {
    b.add("phone_invalid", field, `"${raw}" cannot be read as a phone number.`);
    b.normalized[field] = null;
    return null;
  }
  const target = info.extension ? `${info.e164} ext. ${info.extension}` : info.e164;
  b.normalized[field] = target;
  if (!info.valid) b.add("phone_unverified", field, `${info.e164} does not fit ${info.country ?? "its country"}'s numbering plan.`);
  if (target !== raw) {
    // Writing a country we guessed from the portal default could change the number's meaning: not safe.
    const international = /^\s*(\+|00)/.test(raw ?? "");
    const safe = international || recordCountry !== null;
    const why = safe ? "" : ` (country guessed as ${region})`;
    b.add("phone_not_e164", field, `Phone should be written ${target}${why}.`, { value: target, safe });
  }
  return info.country;
}

/** A person's first or last name: letters only, sensible casing. */
export function checkPersonName(b: ReportBuilder, field: string, raw: string | null): void {
  if (present(raw) === null) return;
  b.checked(field);
  const clean = collapseWhitespace(raw ?? "");
  b.normalized[field] = formatPersonName(clean);
  if (/[@\d]/.test(clean) || !/\p{L}/u.test(clean)) {
    b.add("name_invalid", field, `"${clean}" does not look like a name.`);
    return;
  }
  const formatted = formatPersonName(clean);
  if (formatted !== null && formatted !== raw) {
    const code = formatted === clean ? "whitespace" : "name_casing";
    b.add(code, field, `Name should be written "${formatted}".`, { value: formatted, safe: true });
  }
}

/** A company name: display casing. Returns its match key. */
export function checkCompanyName(b: ReportBuilder, field: string, raw: string | null): string | null {
  if (present(raw) === null) return null;
  b.checked(field);
  const formatted = formatCompanyName(raw);
  b.normalized[field] = formatted;
  if (formatted !== null && formatted !== raw) {
    const code = formatted === collapseWhitespace(raw ?? "") ? "whitespace" : "company_casing";
    b.add(code, field, `Company should be written "${formatted}".`, { value: formatted, safe: true });
  }
  return companyMatchKey(raw);
}

/** Country: known, written in the configured form. Returns the ISO alpha-2 code. */
export function checkCountry(b: ReportBuilder, field: string, raw: string | null, format: "code" | "name"): string | null {
  if (present(raw) === null) return null;
  b.checked(field);
  const code = toCountryCode(raw);
  b.normalized[field] = code;
  if (code === null) {
    b.add("country_unknown", field, `"${raw}" is not a country we know.`);
    return null;
  }
  const canonical = format === "code" ? code : (countryName(code) ?? code);
  if (canonical !== raw)
    b.add("country_not_canonical", field, `Country should be written "${canonical}".`, { value: canonical, safe: true });
  return code;
}

/** State or province: a subdivision of the record's country, written as its ISO 3166-2 code. */
export function checkState(b: ReportBuilder, field: string, raw: string | null, country: string | null): void {
  if (present(raw) === null) return;
  const code = toSubdivisionCode(country, raw);
  b.normalized[field] = code ?? collapseWhitespace(raw ?? "");
  // Only countries we carry a table for can be judged; elsewhere the value is left alone.
  if (country === null || !hasSubdivisionTable(country)) return;
  b.checked(field);
  if (code === null) b.add("state_unknown", field, `"${raw}" is not a state or province of ${countryName(country) ?? country}.`);
  else if (code !== raw) b.add("state_not_canonical", field, `State should be written "${code}".`, { value: code, safe: true });
}

/** Website: has a registrable domain. Returns it. */
export function checkWebsite(b: ReportBuilder, field: string, raw: string | null): string | null {
  if (present(raw) === null) return null;
  b.checked(field);
  const domain = registrableDomain(raw);
  b.normalized[field] = domain;
  if (domain === null) b.add("website_invalid", field, `"${raw}" is not a website address.`);
  return domain;
}

/** A company's domain property: the bare registrable domain. Returns it. */
export function checkDomain(b: ReportBuilder, field: string, raw: string | null): string | null {
  const domain = checkWebsite(b, field, raw);
  if (domain === null || domain === raw) return domain;
  const host = (raw ?? "")
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/[/?#].*$/, "")
    .replace(/^www\./, "");
  // Dropping a scheme, www or a path keeps the meaning; dropping a subdomain ("eu.acme.com") might not.
  b.add("domain_not_normalized", field, `Domain should be written ${domain}.`, { value: domain, safe: host === domain });
  return domain;
}
