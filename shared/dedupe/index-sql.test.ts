import { readFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import {
  candidateQuery,
  indexStatements,
  LOCAL_PART_CANDIDATES,
  MAX_PARAMS,
  NAME_CANDIDATES,
  PLACE_NAME_CANDIDATES,
  PLACE_SURNAME_CANDIDATES,
} from "./index-sql.ts";
import { prepareContact } from "./prepare.ts";
import type { DedupeContact } from "./types.ts";

const PORTAL = "hubspot:1";
const contact = (id: string, over: Partial<DedupeContact>): DedupeContact => ({
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

function indexOf(contacts: DedupeContact[]): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  db.exec(readFileSync(new URL("../../workers/migrations/0020_dedupe_index.sql", import.meta.url), "utf8"));
  for (const c of contacts) for (const s of indexStatements(PORTAL, prepareContact(c), 0)) db.prepare(s.sql).run(...s.params);
  return db;
}

describe("candidateQuery", () => {
  const probe = prepareContact(
    contact("probe", { firstName: "Robert", lastName: "Kowalski", email: "robertk@acme.com", phone: "+14155552671", company: "Acme" }),
  );
  const namesakes = Array.from({ length: 100 }, (_, i) => contact(`n${i}`, { firstName: "Robert", lastName: "Kowalski" }));
  const localPart = Array.from({ length: 100 }, (_, i) =>
    contact(`l${i}`, { firstName: "Ann", lastName: `Other${i}`, email: `robertk@firm${i}.com` }),
  );
  const samePhone = Array.from({ length: 5 }, (_, i) =>
    contact(`p${i}`, { firstName: "Zed", lastName: `Phone${i}`, phone: "(415) 555-2671" }),
  );
  const colleagues = Array.from({ length: 100 }, (_, i) =>
    contact(`c${i}`, { firstName: "Bob", lastName: `Colleague${i}`, company: "Acme Inc" }),
  );
  const db = indexOf([...namesakes, ...localPart, ...samePhone, ...colleagues]);
  const q = candidateQuery(PORTAL, probe);
  const ids = (db.prepare(q.sql).all(...q.params) as { id: string }[]).map((r) => r.id);

  it("returns everyone sharing the email, and a phone's few", () => {
    expect(ids.filter((id) => id.startsWith("p"))).toHaveLength(5);
    const twins = Array.from({ length: 150 }, (_, i) =>
      contact(`t${i}`, { firstName: `T${i}`, lastName: "Other", email: "robertk@acme.com" }),
    );
    const twinDb = indexOf(twins);
    expect(twinDb.prepare(q.sql).all(...q.params)).toHaveLength(150);
  });

  it("caps a block that grows with every contact: a placeholder surname at one postcode, a switchboard phone", () => {
    const load = Array.from({ length: 300 }, (_, i) =>
      contact(`z${i}`, { firstName: `Soak${i}`, lastName: "Load", postalCode: "94110", phone: "+14155550000" }),
    );
    const probeLoad = prepareContact(
      contact("probe", { firstName: "Someone", lastName: "Load", postalCode: "94110", phone: "+14155550000" }),
    );
    const query = candidateQuery(PORTAL, probeLoad);
    expect(
      indexOf(load)
        .prepare(query.sql)
        .all(...query.params),
    ).toHaveLength(PLACE_SURNAME_CANDIDATES);
  });

  it("caps candidates that share only a name key, the email's local part or an employer and given name, each on its own", () => {
    expect(ids.filter((id) => id.startsWith("n"))).toHaveLength(NAME_CANDIDATES);
    expect(ids.filter((id) => id.startsWith("l"))).toHaveLength(LOCAL_PART_CANDIDATES);
    expect(ids.filter((id) => id.startsWith("c"))).toHaveLength(PLACE_NAME_CANDIDATES);
  });

  it("stays within D1's bound parameters and looks keys up by the primary key", () => {
    expect(q.params.length).toBeLessThanOrEqual(MAX_PARAMS);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as { detail: string }[]).map((r) => r.detail).join("\n");
    expect(plan).not.toContain("dedupe_keys_by_contact");
    expect(q.sql).not.toMatch(/UNION(?! ALL)/);
  });
});
