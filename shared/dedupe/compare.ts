import type { Level } from "./model.ts";
import { compareGivenNames, compareSurnames, type GivenNameLevel, type SurnameLevel, typoClose } from "./names.ts";
import { editDistance, jaroWinkler } from "./strings.ts";
import type { PreparedContact } from "./types.ts";

/** The compared fields, in the order of a pair's level vector. */
export const FIELDS = ["first", "last", "email", "phone", "company", "address", "title"] as const;
export type FieldName = (typeof FIELDS)[number];

/**
 * Agreement level per field (`null`: a side is missing, no evidence), whether one record has its names the other way
 * round, and the given names and surnames that were compared (a's side, b's side) after lining the names up.
 */
export type PairLevels = {
  levels: (Level | null)[];
  swapped: boolean;
  firstA: string;
  firstB: string;
  lastA: string;
  lastB: string;
};

function compareEmail(a: PreparedContact, b: PreparedContact): Level | null {
  if (a.email === "" || b.email === "") return null;
  if (a.email === b.email) return a.emailRole ? "email.role" : "email.exact";
  if (a.emailRole || b.emailRole) return "email.disagree";
  if (a.emailLocal.length < 5 || b.emailLocal.length < 5) return "email.disagree";
  const close = a.emailLocal === b.emailLocal || editDistance(a.emailLocal, b.emailLocal, 1) <= 1;
  // At a company domain one letter apart is one mailbox mistyped; at gmail it is two people with the same name.
  if (close && a.emailDomain === b.emailDomain && !a.emailFree) return "email.fuzzy";
  if (close) return "email.local";
  return "email.disagree";
}

function comparePhone(a: string, b: string): Level | null {
  if (a === "" || b === "") return null;
  if (a === b) return "phone.exact";
  // Same subscriber number written with and without its country code, or with a trunk prefix.
  if (a.length >= 8 && b.length >= 8 && a.slice(-8) === b.slice(-8)) return "phone.partial";
  return "phone.disagree";
}

function compareCompany(a: string, b: string): Level | null {
  if (a === "" || b === "") return null;
  if (a === b) return "company.exact";
  if (a.charCodeAt(0) === b.charCodeAt(0) && jaroWinkler(a, b) >= 0.93) return "company.fuzzy";
  return "company.disagree";
}

const sameNumbers = (a: string, b: string) => a.replace(/\D+/g, " ").trim() === b.replace(/\D+/g, " ").trim();

function compareAddress(a: PreparedContact, b: PreparedContact): Level | null {
  const place = (a.postal !== "" && a.postal === b.postal) || (a.city !== "" && a.city === b.city);
  const placeKnown = (a.postal !== "" && b.postal !== "") || (a.city !== "" && b.city !== "");
  if (a.street !== "" && b.street !== "") {
    const same =
      a.street === b.street || (a.street.length > 6 && sameNumbers(a.street, b.street) && jaroWinkler(a.street, b.street) >= 0.9);
    if (same && (place || !placeKnown)) return "address.street";
    if (!same && !(a.postal !== "" && a.postal === b.postal)) return placeKnown && !place ? "address.disagree" : "address.city";
  }
  if (a.postal !== "" && a.postal === b.postal) return "address.postal";
  if (a.city !== "" && a.city === b.city) return "address.city";
  return placeKnown ? "address.disagree" : null;
}

const FIRST_LEVEL: Record<GivenNameLevel, Level | null> = {
  exact: "first.exact",
  nickname: "first.nickname",
  fuzzy: "first.fuzzy",
  initial: "first.initial",
  conflict: "first.conflict",
  missing: null,
};
const LAST_LEVEL: Record<SurnameLevel, Level | null> = {
  exact: "last.exact",
  fuzzy: "last.fuzzy",
  conflict: "last.conflict",
  missing: null,
};

/** The names compared crosswise: surname `surA`/`surB`, given name `givA`/`givB` (one record was written "Last First"). */
function crosswise(surA: string, surB: string, givA: string, givB: string, codeA: string, codeB: string) {
  if (surA.length < 2 || surB.length < 2) return null;
  if (surA !== surB && !typoClose(surA, surB)) return null;
  const first = compareGivenNames(givA, givB, codeA, codeB);
  return first === "conflict" ? null : { first, last: compareSurnames(surA, surB, "", "") };
}

/**
 * Compares every field of a pair into agreement levels. Names are read as written unless that makes them conflict
 * while reading either record's first and last name the other way round makes them agree.
 */
export function compareContacts(a: PreparedContact, b: PreparedContact): PairLevels {
  let first = compareGivenNames(a.first, b.first, a.firstCode, b.firstCode);
  let last = compareSurnames(a.last, b.last, a.lastCode, b.lastCode);
  let names = { swapped: false, firstA: a.first, firstB: b.first, lastA: a.last, lastB: b.last };
  const conflict = first === "conflict" || last === "conflict";
  if (conflict && a.first !== "" && a.last !== "" && b.first !== "" && b.last !== "" && a.first !== b.first) {
    if (a.last[0] === b.first[0] || a.first[0] === b.last[0]) {
      // b written the other way round (a's surname in b's first-name field), or a.
      const bSwapped = crosswise(a.last, b.first, a.first, b.last, a.firstCode, b.lastCode);
      const aSwapped = bSwapped ? null : crosswise(a.first, b.last, a.last, b.first, a.lastCode, b.firstCode);
      const cross = bSwapped ?? aSwapped;
      if (cross) {
        ({ first, last } = cross);
        names = bSwapped
          ? { swapped: true, firstA: a.first, firstB: b.last, lastA: a.last, lastB: b.first }
          : { swapped: true, firstA: a.last, firstB: b.first, lastA: a.first, lastB: b.last };
      }
    }
  }
  const title = a.title === "" || b.title === "" ? null : a.title === b.title ? "title.exact" : "title.disagree";
  return {
    ...names,
    levels: [
      FIRST_LEVEL[first],
      LAST_LEVEL[last],
      compareEmail(a, b),
      comparePhone(a.phone, b.phone),
      compareCompany(a.company, b.company),
      compareAddress(a, b),
      title,
    ],
  };
}
