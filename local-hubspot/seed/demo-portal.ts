import { associate } from "../crm/associations.ts";
import type { WriteSource } from "../crm/records.ts";
import type { Runtime } from "../http/runtime.ts";
import type { Owner, StoredRecord } from "../store/types.ts";
import { type ContactRow, type ContactSource, defaultContactSource } from "./contact-source.ts";
import { pick, seededRandom } from "./random.ts";

export type SeedOptions = { contacts?: number; companies?: number; deals?: number; seed?: number; contactSource?: ContactSource };
export type SeedSummary = { seeded: boolean; owners: number; companies: number; contacts: number; deals: number; skippedContacts: number };

const OWNERS: [string, string, string][] = [
  ["Alice", "Nguyen", "West Coast Sales"],
  ["Bruno", "Costa", "West Coast Sales"],
  ["Chloé", "Martin", "EMEA"],
  ["Dev", "Patel", "EMEA"],
  ["Erin", "O'Neill", "Enterprise"],
  ["Farah", "Haddad", "Enterprise"],
];
const ADMIN: WriteSource = { kind: "user", userId: 9_000_001 };
const STAGES = [
  "appointmentscheduled",
  "qualifiedtobuy",
  "presentationscheduled",
  "decisionmakerboughtin",
  "contractsent",
  "closedwon",
  "closedlost",
];

function demoOwners(now: number): Owner[] {
  return OWNERS.map(([firstName, lastName, team], i) => ({
    id: String(7_000_001 + i),
    userId: 9_000_101 + i,
    email: `${firstName
      .toLowerCase()
      .normalize("NFD")
      .replace(/[^a-z]/g, "")}@demo-portal.example`,
    firstName,
    lastName,
    teams: [{ id: String(500 + Math.floor(i / 2)), name: team, primary: true }],
    archived: false,
    createdAt: now,
    updatedAt: now,
  }));
}

/** Spellings of one company ("Acme Inc.", "ACME") share a key. */
const companyKey = (company: string) =>
  company
    .toLowerCase()
    .replace(/\b(inc|corp|corporation|ltd|limited|gmbh|llc|co|plc|sa|ag)\b\.?/g, "")
    .replace(/[^a-z0-9]/g, "");

/** The most common companies among the contacts become company records (at most `limit`). */
function seedCompanies(rt: Runtime, random: () => number, rows: ContactRow[], owners: Owner[], limit: number): Map<string, StoredRecord> {
  const spellings = new Map<string, { name: string; count: number }>();
  for (const row of rows) {
    const key = companyKey(row.company);
    if (!key) continue;
    const entry = spellings.get(key) ?? { name: row.company.trim(), count: 0 };
    entry.count++;
    spellings.set(key, entry);
  }
  const top = [...spellings.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, limit);
  const companies = new Map<string, StoredRecord>();
  for (const [key, { name }] of top) {
    const created = rt.engine.create("companies", { name, domain: `${key}.example`, hubspot_owner_id: pick(random, owners).id }, ADMIN);
    if (created.ok) companies.set(key, created.value);
  }
  return companies;
}

/** HubSpot refuses malformed and repeated emails, so rows that have them come in without one (as an import would). */
function contactProperties(row: ContactRow, seen: Set<string>): Record<string, string> {
  const email = row.email.trim();
  const usable = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email) && !seen.has(email.toLowerCase());
  if (usable) seen.add(email.toLowerCase());
  const props: Record<string, string> = {
    firstname: row.first_name,
    lastname: row.last_name,
    email: usable ? email : "",
    phone: row.phone,
    company: row.company,
    jobtitle: row.job_title,
    address: row.street,
    city: row.city,
    state: row.state,
    zip: row.postal_code,
    country: row.country,
  };
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== ""));
}

/**
 * Seeds a demo portal once (a portal that already has contacts is left alone): owners, the default deal pipeline,
 * companies, 500+ messy contacts with realistic duplicates, and deals across the stages. Sends no webhooks.
 */
export async function seedDemoPortal(rt: Runtime, options: SeedOptions = {}): Promise<SeedSummary> {
  const count = options.contacts ?? 520;
  if (rt.store.live("contacts").length > 0)
    return { seeded: false, owners: rt.store.owners.length, companies: 0, contacts: 0, deals: 0, skippedContacts: 0 };
  const random = seededRandom(options.seed ?? 42);
  const rows = await (options.contactSource ?? defaultContactSource)({ count, seed: options.seed ?? 42 });
  const now = Date.now();
  if (rt.store.owners.length === 0) rt.store.setOwners(demoOwners(now));
  const owners = rt.store.owners;
  return rt.webhooks.suppress(() =>
    rt.store.persistence.transaction(() => {
      const companies = seedCompanies(rt, random, rows, owners, options.companies ?? 40);
      const contacts: StoredRecord[] = [];
      const seen = new Set<string>();
      let skipped = 0;
      for (const row of rows) {
        const props = contactProperties(row, seen);
        // Four in ten contacts arrive unassigned, for routing to pick up.
        if (random() < 0.6) props.hubspot_owner_id = pick(random, owners).id;
        const created = rt.engine.create("contacts", props, ADMIN);
        if (!created.ok) {
          skipped++;
          continue;
        }
        contacts.push(created.value);
        const company = companies.get(companyKey(row.company));
        if (company) associate(rt.store, "contacts", created.value.id, "companies", company.id, [279]);
      }
      const deals = seedDeals(rt, random, [...companies.values()], contacts, owners, options.deals ?? 60, now);
      return { seeded: true, owners: owners.length, companies: companies.size, contacts: contacts.length, deals, skippedContacts: skipped };
    }),
  );
}

function seedDeals(
  rt: Runtime,
  random: () => number,
  companies: StoredRecord[],
  contacts: StoredRecord[],
  owners: Owner[],
  count: number,
  now: number,
): number {
  let made = 0;
  for (let i = 0; i < count && companies.length > 0; i++) {
    const company = pick(random, companies);
    const props: Record<string, string> = {
      dealname: `${company.properties.name ?? "Deal"} — ${pick(random, ["Renewal", "Expansion", "New business", "Pilot"])}`,
      pipeline: "default",
      dealstage: pick(random, STAGES),
      hubspot_owner_id: pick(random, owners).id,
    };
    // Some deals lack an amount or close date, so stage exit criteria have something to block.
    if (random() < 0.75) props.amount = String(Math.round(random() * 95 + 5) * 1000);
    if (random() < 0.7) props.closedate = new Date(now + Math.round((random() * 120 - 20) * 86_400_000)).toISOString();
    const created = rt.engine.create("deals", props, ADMIN);
    if (!created.ok) continue;
    made++;
    associate(rt.store, "deals", created.value.id, "companies", company.id, [341]);
    if (contacts.length > 0) associate(rt.store, "deals", created.value.id, "contacts", pick(random, contacts).id, [3]);
  }
  return made;
}
