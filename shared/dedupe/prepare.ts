import { doubleMetaphone } from "double-metaphone";
import { companyMatchKey } from "../normalize/company.ts";
import { toCountryCode } from "../normalize/country.ts";
import { normalizeEmail } from "../normalize/email.ts";
import { normalizePhone } from "../normalize/phone.ts";
import { foldAccents } from "../normalize/text.ts";
import type { DedupeContact, PreparedContact } from "./types.ts";

const GMAIL = new Set(["gmail.com", "googlemail.com"]);
const STREET_WORDS: Record<string, string> = {
  st: "street",
  str: "strasse",
  straße: "strasse",
  ave: "avenue",
  av: "avenue",
  rd: "road",
  ln: "lane",
  dr: "drive",
  blvd: "boulevard",
  hwy: "highway",
  ct: "court",
  pl: "place",
  sq: "square",
};

/** Lower-case, accent-folded letters only (spaces and punctuation dropped): "O'Brien" → "obrien", "J." → "j". */
export function nameKey(raw: string | null): string {
  if (!raw) return "";
  return foldAccents(raw)
    .toLowerCase()
    .replace(/[^\p{L}]/gu, "");
}

const codeCache = new Map<string, string>();

/** Double-metaphone primary code of a folded name, cached (names repeat heavily). */
export function phoneticCode(name: string): string {
  if (name === "") return "";
  let code = codeCache.get(name);
  if (code === undefined) {
    code = doubleMetaphone(name)[0] || name;
    if (codeCache.size > 200_000) codeCache.clear();
    codeCache.set(name, code);
  }
  return code;
}

/** Email canonical form for matching: `+tags` dropped everywhere, dots dropped and googlemail folded for Gmail. */
export function canonicalEmail(raw: string | null): { email: string; local: string; domain: string; role: boolean; free: boolean } {
  const info = normalizeEmail(raw);
  if (!info.value || !info.local || !info.domain) return { email: "", local: "", domain: "", role: false, free: false };
  let local = info.local;
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  let domain = info.domain;
  if (GMAIL.has(domain)) {
    domain = "gmail.com";
    local = local.replaceAll(".", "");
  }
  // Joined rather than concatenated: one flat string, which hashing and comparing read directly.
  return { email: [local, "@", domain].join(""), local, domain, role: info.role, free: info.freeProvider };
}

function streetKey(raw: string | null): string {
  if (!raw) return "";
  const words = foldAccents(raw)
    .toLowerCase()
    .replace(/ß/g, "ss")
    .split(/[^\p{L}\p{N}]+/u);
  return words
    .filter((w: string) => w !== "")
    .map((w: string) => STREET_WORDS[w] ?? w)
    .join(" ");
}

const NANP_REGIONS = new Set(["US", "CA"]);

/**
 * E.164 of a North American number written with digits and separators only, without libphonenumber (which spends
 * most of the batch's phone time working out the country and the number type); null for anything else. Gives exactly
 * what libphonenumber gives for these inputs (area code and exchange start with 2–9, ten national digits).
 */
export function nanpE164(raw: string, region: string): string | null {
  if (!/^[\d\s().+-]+$/.test(raw)) return null;
  const text = raw.trim();
  const digits = text.replace(/\D/g, "");
  const national = digits.length === 11 && digits[0] === "1" ? digits.slice(1) : digits;
  if (!/^[2-9]\d\d[2-9]\d{6}$/.test(national)) return null;
  if (text.startsWith("+")) return digits.length === 11 && /^\+\s*1/.test(text) ? `+${digits}` : null;
  if (!NANP_REGIONS.has(region) || text.startsWith("0")) return null;
  return `+1${national}`;
}

function phoneKey(raw: string | null, region: string): string {
  if (!raw || raw.trim() === "") return "";
  const fast = nanpE164(raw, region);
  if (fast) return fast;
  const info = normalizePhone(raw, region);
  if (info.e164) return info.e164;
  const bare = raw.replace(/\D/g, "");
  return bare.length >= 7 ? bare : "";
}

/**
 * Canonical forms by raw value, for fields whose values repeat from contact to contact (names, places, titles): each
 * distinct raw value is canonicalised once, and equal canonical values are one string object, so a
 * batch comparing them millions of times compares (and looks them up in the name caches) without reading their text.
 */
class Memo<T> {
  private readonly byRaw = new Map<string, T>();
  constructor(
    private readonly limit: number,
    private readonly compute: (raw: string) => T,
  ) {}
  get(raw: string | null): T {
    const key = raw ?? "";
    let value = this.byRaw.get(key);
    if (value === undefined) {
      if (this.byRaw.size >= this.limit) this.byRaw.clear();
      value = this.compute(key);
      this.byRaw.set(key, value);
    }
    return value;
  }
}

/** A contact preparer with its own memos of `memoSize` values per field (a batch's, dropped with it). */
export function createContactPreparer(memoSize: number): (c: DedupeContact) => PreparedContact {
  const one = new Memo(memoSize * 4, (s: string) => s);
  const same = (s: string) => one.get(s);
  const name = new Memo(memoSize, (raw) => {
    const key = same(nameKey(raw));
    return { key, code: phoneticCode(key) };
  });
  const word = new Memo(memoSize, (raw) => same(nameKey(raw)));
  const street = new Memo(memoSize, (raw) => same(streetKey(raw)));
  const postal = new Memo(memoSize, (raw) => same(raw.toLowerCase().replace(/[^a-z0-9]/g, "")));
  const country = new Memo(memoSize, (raw) => toCountryCode(raw) ?? "");
  return function prepare(c: DedupeContact): PreparedContact {
    const first = name.get(c.firstName);
    const last = name.get(c.lastName);
    const mail = canonicalEmail(c.email);
    const region = country.get(c.country);
    return {
      id: c.id,
      first: first.key,
      last: last.key,
      firstCode: first.code,
      lastCode: last.code,
      email: mail.email,
      emailLocal: mail.local,
      emailDomain: same(mail.domain),
      emailRole: mail.role,
      emailFree: mail.free,
      phone: phoneKey(c.phone, region || "US"),
      // Employers are written in too many ways (legal forms, case) for a memo of raw names to pay; their keys repeat.
      company: same(companyMatchKey(c.company) ?? ""),
      title: word.get(c.jobTitle),
      street: street.get(c.street),
      city: word.get(c.city),
      postal: postal.get(c.postalCode),
      country: region,
    };
  };
}

/** Small memos: a Worker prepares a few contacts per event, in an isolate with little memory. */
const prepareOne = createContactPreparer(2_000);

/** Canonicalises a contact once into the compact fields every comparison reads. */
export function prepareContact(c: DedupeContact): PreparedContact {
  return prepareOne(c);
}
