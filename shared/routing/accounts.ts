import { getDomain } from "tldts";
import { textOf } from "./conditions.ts";
import type { CompanyRef, PropertyMap } from "./types.ts";

// Mail providers whose domain says nothing about the employer; a company "owning" gmail.com is a data error.
const FREE_MAIL = new Set([
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "ymail.com",
  "hotmail.com",
  "outlook.com",
  "live.com",
  "msn.com",
  "icloud.com",
  "me.com",
  "aol.com",
  "gmx.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "mail.com",
  "proton.me",
  "protonmail.com",
  "yandex.com",
  "yandex.ru",
  "mail.ru",
  "qq.com",
  "163.com",
  "zoho.com",
  "fastmail.com",
]);

/** Whether a registrable domain is a free mail provider. */
export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL.has(domain) || /^yahoo\.|^hotmail\.|^outlook\.|^live\./.test(domain);
}

/** The registrable domain of an email address, website or bare domain (`eu.acme.co.uk` → `acme.co.uk`); null if none. */
export function registrableDomain(raw: string | null): string | null {
  if (!raw) return null;
  const at = raw.lastIndexOf("@");
  const host = (at >= 0 ? raw.slice(at + 1) : raw).trim().toLowerCase();
  if (host === "") return null;
  return getDomain(host) ?? null;
}

// Legal forms dropped before comparing names, so "Acme Inc." and "ACME, LLC" are one account.
const LEGAL_FORMS = new Set([
  "inc",
  "incorporated",
  "llc",
  "ltd",
  "limited",
  "corp",
  "corporation",
  "co",
  "company",
  "plc",
  "gmbh",
  "ag",
  "sa",
  "sas",
  "sarl",
  "bv",
  "nv",
  "oy",
  "ab",
  "as",
  "spa",
  "srl",
  "pty",
  "kk",
  "lp",
  "llp",
]);

/** A company name reduced for comparison: case, accents, punctuation and legal forms removed; null when nothing is left. */
export function companyNameKey(raw: string | null): string | null {
  if (!raw) return null;
  const words = raw
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replaceAll("&", " and ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter((w) => w !== "" && !LEGAL_FORMS.has(w));
  return words.length === 0 ? null : words.join(" ");
}

/** What the lead offers for account matching. */
export type LeadKeys = { domain: string | null; freeMail: boolean; nameKey: string | null };

export function leadAccountKeys(lead: PropertyMap): LeadKeys {
  const domain = registrableDomain(textOf(lead.email));
  return { domain, freeMail: domain !== null && isFreeMailDomain(domain), nameKey: companyNameKey(textOf(lead.company)) };
}

/** Companies indexed by registrable domain and name key, so a what-if run over many leads looks each up once. */
export type CompanyIndex = { byDomain: Map<string, CompanyRef[]>; byName: Map<string, CompanyRef[]> };

export function buildCompanyIndex(companies: readonly CompanyRef[]): CompanyIndex {
  const index: CompanyIndex = { byDomain: new Map(), byName: new Map() };
  const add = (map: Map<string, CompanyRef[]>, key: string | null, c: CompanyRef) => {
    if (key === null) return;
    const list = map.get(key);
    if (list) list.push(c);
    else map.set(key, [c]);
  };
  for (const c of companies) {
    add(index.byDomain, registrableDomain(c.domain), c);
    add(index.byName, companyNameKey(c.name), c);
  }
  return index;
}

/** The companies a lead could match, by email domain or company name; the caller passes them as `context.companies`. */
export function companiesForLead(lead: PropertyMap, index: CompanyIndex): CompanyRef[] {
  const keys = leadAccountKeys(lead);
  const found = new Set<CompanyRef>();
  for (const c of keys.domain ? (index.byDomain.get(keys.domain) ?? []) : []) found.add(c);
  for (const c of keys.nameKey ? (index.byName.get(keys.nameKey) ?? []) : []) found.add(c);
  return [...found];
}
