import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { saveInstall } from "./token-store.ts";
import { tablesKeyedByPortal, uninstallPortal } from "./uninstall.ts";

const A = "hubspot:1001" as const;
const B = "hubspot:2002" as const;

async function seedPortal(portalKey: `hubspot:${string}`) {
  const grant = {
    accessToken: `at-${portalKey}`,
    refreshToken: `rt-${portalKey}`,
    expiresAt: 9e12,
    scopes: ["oauth"],
    externalId: portalKey.split(":")[1] ?? "",
    userId: "7",
    instanceUrl: null,
  };
  const saved = await saveInstall(env, portalKey, grant, "7", 1);
  expect(saved.ok).toBe(true);
  // Fill every other portal-keyed table with one row, whatever its columns, by reading its schema.
  for (const table of await tablesKeyedByPortal(env.DB)) {
    if (table === "portals" || table === "oauth_tokens") continue;
    const cols = await env.DB.prepare(`SELECT name, type, "notnull" AS nn, pk, dflt_value FROM pragma_table_info(?)`)
      .bind(table)
      .all<{ name: string; type: string; nn: number; pk: number; dflt_value: string | null }>();
    const rowidAlias = (c: { pk: number; type: string }) =>
      c.pk > 0 && c.type.toUpperCase() === "INTEGER" && cols.results.filter((k) => k.pk > 0).length === 1;
    const needed = cols.results.filter((c) => (c.nn || c.pk || c.name === "portal_key") && c.dflt_value === null && !rowidAlias(c));
    const names = needed.map((c) => c.name);
    const ddl = (await env.DB.prepare("SELECT sql FROM sqlite_master WHERE name = ?").bind(table).first<{ sql: string }>())?.sql ?? "";
    // A column with a CHECK (col IN ('a', ...)) gets its first allowed value.
    const allowed = (name: string) => new RegExp(`CHECK \\(${name} IN \\('([^']+)'`).exec(ddl)?.[1];
    const values = needed.map(
      (c) =>
        allowed(c.name) ??
        (c.name === "portal_key" ? portalKey : c.name === "status" ? "applied" : c.type.toUpperCase().includes("INT") ? 1 : "x"),
    );
    await env.DB.prepare(`INSERT INTO ${table} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`)
      .bind(...values)
      .run();
  }
}

async function rowsFor(portalKey: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tablesKeyedByPortal(env.DB)) {
    const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE portal_key = ?`).bind(portalKey).first<{ n: number }>();
    counts[table] = row?.n ?? 0;
  }
  return counts;
}

describe("uninstallPortal", () => {
  it("finds the portal-keyed tables from the schema, including later migrations", async () => {
    const tables = await tablesKeyedByPortal(env.DB);
    expect(tables).toEqual(
      expect.arrayContaining(["portals", "oauth_tokens", "settings_versions", "event_ledger", "audit_log", "own_writes", "dead_letters"]),
    );
    expect(tables).not.toContain("oauth_states");
    expect(tables).not.toContain("d1_migrations");
  });

  it("deletes every row of the portal in every table and nothing of another portal", async () => {
    await seedPortal(A);
    await seedPortal(B);
    expect(Object.values(await rowsFor(A)).every((n) => n === 1)).toBe(true);

    const report = await uninstallPortal(env, A);

    expect(Object.values(await rowsFor(A)).every((n) => n === 0)).toBe(true);
    expect(Object.values(await rowsFor(B)).every((n) => n === 1)).toBe(true);
    expect(report.deleted.portals).toBe(1);
    expect(report.deleted.oauth_tokens).toBe(1);
    expect(Object.keys(report.deleted).sort()).toEqual((await tablesKeyedByPortal(env.DB)).sort());
  });

  it("covers a table created after this code was written", async () => {
    await env.DB.exec("CREATE TABLE future_index (portal_key TEXT NOT NULL, v TEXT)");
    await env.DB.prepare("INSERT INTO future_index VALUES (?, 'x'), (?, 'y')").bind(A, B).run();
    const report = await uninstallPortal(env, A);
    expect(report.deleted.future_index).toBe(1);
    expect(await env.DB.prepare("SELECT portal_key FROM future_index").all()).toMatchObject({ results: [{ portal_key: B }] });
    await env.DB.exec("DROP TABLE future_index");
  });
});
