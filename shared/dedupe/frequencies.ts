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

/** Counts every value of every term-frequency field in one pass. */
export function countTerms(contacts: readonly PreparedContact[]): TermFrequencies {
  const maps = new Map<TfField, Map<string, number>>(TF_FIELDS.map((f) => [f, new Map()]));
  for (const f of TF_FIELDS) {
    const m = maps.get(f) as Map<string, number>;
    for (const c of contacts) {
      const v = c[f];
      if (v !== "") m.set(v, (m.get(v) ?? 0) + 1);
    }
  }
  return {
    population: Math.max(MIN_POPULATION, contacts.length),
    count: (field, value) => maps.get(field)?.get(value) ?? 0,
  };
}

/** Term frequencies given as a plain table (the incremental path reads them from the index). */
export function termsFromTable(population: number, table: ReadonlyMap<string, number>): TermFrequencies {
  return { population: Math.max(MIN_POPULATION, population), count: (field, value) => table.get(`${field}:${value}`) ?? 0 };
}
