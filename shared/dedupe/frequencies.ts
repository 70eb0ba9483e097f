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

const REC = 2 ** 23;

/**
 * How many contacts hold each contact's value of one field (0 when it has none), found by sorting hashes rather than
 * by a Map of every value.
 */
function holdersByContact(contacts: readonly PreparedContact[], f: TfField): Int32Array {
  const packed = new Float64Array(contacts.length);
  let n = 0;
  for (let i = 0; i < contacts.length; i++) {
    const v = (contacts[i] as PreparedContact)[f];
    if (v !== "") packed[n++] = hash30(v) * REC + i;
  }
  const sorted = packed.subarray(0, n).sort();
  const holders = new Int32Array(contacts.length);
  for (let start = 0; start < n; ) {
    const h = Math.floor((sorted[start] as number) / REC);
    let end = start + 1;
    while (end < n && Math.floor((sorted[end] as number) / REC) === h) end++;
    const first = (contacts[(sorted[start] as number) - h * REC] as PreparedContact)[f];
    let oneValue = true;
    for (let p = start + 1; p < end && oneValue; p++)
      oneValue = (contacts[(sorted[p] as number) - h * REC] as PreparedContact)[f] === first;
    if (oneValue) {
      for (let p = start; p < end; p++) holders[(sorted[p] as number) - h * REC] = end - start;
    } else {
      // Colliding values (rare): count each by its string.
      const counts = new Map<string, number>();
      for (let p = start; p < end; p++) {
        const v = (contacts[(sorted[p] as number) - h * REC] as PreparedContact)[f];
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      for (let p = start; p < end; p++) {
        const i = (sorted[p] as number) - h * REC;
        holders[i] = counts.get((contacts[i] as PreparedContact)[f]) ?? 1;
      }
    }
    start = end;
  }
  return holders;
}

/**
 * Counts the values of every term-frequency field of a batch, kept per contact (a million contacts take 4 bytes per
 * field each, and scoring reads a pair's counts by position). Counts by value are tabulated on first use.
 */
export function countTerms(contacts: readonly PreparedContact[]): TermFrequencies {
  const byContact = Object.fromEntries(TF_FIELDS.map((f) => [f, holdersByContact(contacts, f)])) as Record<TfField, Int32Array>;
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
