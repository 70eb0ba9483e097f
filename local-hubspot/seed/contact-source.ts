import { z } from "zod";
import { pick, seededRandom } from "./random.ts";

/** One CSV-style contact row, the columns `test/fixtures/messy-contacts.ts` and the dedupe CLI use. */
export const ContactRowSchema = z.object({
  id: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  email: z.string(),
  phone: z.string(),
  company: z.string(),
  job_title: z.string(),
  street: z.string(),
  city: z.string(),
  state: z.string(),
  postal_code: z.string(),
  country: z.string(),
});
export type ContactRow = z.infer<typeof ContactRowSchema>;

/** Where demo contacts come from: `(count, seed) → rows`. Swap it to change the seed's people. */
export type ContactSource = (options: { count: number; seed: number }) => Promise<ContactRow[]>;

// Computed so the type-checker does not require the fixture, which lives in the test tree.
const FIXTURE = ["..", "..", "test", "fixtures", "messy-contacts.ts"].join("/");

/** The shared messy-contacts fixture (realistic duplicates and look-alikes) when present, else the built-in rows. */
export const defaultContactSource: ContactSource = async (options) => {
  try {
    const mod = (await import(new URL(FIXTURE, import.meta.url).href)) as {
      generateMessyContacts?: (o: { count: number; seed: number }) => { contacts: unknown };
    };
    const rows = z.array(ContactRowSchema).safeParse(mod.generateMessyContacts?.(options).contacts);
    if (rows.success) return rows.data;
  } catch {
    // Fixture absent (e.g. a packaged build): fall through to the built-in generator.
  }
  return builtInContacts(options);
};

const FIRST: [string, string][] = [
  ["Robert", "Bob"],
  ["William", "Bill"],
  ["Elizabeth", "Liz"],
  ["Katherine", "Kate"],
  ["Michael", "Mike"],
  ["Jennifer", "Jen"],
  ["Daniel", "Dan"],
  ["Patricia", "Trish"],
  ["Alexander", "Alex"],
  ["Sofia", "Sofi"],
  ["Mohammed", "Mo"],
  ["Chen", "Chen"],
];
const LAST = ["Smith", "Johnson", "Garcia", "Müller", "O'Brien", "Nguyen", "Kowalski", "Rossi", "Patel", "Andersson", "Dubois", "Tanaka"];
const COMPANIES: [string, string][] = [
  ["Acme Corp", "acme.com"],
  ["Globex Inc.", "globex.io"],
  ["Initech", "initech.com"],
  ["Umbrella Ltd", "umbrella.co.uk"],
  ["Hooli", "hooli.com"],
  ["Stark Industries", "stark.com"],
  ["Wayne Enterprises", "wayne.com"],
  ["Soylent GmbH", "soylent.de"],
];
const PLACES: [string, string, string, string][] = [
  ["Boston", "MA", "02110", "United States"],
  ["Austin", "Texas", "73301", "USA"],
  ["London", "", "EC1A 1BB", "UK"],
  ["Berlin", "", "10115", "Germany"],
  ["Toronto", "ON", "M5H 2N2", "Canada"],
  ["Denver", "co", "80202", "US"],
];
const TITLES = ["VP Sales", "vp of sales", "Head of Operations", "CTO", "Account Executive", "marketing manager"];

/** A compact fallback: people at a few companies, a quarter of them entered twice with the usual mess. */
export async function builtInContacts(options: { count: number; seed: number }): Promise<ContactRow[]> {
  const random = seededRandom(options.seed);
  const rows: ContactRow[] = [];
  const id = () => `c${String(rows.length + 1).padStart(7, "0")}`;
  while (rows.length < options.count) {
    const [first, nick] = pick(random, FIRST);
    const last = pick(random, LAST);
    const [company, domain] = pick(random, COMPANIES);
    const [city, state, postal, country] = pick(random, PLACES);
    const digits = String(Math.floor(random() * 9_000_000) + 1_000_000);
    const base: ContactRow = {
      id: id(),
      first_name: first,
      last_name: last,
      email: `${first}.${last}${rows.length}@${domain}`.toLowerCase().replace(/[^a-z0-9.@]/g, ""),
      phone: `+1 617 ${digits.slice(0, 3)} ${digits.slice(3)}`,
      company,
      job_title: pick(random, TITLES),
      street: `${Math.floor(random() * 900) + 1} Main St`,
      city,
      state,
      postal_code: postal,
      country,
    };
    rows.push(base);
    if (random() < 0.25 && rows.length < options.count) {
      rows.push({
        ...base,
        id: id(),
        first_name: random() < 0.5 ? nick : ` ${first.toLowerCase()} `,
        email: random() < 0.5 ? `${nick}${last}${rows.length}@gmail.com`.toLowerCase().replace(/[^a-z0-9.@]/g, "") : "",
        phone: `(617) ${digits.slice(0, 3)}-${digits.slice(3)}`,
        company: company.replace(/ (Corp|Inc\.|Ltd|GmbH)$/, ""),
        street: "",
      });
    }
  }
  return rows;
}
