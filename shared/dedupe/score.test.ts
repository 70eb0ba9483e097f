import { describe, expect, it } from "vitest";
import { compareContacts, compareNames, newPairLevels } from "./compare.ts";
import { countTerms } from "./frequencies.ts";
import { prepareContact } from "./prepare.ts";
import { makeScorer, namesCeiling, weighLevels } from "./score.ts";
import type { DedupeContact } from "./types.ts";

const person = (id: string, first: string, last: string, over: Partial<DedupeContact> = {}): DedupeContact => ({
  id,
  firstName: first,
  lastName: last,
  email: `${first}.${last}@acme.com`.toLowerCase(),
  phone: "+1 617 555 0134",
  company: "Acme",
  jobTitle: "CEO",
  street: "12 Main Street",
  city: "Boston",
  state: "MA",
  postalCode: "02110",
  country: "US",
  ...over,
});

describe("namesCeiling", () => {
  const people = [
    person("1", "Robert", "Kowalczyk"),
    person("2", "Maria", "Kowalczyk", { email: "robert.kowalczyk@acme.com" }),
    person("3", "Laura", "Chen"),
    person("4", "Kowalczyk", "Robert", { phone: null }),
    person("5", "R.", "Kowalczyk", { email: "info@acme.com" }),
    person("6", "Anna", "Smith", { email: null, company: null }),
    person("7", "Robert", "Chen", { email: "robert.chen@gmail.com" }),
  ].map(prepareContact);
  const scorer = makeScorer(countTerms(people));

  it("is never below the weight of a pair whose names say different people, and is Infinity otherwise", () => {
    let capped = 0;
    for (let i = 0; i < people.length; i++) {
      for (let j = 0; j < people.length; j++) {
        if (i === j) continue;
        const [a, b] = [people[i], people[j]] as [(typeof people)[0], (typeof people)[0]];
        const bound = namesCeiling(a, b, compareNames(a, b, newPairLevels()), scorer, i, j);
        const weight = weighLevels(a, b, compareContacts(a, b), scorer, undefined, i, j).weight;
        expect(bound).toBeGreaterThanOrEqual(weight);
        if (Number.isFinite(bound)) capped++;
      }
    }
    expect(capped).toBeGreaterThan(10);
  });
});
