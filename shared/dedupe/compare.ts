import { LEVEL_INDEX, NO_LEVEL } from "./model.ts";
import { LAST_LEVEL, type NameLevels, sharedNameLevels } from "./name-levels.ts";
import { compareSurnames, typoClose } from "./names.ts";
import { editDistance, jaroWinkler } from "./strings.ts";
import type { PreparedContact } from "./types.ts";

/** The compared fields, in the order of a pair's level vector. */
export const FIELDS = ["first", "last", "email", "phone", "company", "address", "title"] as const;
export type FieldName = (typeof FIELDS)[number];

/**
 * Agreement level per field in `FIELDS` order (its number in `LEVELS`, or `NO_LEVEL` when a side is missing), whether
 * one record has its names the other way round, and the given names and surnames that were compared (a's side, b's
 * side) after lining the names up.
 */
export type PairLevels = {
  levels: Int8Array;
  swapped: boolean;
  firstA: string;
  firstB: string;
  lastA: string;
  lastB: string;
};

/** An empty level vector, to fill with `compareContacts(a, b, into)` (the batch reuses one for millions of pairs). */
export function newPairLevels(): PairLevels {
  return { levels: new Int8Array(FIELDS.length), swapped: false, firstA: "", firstB: "", lastA: "", lastB: "" };
}

const L = LEVEL_INDEX;
const FIRST_CONFLICT = L["first.conflict"];
const LAST_CONFLICT = L["last.conflict"];
const EMAIL_EXACT = L["email.exact"];
const EMAIL_ROLE = L["email.role"];
const EMAIL_FUZZY = L["email.fuzzy"];
const EMAIL_LOCAL = L["email.local"];
const EMAIL_DISAGREE = L["email.disagree"];
const PHONE_EXACT = L["phone.exact"];
const PHONE_PARTIAL = L["phone.partial"];
const PHONE_DISAGREE = L["phone.disagree"];
const COMPANY_EXACT = L["company.exact"];
const COMPANY_FUZZY = L["company.fuzzy"];
const COMPANY_DISAGREE = L["company.disagree"];
const ADDRESS_STREET = L["address.street"];
const ADDRESS_POSTAL = L["address.postal"];
const ADDRESS_CITY = L["address.city"];
const ADDRESS_DISAGREE = L["address.disagree"];
const TITLE_EXACT = L["title.exact"];
const TITLE_DISAGREE = L["title.disagree"];

function compareEmail(a: PreparedContact, b: PreparedContact): number {
  if (a.email === "" || b.email === "") return NO_LEVEL;
  if (a.email === b.email) return a.emailRole ? EMAIL_ROLE : EMAIL_EXACT;
  if (a.emailRole || b.emailRole) return EMAIL_DISAGREE;
  if (a.emailLocal.length < 5 || b.emailLocal.length < 5) return EMAIL_DISAGREE;
  const close = a.emailLocal === b.emailLocal || editDistance(a.emailLocal, b.emailLocal, 1) <= 1;
  // At a company domain one letter apart is one mailbox mistyped; at gmail it is two people with the same name.
  if (close && a.emailDomain === b.emailDomain && !a.emailFree) return EMAIL_FUZZY;
  if (close) return EMAIL_LOCAL;
  return EMAIL_DISAGREE;
}

/** Whether two strings end with the same `n` characters (both at least that long). */
function sameEnding(a: string, b: string, n: number): boolean {
  if (a.length < n || b.length < n) return false;
  for (let i = 1; i <= n; i++) if (a.charCodeAt(a.length - i) !== b.charCodeAt(b.length - i)) return false;
  return true;
}

function comparePhone(a: string, b: string): number {
  if (a === "" || b === "") return NO_LEVEL;
  if (a === b) return PHONE_EXACT;
  // Same subscriber number written with and without its country code, or with a trunk prefix.
  if (sameEnding(a, b, 8)) return PHONE_PARTIAL;
  return PHONE_DISAGREE;
}

function compareCompany(a: string, b: string): number {
  if (a === "" || b === "") return NO_LEVEL;
  if (a === b) return COMPANY_EXACT;
  if (a.charCodeAt(0) === b.charCodeAt(0) && jaroWinkler(a, b) >= 0.93) return COMPANY_FUZZY;
  return COMPANY_DISAGREE;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Whether two strings carry the same runs of digits in the same order ("12 Main St" and "12 Main Street"). */
function sameNumbers(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isDigit(a.charCodeAt(i))) i++;
    while (j < b.length && !isDigit(b.charCodeAt(j))) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    while (i < a.length && j < b.length && isDigit(a.charCodeAt(i)) && a.charCodeAt(i) === b.charCodeAt(j)) {
      i++;
      j++;
    }
    if ((i < a.length && isDigit(a.charCodeAt(i))) || (j < b.length && isDigit(b.charCodeAt(j)))) return false;
  }
}

function compareAddress(a: PreparedContact, b: PreparedContact): number {
  const place = (a.postal !== "" && a.postal === b.postal) || (a.city !== "" && a.city === b.city);
  const placeKnown = (a.postal !== "" && b.postal !== "") || (a.city !== "" && b.city !== "");
  if (a.street !== "" && b.street !== "") {
    const same =
      a.street === b.street || (a.street.length > 6 && sameNumbers(a.street, b.street) && jaroWinkler(a.street, b.street) >= 0.9);
    if (same && (place || !placeKnown)) return ADDRESS_STREET;
    if (!same && !(a.postal !== "" && a.postal === b.postal)) return placeKnown && !place ? ADDRESS_DISAGREE : ADDRESS_CITY;
  }
  if (a.postal !== "" && a.postal === b.postal) return ADDRESS_POSTAL;
  if (a.city !== "" && a.city === b.city) return ADDRESS_CITY;
  return placeKnown ? ADDRESS_DISAGREE : NO_LEVEL;
}

/** The given-name level when names are compared crosswise (surnames `surA`/`surB` agree), or null when they do not line up. */
function crosswise(names: NameLevels, surA: string, surB: string, givA: string, givB: string, codeA: string, codeB: string): number | null {
  if (surA.length < 2 || surB.length < 2) return null;
  if (surA !== surB && !typoClose(surA, surB)) return null;
  const first = names.givenLevel(givA, givB, codeA, codeB);
  return first === FIRST_CONFLICT ? null : first;
}

function setNames(out: PairLevels, swapped: boolean, firstA: string, firstB: string, lastA: string, lastB: string): void {
  out.swapped = swapped;
  out.firstA = firstA;
  out.firstB = firstB;
  out.lastA = lastA;
  out.lastB = lastB;
}

/**
 * Compares the names of a pair into `into` (levels 0 and 1 and the names lined up), name pairs through `names`. Names
 * are read as written unless that makes them conflict while reading either record's first and last name the other way
 * round makes them agree.
 */
export function compareNames(a: PreparedContact, b: PreparedContact, into: PairLevels, names: NameLevels = sharedNameLevels): PairLevels {
  let first = names.givenLevel(a.first, b.first, a.firstCode, b.firstCode);
  let last = names.surnameLevel(a.last, b.last, a.lastCode, b.lastCode);
  setNames(into, false, a.first, b.first, a.last, b.last);
  const conflict = first === FIRST_CONFLICT || last === LAST_CONFLICT;
  if (conflict && a.first !== "" && a.last !== "" && b.first !== "" && b.last !== "" && a.first !== b.first) {
    if (a.last[0] === b.first[0] || a.first[0] === b.last[0]) {
      // b written the other way round (a's surname in b's first-name field), or a.
      const bSwapped = crosswise(names, a.last, b.first, a.first, b.last, a.firstCode, b.lastCode);
      const aSwapped = bSwapped === null ? crosswise(names, a.first, b.last, a.last, b.first, a.lastCode, b.firstCode) : null;
      if (bSwapped !== null) {
        first = bSwapped;
        last = LAST_LEVEL[compareSurnames(a.last, b.first, "", "")];
        setNames(into, true, a.first, b.last, a.last, b.first);
      } else if (aSwapped !== null) {
        first = aSwapped;
        last = LAST_LEVEL[compareSurnames(a.first, b.last, "", "")];
        setNames(into, true, a.last, b.first, a.first, b.last);
      }
    }
  }
  into.levels[0] = first;
  into.levels[1] = last;
  return into;
}

/** Compares everything but the names of a pair into `into` (levels 2 to 6). */
export function compareOtherFields(a: PreparedContact, b: PreparedContact, into: PairLevels): PairLevels {
  const levels = into.levels;
  levels[2] = compareEmail(a, b);
  levels[3] = comparePhone(a.phone, b.phone);
  levels[4] = compareCompany(a.company, b.company);
  levels[5] = compareAddress(a, b);
  levels[6] = a.title === "" || b.title === "" ? NO_LEVEL : a.title === b.title ? TITLE_EXACT : TITLE_DISAGREE;
  return into;
}

/** Compares every field of a pair into agreement levels, into `into` when given (name pairs through `names`). */
export function compareContacts(
  a: PreparedContact,
  b: PreparedContact,
  into: PairLevels = newPairLevels(),
  names: NameLevels = sharedNameLevels,
): PairLevels {
  return compareOtherFields(a, b, compareNames(a, b, into, names));
}
