/**
 * Incremental lookups through local D1 (wrangler's getPlatformProxy: miniflare's workerd and SQLite): the index is
 * seeded straight into the local database file with D1's schema and statements (inserting millions of key rows
 * through the binding would take far longer than the lookups), then each lookup runs as the engine runs it:
 * prepare, `DB.batch([candidateQuery, termsQuery])`, score.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { getPlatformProxy } from "wrangler";
import { DEFAULT_THRESHOLDS } from "../../shared/dedupe/engine.ts";
import { matchAgainstIndex } from "../../shared/dedupe/incremental.ts";
import { candidateQuery, termsQuery } from "../../shared/dedupe/index-sql.ts";
import { prepareContact } from "../../shared/dedupe/prepare.ts";
import { type GeneratedContact, generateMessyContacts } from "../../test/fixtures/messy-contacts.ts";
import { collectGarbage, loadIndex, percentile, toDedupeContact, WARM_UP } from "./incremental.ts";

const PORTAL = "hubspot:1";
const CONFIG = fileURLToPath(new URL("../../wrangler.toml", import.meta.url));

type D1 = { prepare(sql: string): { bind(...v: unknown[]): unknown }; batch(s: unknown[]): Promise<Array<{ results: unknown[] }>> };

async function proxy(dir: string) {
  return getPlatformProxy<{ DB: D1 }>({ configPath: CONFIG, persist: { path: dir }, remoteBindings: false, envFiles: [] });
}

function sqliteFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sqliteFiles(path));
    else if (name.endsWith(".sqlite") && !path.includes("metadata")) out.push(path);
  }
  return out;
}

/** Seeds a fresh local D1 with `n` indexed contacts and times lookups for held-out ones through the binding. */
export async function benchIncrementalD1(n: number, probes: number, seed: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "dedupe-d1-"));
  try {
    const first = await proxy(dir);
    await first.env.DB.batch([first.env.DB.prepare("SELECT 1")]);
    await first.dispose();
    const [file] = sqliteFiles(dir);
    if (!file) throw new Error(`local D1 created no database under ${dir}`);
    let generated: GeneratedContact[] | null = generateMessyContacts({ count: n + WARM_UP + probes, seed }).contacts;
    const sqlite = new DatabaseSync(file);
    sqlite.exec(readFileSync(new URL("../../workers/migrations/0020_dedupe_index.sql", import.meta.url), "utf8"));
    const loadStart = performance.now();
    loadIndex(sqlite, generated, n);
    sqlite.close();
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const held = generated.slice(n).map(toDedupeContact);
    generated = null;
    collectGarbage();

    const { env, dispose } = await proxy(dir);
    const wall: number[] = [];
    let found = 0;
    for (const [i, contact] of held.entries()) {
      const t0 = performance.now();
      const p = prepareContact(contact);
      const cq = candidateQuery(PORTAL, p);
      const tq = termsQuery(PORTAL, p);
      const [rows, terms] = await env.DB.batch([env.DB.prepare(cq.sql).bind(...cq.params), env.DB.prepare(tq.sql).bind(...tq.params)]);
      found += matchAgainstIndex(
        p,
        (rows?.results ?? []) as { id: string; fields: string }[],
        (terms?.results ?? []) as { term: string; n: number }[],
        DEFAULT_THRESHOLDS,
      ).length;
      if (i >= WARM_UP) wall.push(performance.now() - t0);
    }
    // The proxy's own round trip (a trivial statement), so the lookup's share can be told from the transport's.
    const bare: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await env.DB.batch([env.DB.prepare("SELECT 1")]);
      bare.push(performance.now() - t0);
    }
    await dispose();
    return {
      indexed: n,
      probes,
      seedSeconds: +loadSeconds.toFixed(1),
      p50Ms: +percentile(wall, 0.5).toFixed(3),
      p95Ms: +percentile(wall, 0.95).toFixed(3),
      p99Ms: +percentile(wall, 0.99).toFixed(3),
      bareRoundTripP50Ms: +percentile(bare, 0.5).toFixed(3),
      bareRoundTripP99Ms: +percentile(bare, 0.99).toFixed(3),
      matchesFound: found,
      loadAverage: +(loadavg()[0] ?? 0).toFixed(2),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
