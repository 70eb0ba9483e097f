/** Given-name and surname agreement as level numbers, remembered per pair of names. */
import { LEVEL_INDEX, NO_LEVEL } from "./model.ts";
import { compareGivenNames, compareSurnames, type GivenNameLevel, type SurnameLevel } from "./names.ts";

const L = LEVEL_INDEX;
export const FIRST_LEVEL: Record<GivenNameLevel, number> = {
  exact: L["first.exact"],
  nickname: L["first.nickname"],
  fuzzy: L["first.fuzzy"],
  initial: L["first.initial"],
  conflict: L["first.conflict"],
  missing: NO_LEVEL,
};
export const LAST_LEVEL: Record<SurnameLevel, number> = {
  exact: L["last.exact"],
  fuzzy: L["last.fuzzy"],
  conflict: L["last.conflict"],
  missing: NO_LEVEL,
};
const FIRST_EXACT = L["first.exact"];
const FIRST_INITIAL = L["first.initial"];
const LAST_EXACT = L["last.exact"];

/**
 * Levels of name pairs already compared: they recur across millions of candidate pairs (a few thousand names), so a
 * batch keeps up to `limit` of them (then starts afresh); a Worker's lookups share a small one.
 */
export class NameLevels {
  private readonly given = new Map<string, Map<string, number>>();
  private readonly surname = new Map<string, Map<string, number>>();
  private size = 0;
  constructor(private readonly limit: number) {}

  /** The level of two given names whose codes are their own phonetic codes (as in every prepared contact). */
  givenLevel(a: string, b: string, codeA: string, codeB: string): number {
    if (a === b) return a === "" ? NO_LEVEL : a.length === 1 ? FIRST_INITIAL : FIRST_EXACT;
    if (a === "" || b === "") return NO_LEVEL;
    return this.remembered(this.given, a, b, () => FIRST_LEVEL[compareGivenNames(a, b, codeA, codeB)]);
  }

  surnameLevel(a: string, b: string, codeA: string, codeB: string): number {
    if (a === b) return a === "" ? NO_LEVEL : LAST_EXACT;
    if (a === "" || b === "") return NO_LEVEL;
    return this.remembered(this.surname, a, b, () => LAST_LEVEL[compareSurnames(a, b, codeA, codeB)]);
  }

  private remembered(cache: Map<string, Map<string, number>>, a: string, b: string, compute: () => number): number {
    let row = cache.get(a);
    if (row === undefined) {
      if (this.size > this.limit) {
        this.given.clear();
        this.surname.clear();
        this.size = 0;
      }
      row = new Map();
      cache.set(a, row);
    }
    let level = row.get(b);
    if (level === undefined) {
      level = compute();
      row.set(b, level);
      this.size++;
    }
    return level;
  }
}

/** For contacts compared one lookup at a time (a Worker isolate has little memory to spare). */
export const sharedNameLevels = new NameLevels(20_000);
