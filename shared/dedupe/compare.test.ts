import { describe, expect, it } from "vitest";
import { compareContacts, FIELDS } from "./compare.ts";
import { LEVELS } from "./model.ts";
import { NameLevels } from "./name-levels.ts";
import { prepareContact } from "./prepare.ts";
import type { DedupeContact } from "./types.ts";

const contact = (id: string, over: Partial<DedupeContact>): DedupeContact => ({
  id,
  firstName: "Ann",
  lastName: "Lee",
  email: null,
  phone: null,
  company: null,
  jobTitle: null,
  street: null,
  city: "Boston",
  state: null,
  postalCode: "02110",
  country: "US",
  ...over,
});

function level(field: (typeof FIELDS)[number], a: Partial<DedupeContact>, b: Partial<DedupeContact>): string | undefined {
  const pl = compareContacts(prepareContact(contact("1", a)), prepareContact(contact("2", b)));
  return LEVELS[pl.levels[FIELDS.indexOf(field)] as number];
}

describe("compareContacts", () => {
  it.each([
    ["12 Main St", "12 Main Street", "street"],
    ["12 Main Street", "12 Mian Street", "street"],
    ["12 Main Street", "14 Main Street", "postal"],
    ["12-3 Main Street", "12-3 Main Street", "street"],
    ["12-3 Main Street", "123 Main Street", "postal"],
    ["1 Main Street", "12 Main Street", "postal"],
  ])("reads street %s against %s as address.%s", (a, b, expected) => {
    expect(level("address", { street: a }, { street: b })).toBe(`address.${expected}`);
  });

  it.each([
    ["+16175550134", "+16175550134", "phone.exact"],
    ["+16175550134", "617-555-0134", "phone.exact"],
    ["+44 7911 123456", "07911 123456", "phone.partial"],
    ["+16175550134", "+16175550135", "phone.disagree"],
    ["+16175550134", null, undefined],
  ])("reads phone %s against %s as %s", (a, b, expected) => {
    expect(level("phone", { phone: a }, { phone: b })).toBe(expected);
  });

  it("gives the same name levels through a batch's small memory of name pairs as without it", () => {
    const names = new NameLevels(2);
    const people = ["Robert Lee", "Bob Lee", "Robret Lea", "Lee Robert", "Maria Lee", "R. Lee"].map((n, i) => {
      const [firstName, lastName] = n.split(" ");
      return prepareContact(contact(String(i), { firstName, lastName }));
    });
    for (const a of people)
      for (const b of people) expect(compareContacts(a, b, undefined, names).levels).toEqual(compareContacts(a, b).levels);
  });

  it("fills and returns the level vector it is given", () => {
    const into = compareContacts(prepareContact(contact("1", {})), prepareContact(contact("2", {})));
    const again = compareContacts(prepareContact(contact("1", {})), prepareContact(contact("3", { firstName: "Bo" })), into);
    expect(again).toBe(into);
    expect(LEVELS[into.levels[0] as number]).toBe("first.conflict");
  });
});
