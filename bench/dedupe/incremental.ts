/**
 * Incremental lookups on node:sqlite with the D1 migration's schema and the exact statements of
 * shared/dedupe/index-sql.ts: index N generated contacts, then time lookup + scoring for held-out contacts.
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { DEFAULT_THRESHOLDS } from "../../shared/dedupe/engine.ts";
import { matchAgainstIndex } from "../../shared/dedupe/incremental.ts";
import { candidateQuery, contactTerms, indexStatements, POPULATION_TERM, termsQuery } from "../../shared/dedupe/index-sql.ts";
import { prepareContact } from "../../shared/dedupe/prepare.ts";
import type { DedupeContact, PreparedContact } from "../../shared/dedupe/types.ts";
import { type GeneratedContact, generateMessyContacts } from "../../test/fixtures/messy-contacts.ts";

const PORTAL = "hubspot:1";
/** Lookups run before timing: a Worker serving a portal has compiled its code and met every country's phone plan. */
export const WARM_UP = 300;

export const toDedupeContact = (c: GeneratedContact): DedupeContact => ({
  id: c.id,
  firstName: c.first_name || null,
  lastName: c.last_name || null,
  email: c.email || null,
  phone: c.phone || null,
  company: c.company || null,
  jobTitle: c.job_title || null,
  street: c.street || null,
  city: c.city || null,
  state: c.state || null,
  postalCode: c.postal_code || null,
  country: c.country || null,
});

export const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

/** A full collection before timing, so the freed generator data is not collected in the middle of a lookup. */
export function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** The index's rows for `n` contacts: D1's statements in one transaction, term counts summed in memory. */
export function loadIndex(db: DatabaseSync, contacts: readonly GeneratedContact[], n: number) {
  const cache = new Map<string, StatementSync>();
  const stmt = (sql: string) => cache.get(sql) ?? (cache.set(sql, db.prepare(sql)).get(sql) as StatementSync);
  const counts = new Map<string, number>();
  db.exec("BEGIN");
  for (let i = 0; i < n; i++) {
    const p = prepareContact(toDedupeContact(contacts[i] as GeneratedContact));
    for (const s of indexStatements(PORTAL, p, 0)) stmt(s.sql).run(...s.params);
    for (const t of contactTerms(p)) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  counts.set(POPULATION_TERM, n);
  const term = stmt("INSERT INTO dedupe_terms (portal_key, term, n) VALUES (?1, ?2, ?3)");
  for (const [t, c] of counts) term.run(PORTAL, t, c);
  db.exec("COMMIT");
  return stmt;
}

/**
 * Builds the index and measures p50/p99 of one lookup (prepare, two indexed queries, scoring) per held-out contact,
 * in wall time and in this process's CPU time (the machine is shared: wall time includes other people's load). The
 * generated data is released before timing, as a Worker holds only the index's answer, not a million contacts.
 */
export function benchIncremental(n: number, probes: number, seed: number): Record<string, number> {
  let generated: GeneratedContact[] | null = generateMessyContacts({ count: n + WARM_UP + probes, seed }).contacts;
  const db = new DatabaseSync(":memory:");
  db.exec(readFileSync(new URL("../../workers/migrations/0020_dedupe_index.sql", import.meta.url), "utf8"));
  const loadStart = performance.now();
  const stmt = loadIndex(db, generated, n);
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const held = generated.slice(n).map(toDedupeContact);
  generated = null;
  collectGarbage();
  const wall: number[] = [];
  const cpu: number[] = [];
  let found = 0;
  let candidates = 0;
  held.forEach((contact, i) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const p: PreparedContact = prepareContact(contact);
    const cq = candidateQuery(PORTAL, p);
    const tq = termsQuery(PORTAL, p);
    const rows = stmt(cq.sql).all(...cq.params) as { id: string; fields: string }[];
    const terms = stmt(tq.sql).all(...tq.params) as { term: string; n: number }[];
    found += matchAgainstIndex(p, rows, terms, DEFAULT_THRESHOLDS).length;
    const t1 = performance.now();
    const used = process.cpuUsage(c0);
    if (i < WARM_UP) return;
    wall.push(t1 - t0);
    cpu.push((used.user + used.system) / 1000);
    candidates += rows.length;
  });
  db.close();
  return {
    indexed: n,
    probes,
    loadSeconds: +loadSeconds.toFixed(1),
    p50Ms: +percentile(wall, 0.5).toFixed(3),
    p95Ms: +percentile(wall, 0.95).toFixed(3),
    p99Ms: +percentile(wall, 0.99).toFixed(3),
    cpuP50Ms: +percentile(cpu, 0.5).toFixed(3),
    cpuP99Ms: +percentile(cpu, 0.99).toFixed(3),
    meanCandidates: +(candidates / probes).toFixed(1),
    matchesFound: found,
    loadAverage: +(loadavg()[0] ?? 0).toFixed(2),
  };
}
