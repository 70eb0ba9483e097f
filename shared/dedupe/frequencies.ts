import type { PreparedContact } from "./types.ts";

/** Fields whose exact agreement is weighed by how common the value is (a rare surname counts more than "smith"). */
export const TF_FIELDS = ["first", "last", "email", "phone", "company", "street", "city", "postal"] as const;
export type TfField = (typeof TF_FIELDS)[number];

/** How many contacts carry a value, over a population; the source of term-frequency adjustment. */
export type TermFrequencies = {
  /** Contacts in the population (at least `MIN_POPULATION`, so tiny files behave like a small portal). */
  readonly population: number;
  count(field: TfField, value: string): number;
};

/** Small inputs are scored as if drawn from a portal this large, so ten rows do not make every name look rare. */
export const MIN_POPULATION = 10_000;

function hash30(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 2) & 0x3fffffff;
}

const REC = 2 ** 23;

/** Values of one field held by two or more contacts, with their counts; found by sorting hashes, not by a Map of all. */
function repeatedValues(contacts: readonly PreparedContact[], f: TfField): Map<string, number> {
  const packed = new Float64Array(contacts.length);
  let n = 0;
  for (let i = 0; i < contacts.length; i++) {
    const v = (contacts[i] as PreparedContact)[f];
    if (v !== "") packed[n++] = hash30(v) * REC + i;
  }
  const sorted = packed.subarray(0, n).sort();
  const counts = new Map<string, number>();
  for (let start = 0; start < n; ) {
    const h = Math.floor((sorted[start] as number) / REC);
    let end = start + 1;
    while (end < n && Math.floor((sorted[end] as number) / REC) === h) end++;
    // A run is one value or, rarely, colliding values: count by the strings themselves.
    for (let p = start; end - start > 1 && p < end; p++) {
      const v = (contacts[(sorted[p] as number) - h * REC] as PreparedContact)[f];
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    start = end;
  }
  return counts;
}

/**
 * Counts the values of every term-frequency field. Only repeated values are kept (a value absent from the table is
 * held by one contact), which keeps a million contacts to a few hundred thousand entries.
 */
export function countTerms(contacts: readonly PreparedContact[]): TermFrequencies {
  const maps = new Map<TfField, Map<string, number>>(TF_FIELDS.map((f) => [f, repeatedValues(contacts, f)]));
  return {
    population: Math.max(MIN_POPULATION, contacts.length),
    count: (field, value) => (value === "" ? 0 : (maps.get(field)?.get(value) ?? 1)),
  };
}

/** Term frequencies given as a plain table (the incremental path reads them from the index). */
export function termsFromTable(population: number, table: ReadonlyMap<string, number>): TermFrequencies {
  return { population: Math.max(MIN_POPULATION, population), count: (field, value) => table.get(`${field}:${value}`) ?? 0 };
}
