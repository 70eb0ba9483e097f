import { nicknameKey } from "./nicknames.ts";
import { phoneticCode } from "./prepare.ts";
import type { PreparedContact } from "./types.ts";

/** Records per batch are limited by the pair encoding (two indexes in one float64). */
export const MAX_RECORDS = 1 << 23;
const REC_BITS = 2 ** 23;

/**
 * Blocking keys: pairs that share any key are compared. Each key says what the two records have in common; a true
 * pair missed by all of them is never scored (pair completeness measures how often that happens).
 */
export function blockingKeys(c: PreparedContact): string[] {
  const keys: string[] = [];
  if (c.email !== "") keys.push(`e:${c.email}`);
  if (c.emailLocal.length >= 5 && !c.emailRole && !nameDerived(c)) keys.push(`l:${c.emailLocal}`);
  if (c.phone.length >= 8) keys.push(`p:${c.phone.slice(-8)}`);
  const given = c.first.length > 1 ? phoneticCode(nicknameKey(c.first)) : "";
  if (c.lastCode !== "" && given !== "") keys.push(`n:${c.lastCode}:${given}`);
  if (c.lastCode !== "" && c.first !== "") keys.push(`i:${c.lastCode}:${nicknameKey(c.first)[0]}`);
  // Swapped first and last names meet under the same key as the right way round.
  if (c.firstCode !== "" && c.last.length > 1) keys.push(`n:${c.firstCode}:${phoneticCode(nicknameKey(c.last))}`);
  // "Smith J." is "J. Smith" written the other way round.
  if (c.firstCode !== "" && c.last.length === 1) keys.push(`i:${c.firstCode}:${c.last}`);
  if (c.company !== "" && c.lastCode !== "") keys.push(`c:${c.company}:${c.lastCode}`);
  if (c.street !== "" && c.lastCode !== "") keys.push(`a:${c.street}:${c.lastCode}`);
  if (c.postal !== "" && c.lastCode !== "") keys.push(`z:${c.postal}:${c.lastCode}`);
  // Employer and postcode also with the given name, for a surname mistyped past its sound or names written the other
  // way round (same format as the surname keys, so a swapped record meets the right way round). Street with the given
  // name found no pair that the postcode did not, for many more candidates.
  if (given !== "" && given !== c.lastCode) {
    if (c.company !== "") keys.push(`c:${c.company}:${given}`);
    if (c.postal !== "") keys.push(`z:${c.postal}:${given}`);
  }
  return keys;
}

/** A local part spelled from the person's own name (jsmith, ana.weberer) says nothing the name keys do not. */
function nameDerived(c: PreparedContact): boolean {
  const letters = c.emailLocal.replace(/[^a-z]/g, "");
  return (c.last.length >= 3 && letters.includes(c.last)) || (c.first.length >= 3 && letters === c.first);
}

const KEY_TYPES = "elpnicaz";

/** FNV-1a of the key in 27 bits, with the key's type in the top 3 bits (blocks of each type have their own size limit). */
function hash30(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (Math.max(0, KEY_TYPES.indexOf(s[0] ?? "e")) << 27) | ((h >>> 5) & 0x7ffffff);
}

/** Largest block compared all-pairs, per key type (index in "elpnicaz"); larger ones use a sorted neighbourhood. */
export type BlockingOptions = { maxBlock: readonly number[]; window: number };
export const DEFAULT_BLOCKING: BlockingOptions = { maxBlock: [64, 16, 64, 12, 6, 24, 16, 12], window: 5 };

/** Candidate pairs, each encoded as `a * 2^23 + b` with a < b, sorted and unique; plus blocking statistics. */
export type CandidatePairs = { codes: Float64Array; blocks: number; largeBlocks: number };

class Pairs {
  buf = new Float64Array(1 << 16);
  n = 0;
  push(a: number, b: number): void {
    if (a === b) return;
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = a < b ? a * REC_BITS + b : b * REC_BITS + a;
  }
}

/** Within an over-large block, compare each record with its `window` nearest by given name and email (sorted neighbourhood). */
function neighbourhood(members: number[], contacts: readonly PreparedContact[], window: number, out: Pairs): void {
  const sortKey = (i: number) => {
    const c = contacts[i] as PreparedContact;
    return `${c.first}|${c.emailLocal}|${c.street}`;
  };
  const sorted = members.map((i) => ({ i, k: sortKey(i) })).sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0));
  for (let p = 0; p < sorted.length; p++) {
    const a = (sorted[p] as { i: number }).i;
    for (let q = p + 1; q < Math.min(sorted.length, p + 1 + window); q++) out.push(a, (sorted[q] as { i: number }).i);
  }
}

/** Groups records by every blocking key (sorting hashed keys, no per-key objects) and lists the distinct candidate pairs. */
export function candidatePairs(contacts: readonly PreparedContact[], options: BlockingOptions = DEFAULT_BLOCKING): CandidatePairs {
  let entries = new Float64Array(contacts.length * 4);
  let n = 0;
  for (let i = 0; i < contacts.length; i++) {
    for (const k of blockingKeys(contacts[i] as PreparedContact)) {
      if (n === entries.length) {
        const next = new Float64Array(entries.length * 2);
        next.set(entries);
        entries = next;
      }
      entries[n++] = hash30(k) * REC_BITS + i;
    }
  }
  const sorted = entries.subarray(0, n).sort();
  const pairs = new Pairs();
  let blocks = 0;
  let largeBlocks = 0;
  for (let start = 0; start < n; ) {
    const h = Math.floor((sorted[start] as number) / REC_BITS);
    let end = start + 1;
    while (end < n && Math.floor((sorted[end] as number) / REC_BITS) === h) end++;
    if (end - start > 1) {
      blocks++;
      const members: number[] = [];
      for (let p = start; p < end; p++) members.push((sorted[p] as number) - h * REC_BITS);
      if (members.length > (options.maxBlock[h >>> 27] ?? 16)) {
        largeBlocks++;
        neighbourhood(members, contacts, options.window, pairs);
      } else {
        for (let x = 0; x < members.length; x++)
          for (let y = x + 1; y < members.length; y++) pairs.push(members[x] as number, members[y] as number);
      }
    }
    start = end;
  }
  const all = pairs.buf.subarray(0, pairs.n).sort();
  let u = 0;
  for (let p = 0; p < all.length; p++) if (p === 0 || all[p] !== all[p - 1]) all[u++] = all[p] as number;
  return { codes: all.slice(0, u), blocks, largeBlocks };
}

/** Splits a pair code back into its two record indexes. */
export function decodePair(code: number): [number, number] {
  const a = Math.floor(code / REC_BITS);
  return [a, code - a * REC_BITS];
}
