/**
 * Incremental lookups on node:sqlite with the D1 migration's schema and the exact statements of
 * shared/dedupe/index-sql.ts: index N generated contacts, then time lookup + scoring for held-out contacts.
 */
import { readFileSync } from "node:fs";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { DEFAULT_THRESHOLDS } from "../../shared/dedupe/engine.ts";
import { matchAgainstIndex } from "../../shared/dedupe/incremental.ts";
import { candidateQuery, contactTerms, indexStatements, POPULATION_TERM, termsQuery } from "../../shared/dedupe/index-sql.ts";
import { prepareContact } from "../../shared/dedupe/prepare.ts";
import type { DedupeContact } from "../../shared/dedupe/types.ts";
import { type GeneratedContact, generateMessyContacts } from "../../test/fixtures/messy-contacts.ts";

const PORTAL = "hubspot:1";

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

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

/** Builds the index and measures p50/p99 of one lookup (prepare, two indexed queries, scoring) per held-out contact. */
export function benchIncremental(n: number, probes: number, seed: number): Record<string, number> {
  const { contacts } = generateMessyContacts({ count: n + probes, seed });
  const db = new DatabaseSync(":memory:");
  db.exec(readFileSync(new URL("../../workers/migrations/0020_dedupe_index.sql", import.meta.url), "utf8"));
  const cache = new Map<string, StatementSync>();
  const stmt = (sql: string) => cache.get(sql) ?? (cache.set(sql, db.prepare(sql)).get(sql) as StatementSync);
  const counts = new Map<string, number>();
  const loadStart = performance.now();
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
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const times: number[] = [];
  let found = 0;
  for (let i = n; i < n + probes; i++) {
    const t0 = performance.now();
    const p = prepareContact(toDedupeContact(contacts[i] as GeneratedContact));
    const cq = candidateQuery(PORTAL, p);
    const tq = termsQuery(PORTAL, p);
    const rows = stmt(cq.sql).all(...cq.params) as { id: string; fields: string }[];
    const terms = stmt(tq.sql).all(...tq.params) as { term: string; n: number }[];
    found += matchAgainstIndex(p, rows, terms, DEFAULT_THRESHOLDS).length;
    // The first 100 lookups warm the JIT and SQLite's page cache; a Worker serving a portal is warm too.
    if (i >= n + 100) times.push(performance.now() - t0);
  }
  db.close();
  return {
    indexed: n,
    probes,
    loadSeconds: +loadSeconds.toFixed(1),
    p50Ms: +percentile(times, 0.5).toFixed(3), p95Ms: +percentile(times, 0.95).toFixed(3),
    p99Ms: +percentile(times, 0.99).toFixed(3),
    matchesFound: found,
  };
}
