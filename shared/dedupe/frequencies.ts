import { sortByKey } from "./radix.ts";
import type { PreparedContact } from "./types.ts";

/** Fields whose exact agreement is weighed by how common the value is (a rare surname counts more than "smith"). */
export const TF_FIELDS = ["first", "last", "email", "phone", "company", "street", "city", "postal"] as const;
export type TfField = (typeof TF_FIELDS)[number];

/** How many contacts carry a value, over a population; the source of term-frequency adjustment. */
export type TermFrequencies = {
  /** Contacts in the population (at least `MIN_POPULATION`, so tiny files behave like a small portal). */
  readonly population: number;
  count(field: TfField, value: string): number;
  /** When the population is a batch: per field, `count` of the value each contact holds, by the contact's position. */
  readonly byContact?: Readonly<Record<TfField, Int32Array>>;
};

/** Small inputs are scored as if drawn from a portal this large, so ten rows do not make every name look rare. */
export const MIN_POPULATION = 10_000;

function hash30(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 2) & 0x3fffffff;
}

/** Arrays of one entry per contact, reused for every field (each large allocation can cost V8 a full collection). */
type Scratch = { keys: Uint32Array; owners: Int32Array; spare: { keys: Uint32Array; values: Int32Array } };

/**
 * How many contacts hold each contact's value of one field (0 when it has none), found by radix-sorting hashes rather
 * than by a Map of every value.
 */
function holdersByContact(contacts: readonly PreparedContact[], f: TfField, scratch: Scratch): Int32Array {
  const { keys, owners } = scratch;
  let n = 0;
  for (let i = 0; i < contacts.length; i++) {
    const v = (contacts[i] as PreparedContact)[f];
    if (v === "") continue;
    keys[n] = hash30(v);
    owners[n++] = i;
  }
  sortByKey(keys, owners, n, scratch.spare);
  const holders = new Int32Array(contacts.length);
  const valueAt = (p: number) => (contacts[owners[p] as number] as PreparedContact)[f];
  for (let start = 0, end = 0; start < n; start = end) {
    for (end = start + 1; end < n && keys[end] === keys[start]; ) end++;
    const first = valueAt(start);
    let oneValue = true;
    for (let p = start + 1; p < end && oneValue; p++) oneValue = valueAt(p) === first;
    if (oneValue) {
      for (let p = start; p < end; p++) holders[owners[p] as number] = end - start;
      continue;
    }
    // Colliding values (rare): count each by its string.
    const counts = new Map<string, number>();
    for (let p = start; p < end; p++) counts.set(valueAt(p), (counts.get(valueAt(p)) ?? 0) + 1);
    for (let p = start; p < end; p++) holders[owners[p] as number] = counts.get(valueAt(p)) ?? 1;
  }
  return holders;
}

/**
 * Counts the values of every term-frequency field of a batch, kept per contact (a million contacts take 4 bytes per
 * field each, and scoring reads a pair's counts by position). Counts by value are tabulated on first use.
 */
export function countTerms(contacts: readonly PreparedContact[]): TermFrequencies {
  const n = contacts.length;
  const scratch = { keys: new Uint32Array(n), owners: new Int32Array(n), spare: { keys: new Uint32Array(n), values: new Int32Array(n) } };
  const byContact = Object.fromEntries(TF_FIELDS.map((f) => [f, holdersByContact(contacts, f, scratch)])) as Record<TfField, Int32Array>;
  const byValue = new Map<TfField, Map<string, number>>();
  const tableOf = (field: TfField): Map<string, number> => {
    let table = byValue.get(field);
    if (!table) {
      table = new Map();
      const holders = byContact[field];
      for (let i = 0; i < contacts.length; i++) {
        if ((holders[i] as number) > 1) table.set((contacts[i] as PreparedContact)[field], holders[i] as number);
      }
      byValue.set(field, table);
    }
    return table;
  };
  return {
    population: Math.max(MIN_POPULATION, contacts.length),
    count: (field, value) => (value === "" ? 0 : (tableOf(field).get(value) ?? 1)),
    byContact,
  };
}

/** Term frequencies given as a plain table (the incremental path reads them from the index). */
export function termsFromTable(population: number, table: ReadonlyMap<string, number>): TermFrequencies {
  return { population: Math.max(MIN_POPULATION, population), count: (field, value) => table.get(`${field}:${value}`) ?? 0 };
}
