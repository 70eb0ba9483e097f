import codes from "i18n-iso-countries/codes.json" with { type: "json" };
import de from "i18n-iso-countries/langs/de.json" with { type: "json" };
import en from "i18n-iso-countries/langs/en.json" with { type: "json" };
import es from "i18n-iso-countries/langs/es.json" with { type: "json" };
import fr from "i18n-iso-countries/langs/fr.json" with { type: "json" };
import it from "i18n-iso-countries/langs/it.json" with { type: "json" };
import nl from "i18n-iso-countries/langs/nl.json" with { type: "json" };
import pt from "i18n-iso-countries/langs/pt.json" with { type: "json" };
import { lookupSubdivision } from "./subdivisions.ts";
import { foldAccents } from "./text.ts";

type LocaleFile = { countries: Record<string, string | string[]> };

// The library's Node entry registers all 80 locales (590 kB); we read its data files directly and take only the
// languages CRM exports mostly come in, plus the endonyms below for the rest (about 45 kB in a Worker bundle).
const LOCALES: LocaleFile[] = [en, de, fr, es, it, nl, pt];

/** Endonyms and everyday aliases the locale files above do not carry. */
const EXTRA_NAMES: Record<string, string> = {
  america: "US",
  "united states of america": "US",
  "the united states": "US",
  "u s": "US",
  "u s a": "US",
  amerika: "US",
  england: "GB",
  scotland: "GB",
  wales: "GB",
  "northern ireland": "GB",
  britain: "GB",
  "great britain": "GB",
  "u k": "GB",
  "united kingdom of great britain and northern ireland": "GB",
  holland: "NL",
  korea: "KR",
  "north korea": "KP",
  burma: "MM",
  swaziland: "SZ",
  vatican: "VA",
  "vatican city": "VA",
  macau: "MO",
  "hong kong sar": "HK",
  "czech republic": "CZ",
  "ivory coast": "CI",
  "viet nam": "VN",
  vietnam: "VN",
  laos: "LA",
  syria: "SY",
  moldova: "MD",
  bolivia: "BO",
  venezuela: "VE",
  tanzania: "TZ",
  "cape verde": "CV",
  "east timor": "TL",
  uae: "AE",
  ksa: "SA",
  prc: "CN",
  "mainland china": "CN",
  "republic of ireland": "IE",
  eire: "IE",
  éire: "IE",
  sverige: "SE",
  norge: "NO",
  noreg: "NO",
  danmark: "DK",
  suomi: "FI",
  island: "IS",
  polska: "PL",
  cesko: "CZ",
  "ceska republika": "CZ",
  slovensko: "SK",
  magyarorszag: "HU",
  romania: "RO",
  românia: "RO",
  balgariya: "BG",
  hrvatska: "HR",
  slovenija: "SI",
  srbija: "RS",
  ellada: "GR",
  ελλάδα: "GR",
  ελλαδα: "GR",
  turkiye: "TR",
  россия: "RU",
  rossiya: "RU",
  україна: "UA",
  ukraina: "UA",
  беларусь: "BY",
  eesti: "EE",
  latvija: "LV",
  lietuva: "LT",
  日本: "JP",
  nippon: "JP",
  nihon: "JP",
  中国: "CN",
  zhongguo: "CN",
  中華人民共和國: "CN",
  台灣: "TW",
  台湾: "TW",
  香港: "HK",
  대한민국: "KR",
  한국: "KR",
  भारत: "IN",
  bharat: "IN",
  ישראל: "IL",
  السعودية: "SA",
  مصر: "EG",
  misr: "EG",
  الإمارات: "AE",
  ประเทศไทย: "TH",
  ไทย: "TH",
  "việt nam": "VN",
  pilipinas: "PH",
  schweiz: "CH",
  suisse: "CH",
  svizzera: "CH",
  svizra: "CH",
  helvetia: "CH",
  osterreich: "AT",
  deutschland: "DE",
  brd: "DE",
  espana: "ES",
  mexico: "MX",
  brasil: "BR",
  nederland: "NL",
  belgie: "BE",
  belgique: "BE",
  italia: "IT",
  "south africa": "ZA",
  "new zealand": "NZ",
  aotearoa: "NZ",
};

const KEY_STRIP_RE = /[.'’()]/g;
const KEY_SPACE_RE = /[^\p{L}\p{N}]+/gu;

/** Lookup key for country and subdivision names: accents folded, lower-case, dots and punctuation dropped, "&" as "and". */
export function placeKey(raw: string): string {
  return foldAccents(raw)
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(KEY_STRIP_RE, "")
    .replace(KEY_SPACE_RE, " ")
    .trim()
    .replace(/^the /, "");
}

const byName = new Map<string, string>();
const alpha3 = new Map<string, string>();
const numeric = new Map<string, string>();
const alpha2 = new Set<string>();
for (const [a2, a3, num] of codes as string[][]) {
  if (!a2 || !a3 || !num) continue;
  alpha2.add(a2);
  alpha3.set(a3, a2);
  numeric.set(num, a2);
}
for (const locale of LOCALES) {
  for (const [code, names] of Object.entries(locale.countries)) {
    for (const name of Array.isArray(names) ? names : [names]) {
      const key = placeKey(name);
      // First registration wins: English before other languages ("Congo" stays CG).
      if (key && !byName.has(key)) byName.set(key, code);
    }
  }
}
for (const [name, code] of Object.entries(EXTRA_NAMES)) {
  const key = placeKey(name);
  if (key && !byName.has(key)) byName.set(key, code);
}

/**
 * ISO 3166-1 alpha-2 code from a country name (English, German, French, Spanish, Italian, Dutch, Portuguese), an
 * endonym ("Deutschland", "日本"), an alias ("USA", "U.K.", "Holland") or an alpha-2, alpha-3 or numeric code.
 * `null` when unknown.
 */
export function toCountryCode(raw: string | null): string | null {
  if (raw == null) return null;
  const trimmed = raw.trim();
  if (trimmed === "") return null;
  const upper = trimmed.toUpperCase();
  if (upper.length === 2 && alpha2.has(upper)) return upper;
  if (upper.length === 3) {
    const code = alpha3.get(upper) ?? numeric.get(upper);
    if (code) return code;
  }
  return byName.get(placeKey(trimmed)) ?? null;
}

// Where the locale lists a formal name first, the everyday name is second ("United States of America", "United States").
const EVERYDAY_SECOND = new Set(["US", "CN", "RU", "IR", "TZ", "MK", "PS", "TW", "GM"]);

/** The everyday English name of an alpha-2 code ("DE" → "Germany", "US" → "United States"); `null` for unknown codes. */
export function countryName(code: string): string | null {
  const names = (en as LocaleFile).countries[code];
  if (names === undefined) return null;
  if (!Array.isArray(names)) return names;
  return (EVERYDAY_SECOND.has(code) ? names[1] : names[0]) ?? null;
}

/**
 * ISO 3166-2 subdivision suffix ("CA" for "california" in the US, "ON" for "Ontario", "BY" for "Bayern") for the
 * countries we carry tables for (US, CA, AU, DE, GB nations, IN). With no country, a name is accepted
 * only when one country has it. `null` when unknown.
 */
export function toSubdivisionCode(country: string | null, raw: string | null): string | null {
  if (raw == null) return null;
  const key = placeKey(raw);
  if (key === "") return null;
  return lookupSubdivision(country === null ? null : toCountryCode(country), key);
}
