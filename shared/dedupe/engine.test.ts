import { describe, expect, it } from "vitest";
import { blockingKeys } from "./blocking.ts";
import { findDuplicateContacts } from "./engine.ts";
import { prepareContact } from "./prepare.ts";
import type { DedupeContact } from "./types.ts";

const c = (id: string, over: Partial<DedupeContact>): DedupeContact => ({
  id,
  firstName: null,
  lastName: null,
  email: null,
  phone: null,
  company: null,
  jobTitle: null,
  street: null,
  city: null,
  state: null,
  postalCode: null,
  country: null,
  ...over,
});

const base = {
  firstName: "Robert",
  lastName: "Kowalczyk",
  email: "robert.kowalczyk@acme.com",
  phone: "+1 617 555 0134",
  company: "Acme Inc",
  street: "12 Main Street",
  city: "Boston",
  postalCode: "02110",
  country: "US",
};

function decision(a: DedupeContact, b: DedupeContact): string {
  const r = findDuplicateContacts([a, b]);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.pairs[0]?.decision ?? "distinct";
}

describe("duplicates the engine must find", () => {
  it.each([
    ["the same email in another case and a Gmail-style tag", { ...base, email: "ROBERT.KOWALCZYK+news@acme.com" }, "merge"],
    ["a nickname and a reformatted phone", { ...base, firstName: "Bob", phone: "(617) 555-0134", email: null }, "merge"],
    ["swapped first and last names", { ...base, firstName: "Kowalczyk", lastName: "Robert" }, "merge"],
    ["a typo in the surname and the legal suffix dropped", { ...base, lastName: "Kowalcyzk", company: "ACME" }, "merge"],
    ["an initial for the first name with the same phone", { ...base, firstName: "R.", email: null }, "merge"],
    ["accents and case", { ...base, firstName: "ROBERT", lastName: "Kowalczyk", city: "BOSTON" }, "merge"],
    ["a changed job that kept the mobile number", { ...base, email: "rk@globex.io", company: "Globex", street: null }, "merge"],
  ])("%s", (_name, other, expected) => {
    expect(decision(c("1", base), c("2", other))).toBe(expected);
  });

  it.each([
    ["surname first, nickname last", { ...base, firstName: "KOWALCZYK", lastName: "Bob" }],
    ["surname first, initial last", { ...base, firstName: "Kowalczyk", lastName: "R.", email: null }],
    ["surname first, mistyped nickname last", { ...base, firstName: "Kowalczyk", lastName: "Robb", company: null }],
  ])("lines up names written the other way round (%s), whichever record comes first", (_name, swapped) => {
    expect(decision(c("1", swapped), c("2", base))).toBe("merge");
    expect(decision(c("1", base), c("2", swapped))).toBe("merge");
  });

  it("shows the names it lined up crosswise as the evidence", () => {
    const r = findDuplicateContacts([c("1", { ...base, firstName: "Kowalczyk", lastName: "Bob" }), c("2", base)]);
    const names = r.ok ? r.value.pairs[0]?.evidence.filter((e) => e.field === "name") : [];
    expect(names?.map((e) => [e.level, e.a, e.b])).toEqual([
      ["nickname", "bob", "robert"],
      ["exact", "kowalczyk", "kowalczyk"],
    ]);
  });

  it("finds a surname mistyped past its sound through the employer or postcode and the given name", () => {
    const moved = { ...base, lastName: "Kowaczyk", email: "robert@globex.io", phone: null, street: null };
    expect(decision(c("1", base), c("2", moved))).not.toBe("distinct");
    expect(decision(c("1", base), c("2", { ...moved, company: null, street: "12 Main Street" }))).not.toBe("distinct");
  });

  it("treats Gmail dots and googlemail as one mailbox", () => {
    const a = c("1", { firstName: "Ann", lastName: "Lee", email: "ann.lee@gmail.com" });
    const b = c("2", { firstName: "Ann", lastName: "Lee", email: "annlee@googlemail.com" });
    expect(decision(a, b)).toBe("merge");
  });
});

describe("hard negatives stay apart", () => {
  it("leaves namesakes at different companies to a human at most (a rare name alone is a review, never a merge)", () => {
    const other = {
      ...base,
      email: "rkowalczyk@globex.io",
      phone: "+1 303 555 0199",
      company: "Globex",
      street: "9 Elm St",
      city: "Denver",
      postalCode: "80202",
    };
    expect(decision(c("1", base), c("2", other))).not.toBe("merge");
    const common = { ...base, firstName: "John", lastName: "Smith" };
    expect(decision(c("1", common), c("2", { ...other, firstName: "John", lastName: "Smith" }))).toBe("distinct");
  });

  it.each([
    [
      "common-name namesakes who share only a city",
      {
        ...base,
        email: "rkowalczyk@globex.io",
        phone: "+1 303 555 0199",
        company: "Globex",
        street: "9 Elm St",
        postalCode: "02115",
        firstName: "Rob",
        lastName: "Smith",
      },
    ],
    ["family members sharing home phone and address", { ...base, firstName: "Maria", email: "maria.k@gmail.com" }],
    ["colleagues sharing company, domain and switchboard", { ...base, firstName: "Laura", lastName: "Chen", email: "laura.chen@acme.com" }],
    ["colleagues with the same surname", { ...base, firstName: "Anna", email: "anna.kowalczyk@acme.com", phone: null }],
  ])("%s", (_name, other) => {
    expect(decision(c("1", base), c("2", other))).toBe("distinct");
  });

  it("does not merge people sharing a role mailbox", () => {
    const people = ["Ann Lee", "Raj Patel", "Olga Ivanova"].map((n, i) => {
      const [firstName, lastName] = n.split(" ");
      return c(String(i), { firstName, lastName, email: "info@acme.com", company: "Acme" });
    });
    const r = findDuplicateContacts(people);
    expect(r.ok && r.value.pairs.filter((p) => p.decision === "merge")).toEqual([]);
  });

  it("never auto-merges a family sharing even an email, and says why", () => {
    const r = findDuplicateContacts([c("1", base), c("2", { ...base, firstName: "Maria" })]);
    const pair = r.ok ? r.value.pairs[0] : undefined;
    expect(pair?.decision ?? "distinct").not.toBe("merge");
  });
});

describe("evidence and blocking", () => {
  it("explains a score field by field", () => {
    const r = findDuplicateContacts([c("1", base), c("2", { ...base, firstName: "Bob" })]);
    const evidence = r.ok ? r.value.pairs[0]?.evidence : [];
    expect(evidence?.find((e) => e.field === "first_name")).toMatchObject({ level: "nickname", a: "robert", b: "bob" });
    expect(evidence?.find((e) => e.field === "email")?.level).toBe("exact");
  });

  it("leaves the evidence out when asked, with the same pairs, scores and decisions", () => {
    const contacts = [c("1", base), c("2", { ...base, firstName: "Bob" }), c("3", { ...base, firstName: "Maria" })];
    const full = findDuplicateContacts(contacts);
    const bare = findDuplicateContacts(contacts, { evidence: false });
    const strip = (r: typeof full) => (r.ok ? r.value.pairs.map(({ evidence: _, ...p }) => p) : []);
    expect(strip(bare)).toEqual(strip(full));
    expect(bare.ok && bare.value.pairs.every((p) => p.evidence.length === 0)).toBe(true);
    expect(full.ok && full.value.pairs.every((p) => p.evidence.length > 0)).toBe(true);
  });

  it.each([
    ["email", "e:robert.kowalczyk@acme.com"],
    ["phone (last 8 digits, so national and international forms meet)", "p:75550134"],
    ["surname sound and given name", "n:KLSK:RPRT"],
    ["the same the other way round, for swapped names", "n:RPRT:KLSK"],
    ["surname sound and initial, for records with only an initial", "i:KLSK:r"],
    ["company and surname", "c:acme:KLSK"],
    ["street and surname", "a:12 main street:KLSK"],
    ["postcode and surname", "z:02110:KLSK"],
    ["company and given name, for a surname mistyped past its sound", "c:acme:RPRT"],
    ["postcode and given name", "z:02110:RPRT"],
  ])("keys a record by %s", (_name, key) => {
    expect(blockingKeys(prepareContact(c("1", base)))).toContain(key);
  });

  it("keys a record written surname first with an initial as the right way round", () => {
    const keys = blockingKeys(prepareContact(c("1", { firstName: "Kowalczyk", lastName: "R." })));
    expect(keys).toContain("i:KLSK:r");
  });
});
