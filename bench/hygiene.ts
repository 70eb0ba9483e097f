/**
 * `npm run bench hygiene [--contacts N] [--seed S]`: normalise + score throughput of `scoreContact` on one core over
 * generated messy contacts (international phones, casing, aliases, typos, blanks), with p50/p99 per record; then
 * libphonenumber's `min` vs `max` metadata on the same phone numbers, which is what picked `max` as the default.
 */
import minMetadata from "libphonenumber-js/min/metadata";
import { type Contact, emptyContact } from "../shared/domain/types.ts";
import { scoreContact } from "../shared/hygiene/contact.ts";
import { defaultHygieneSettings } from "../shared/hygiene/settings.ts";
import { loadDisposableDomains } from "../shared/normalize/disposable.ts";
import { createPhoneNormalizer, normalizePhone } from "../shared/normalize/phone.ts";

const FIRST = ["John", "JANE", "maría josé", "Jean-Luc", "o'brien", "Wei", "Ahmed", "Élodie", "sven", "Priya", "Li Na", "Siobhán"];
const LAST = ["Smith", "mcdonald", "VAN DER BERG", "de la Cruz", "Müller", "O'Neil", "Nguyen", "Kowalski", "tanaka", "Rossi", "Dubois"];
const COMPANIES = [
  "Acme Inc",
  "GLOBEX GMBH",
  "initech llc",
  "Umbrella S.A.",
  "Stark Industries",
  "Wayne Enterprises B.V.",
  "Hooli",
  "Telefónica",
];
const DOMAINS = [
  "acme.com",
  "globex.de",
  "initech.io",
  "umbrella.fr",
  "gmail.com",
  "yahoo.co.uk",
  "mailinator.com",
  "gmial.com",
  "hooli.com",
];
const TITLES = [
  "VP Sales",
  "Sr. Software Engineer",
  "CEO",
  "Marketing Manager",
  "Geschäftsführer",
  "Head of People",
  "",
  "Account Executive",
];
const PLACES: [string, string, string][] = [
  ["USA", "california", "(415) 555-%04"],
  ["United States", "NY", "+1 212 555 %04"],
  ["Deutschland", "Bayern", "030 9018%03"],
  ["U.K.", "", "+44 20 7946 %04"],
  ["France", "", "06 12 34 %02 %02"],
  ["Japan", "", "+81 3-1234-%04"],
  ["Brasil", "", "+55 11 91234-%04"],
  ["", "", "555-%04"],
  ["Atlantis", "", "12"],
];

/** Deterministic PRNG (mulberry32) so runs compare. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(n: number, seed: number): Contact[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const digits = (pattern: string) =>
    pattern.replace(/%0(\d)/g, (_m, w: string) => String(Math.floor(r() * 10 ** Number(w))).padStart(Number(w), "0"));
  const out: Contact[] = [];
  for (let i = 0; i < n; i++) {
    const [country, state, phone] = pick(PLACES);
    const first = pick(FIRST);
    const last = pick(LAST);
    const domain = pick(DOMAINS);
    out.push({
      ...emptyContact(String(i)),
      firstName: r() < 0.05 ? null : first,
      lastName: r() < 0.1 ? null : last,
      email:
        r() < 0.08
          ? null
          : `${r() < 0.1 ? "info" : first.toLowerCase().replace(/\W/g, "")}.${i}@${r() < 0.2 ? domain.toUpperCase() : domain}`,
      phone: r() < 0.15 ? null : digits(phone),
      mobilePhone: r() < 0.7 ? null : digits(phone),
      company: pick(COMPANIES),
      jobTitle: pick(TITLES) || null,
      website: r() < 0.5 ? `https://www.${domain}/` : null,
      country: country || null,
      state: state || null,
      city: r() < 0.5 ? " Springfield " : "Berlin",
      updatedAt: new Date(Date.UTC(2026, 0, 1) - Math.floor(r() * 800) * 86_400_000).toISOString(),
    });
  }
  return out;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export async function run(args: string[]): Promise<void> {
  const n = flag(args, "--contacts", 100_000);
  const seed = flag(args, "--seed", 7);
  await loadDisposableDomains();
  const contacts = generate(n, seed);
  const settings = defaultHygieneSettings();
  const context = { now: Date.UTC(2026, 5, 1), duplicateSuspects: 0 };
  for (let i = 0; i < Math.min(n, 20_000); i++) scoreContact(contacts[i] as Contact, settings, context); // warm-up (JIT)
  const times = new Float64Array(n);
  let findings = 0;
  let scoreSum = 0;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const report = scoreContact(contacts[i] as Contact, settings, context);
    times[i] = performance.now() - t0;
    findings += report.findings.length;
    scoreSum += report.score;
  }
  const elapsed = (performance.now() - started) / 1000;
  times.sort();
  console.log(`hygiene: ${n} contacts, seed ${seed}, one core (Node ${process.version})`);
  console.log(`  normalise + score: ${Math.round(n / elapsed).toLocaleString("en")} contacts/s (${elapsed.toFixed(2)} s)`);
  console.log(
    `  per record: p50 ${(percentile(times, 0.5) * 1000).toFixed(1)} µs, p99 ${(percentile(times, 0.99) * 1000).toFixed(1)} µs, max ${(percentile(times, 1) * 1000).toFixed(0)} µs`,
  );
  console.log(`  mean score ${(scoreSum / n).toFixed(1)}, ${(findings / n).toFixed(2)} findings per contact`);
  comparePhoneMetadata(contacts);
}

/** The phone normaliser alone with each metadata set on the generated numbers. */
function comparePhoneMetadata(contacts: Contact[]): void {
  const phones = contacts.map((c) => c.phone).filter((p): p is string => p !== null);
  const minPhone = createPhoneNormalizer(minMetadata);
  for (const [name, normalize] of [
    ["max", normalizePhone],
    ["min", minPhone],
  ] as const) {
    for (const p of phones.slice(0, 10_000)) normalize(p, "US");
    const t0 = performance.now();
    let valid = 0;
    for (const p of phones) if (normalize(p, "US").valid) valid++;
    const us = ((performance.now() - t0) * 1000) / phones.length;
    console.log(`  phone (${name} metadata): ${us.toFixed(2)} µs per number, ${((valid / phones.length) * 100).toFixed(1)}% valid`);
  }
}
