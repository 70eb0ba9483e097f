import { nicknameKey } from "./nicknames.ts";
import { PairList } from "./pair-list.ts";
import { phoneticCode } from "./prepare.ts";
import { sortByKey } from "./radix.ts";
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
  keys.push(...givenNamePlaceKeys(c));
  return keys;
}

/**
 * Employer and postcode with the given name, for a surname mistyped past its sound or names written the other way
 * round (same format as the surname keys, so a swapped record meets the right way round). Street with the given name
 * found no pair that the postcode did not, for many more candidates.
 */
export function givenNamePlaceKeys(c: PreparedContact): string[] {
  const given = c.first.length > 1 ? phoneticCode(nicknameKey(c.first)) : "";
  if (given === "" || given === c.lastCode) return [];
  const keys: string[] = [];
  if (c.company !== "") keys.push(`c:${c.company}:${given}`);
  if (c.postal !== "") keys.push(`z:${c.postal}:${given}`);
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

/**
 * The over-large blocks' sort order (given name, then email local part, then street; then record number): each member's
 * rank, found by one sort of flat strings with the record number appended (the built-in string sort, no comparator).
 */
function neighbourhoodRanks(members: Int32Array, contacts: readonly PreparedContact[]): Int32Array {
  const width = String(contacts.length).length;
  // "\u0001" sorts below every character of a key, so a key that is a prefix of another still sorts first.
  const keys = Array.from(members, (i) => {
    const c = contacts[i] as PreparedContact;
    return [c.first, "|", c.emailLocal, "|", c.street, "\u0001", String(i).padStart(width, "0")].join("");
  }).sort();
  const rank = new Int32Array(contacts.length);
  keys.forEach((key, r) => {
    rank[Number(key.slice(key.length - width))] = r;
  });
  return rank;
}

/** Within an over-large block, compare each record with its `window` nearest by given name and email (sorted neighbourhood). */
function neighbourhood(members: number[], rank: Int32Array, window: number, out: PairList): void {
  members.sort((x, y) => (rank[x] as number) - (rank[y] as number));
  for (let p = 0; p < members.length; p++) {
    const a = members[p] as number;
    for (let q = p + 1; q < Math.min(members.length, p + 1 + window); q++) out.add(a, members[q] as number);
  }
}

/** Every record's blocking keys, hashed, radix-sorted so that each key's records form a run. */
function hashedKeys(contacts: readonly PreparedContact[]): { hashes: Uint32Array; owners: Int32Array; n: number } {
  // About a dozen keys per contact: sized so the arrays rarely grow (each large allocation costs a full collection).
  let hashes = new Uint32Array(contacts.length * 12);
  let owners = new Int32Array(contacts.length * 12);
  let n = 0;
  for (let i = 0; i < contacts.length; i++) {
    for (const k of blockingKeys(contacts[i] as PreparedContact)) {
      if (n === hashes.length) {
        const moreHashes = new Uint32Array(hashes.length * 2);
        moreHashes.set(hashes);
        hashes = moreHashes;
        const moreOwners = new Int32Array(owners.length * 2);
        moreOwners.set(owners);
        owners = moreOwners;
      }
      hashes[n] = hash30(k);
      owners[n++] = i;
    }
  }
  sortByKey(hashes, owners, n);
  return { hashes, owners, n };
}

/** Calls `visit` with the bounds of every run of equal hashes (one blocking key's records). */
function forEachBlock(hashes: Uint32Array, n: number, visit: (start: number, end: number) => void): void {
  for (let start = 0, end = 0; start < n; start = end) {
    for (end = start + 1; end < n && hashes[end] === hashes[start]; ) end++;
    visit(start, end);
  }
}

/** Groups records by every blocking key (radix-sorting hashed keys, no per-key objects) and lists the distinct candidate pairs. */
export function candidatePairs(contacts: readonly PreparedContact[], options: BlockingOptions = DEFAULT_BLOCKING): CandidatePairs {
  const { hashes, owners, n } = hashedKeys(contacts);
  const large = (start: number, end: number) => end - start > (options.maxBlock[(hashes[start] as number) >>> 27] ?? 16);
  // Records in over-large blocks are ranked once, not sorted again in every block they are in.
  const inLarge = new Uint8Array(contacts.length);
  let expected = 0;
  forEachBlock(hashes, n, (start, end) => {
    if (large(start, end)) for (let p = start; p < end; p++) inLarge[owners[p] as number] = 1;
    expected += large(start, end) ? (end - start) * options.window : ((end - start) * (end - start - 1)) / 2;
  });
  const rank = neighbourhoodRanks(
    Int32Array.from({ length: contacts.length }, (_, i) => i).filter((i) => inLarge[i] === 1),
    contacts,
  );
  const pairs = new PairList(expected);
  let blocks = 0;
  let largeBlocks = 0;
  forEachBlock(hashes, n, (start, end) => {
    if (end - start < 2) return;
    blocks++;
    if (large(start, end)) {
      largeBlocks++;
      neighbourhood(Array.from(owners.subarray(start, end)), rank, options.window, pairs);
    } else {
      for (let x = start; x < end; x++) for (let y = x + 1; y < end; y++) pairs.add(owners[x] as number, owners[y] as number);
    }
  });
  return { codes: pairs.codes(contacts.length), blocks, largeBlocks };
}

/** Splits a pair code back into its two record indexes. */
export function decodePair(code: number): [number, number] {
  const a = Math.floor(code / REC_BITS);
  return [a, code - a * REC_BITS];
}
