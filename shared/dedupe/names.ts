import { areNicknames, initialFits, nicknameKey, nicknamesOf } from "./nicknames.ts";
import { editDistance, jaroWinkler } from "./strings.ts";

/** How two given names relate, strongest first; `conflict` means they name different people. */
export type GivenNameLevel = "exact" | "nickname" | "fuzzy" | "initial" | "missing" | "conflict";
export type SurnameLevel = "exact" | "fuzzy" | "missing" | "conflict";

/** Close enough to be one name typed twice: one edit (two for long names), or Jaro-Winkler ≥ 0.9 at nearly equal length. */
export function typoClose(a: string, b: string): boolean {
  if (a.length < 3 || b.length < 3) return false;
  const allowed = Math.min(a.length, b.length) >= 8 ? 2 : 1;
  return editDistance(a, b, allowed) <= allowed || (Math.abs(a.length - b.length) <= 1 && jaroWinkler(a, b) >= 0.9);
}

/** Compares folded given names: nicknames (Bob/Robert), typos, initials ("j" vs "james"), short forms (Chris/Christopher). */
export function compareGivenNames(a: string, b: string, codeA: string, codeB: string): GivenNameLevel {
  if (a === "" || b === "") return "missing";
  if (a === b) return a.length === 1 ? "initial" : "exact";
  if (a.length === 1) return initialFits(a, b) ? "initial" : "conflict";
  if (b.length === 1) return initialFits(b, a) ? "initial" : "conflict";
  if (areNicknames(a, b)) return "nickname";
  if (typoClose(a, b)) return "fuzzy";
  if (a.length >= 3 && b.length >= 3 && (a.startsWith(b) || b.startsWith(a))) return "nickname";
  if (nicknameKey(a) === nicknameKey(b)) return "nickname";
  if (typoClose(nicknameKey(a), nicknameKey(b))) return "nickname";
  if (codeA !== "" && codeA === codeB && jaroWinkler(a, b) >= 0.8) return "fuzzy";
  // A mistyped nickname ("diick" for Richard via Dick).
  if (nicknamesOf(b).some((n) => typoClose(a, n)) || nicknamesOf(a).some((n) => typoClose(b, n))) return "nickname";
  return "conflict";
}

/** Compares folded surnames: exact, typo or phonetic variants, compound surnames (van der Berg / Berg). */
export function compareSurnames(a: string, b: string, codeA: string, codeB: string): SurnameLevel {
  if (a === "" || b === "") return "missing";
  if (a === b) return "exact";
  if (typoClose(a, b)) return "fuzzy";
  if (codeA !== "" && codeA === codeB && jaroWinkler(a, b) >= 0.8) return "fuzzy";
  if (a.length >= 4 && b.length >= 4 && (a.endsWith(b) || b.endsWith(a))) return "fuzzy";
  return "conflict";
}
