import type { PortalKey } from "../../../shared/domain/types.ts";

/** How many rows an uninstall removed, per table, so the caller can log and show it. */
export type UninstallReport = { readonly portalKey: PortalKey; readonly deleted: Readonly<Record<string, number>> };

/** Every table with a `portal_key` column, found in the schema itself so tables added by later migrations are covered. */
export async function tablesKeyedByPortal(db: D1Database): Promise<string[]> {
  const rows = await db
    .prepare(
      `SELECT m.name AS name FROM sqlite_master m JOIN pragma_table_info(m.name) c
        WHERE m.type = 'table' AND c.name = 'portal_key' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_cf_%'
        ORDER BY m.name`,
    )
    .all<{ name: string }>();
  return rows.results.map((r) => r.name);
}

/**
 * Deletes every row keyed by `portalKey` in every table, in one batch (one transaction): tokens, settings, ledger,
 * audit log and anything added later. `portals` goes last so foreign keys to it never dangle.
 * The portal's Durable Object storage is not D1: its owner clears it separately.
 */
export async function uninstallPortal(env: Pick<Env, "DB">, portalKey: PortalKey): Promise<UninstallReport> {
  const tables = (await tablesKeyedByPortal(env.DB)).sort((a, b) => Number(a === "portals") - Number(b === "portals"));
  // Table names come from sqlite_master, not from input; quoting guards odd names all the same.
  const statements = tables.map((t) => env.DB.prepare(`DELETE FROM "${t.replace(/"/g, '""')}" WHERE portal_key = ?`).bind(portalKey));
  const results = statements.length > 0 ? await env.DB.batch(statements) : [];
  const deleted: Record<string, number> = {};
  tables.forEach((t, i) => {
    deleted[t] = results[i]?.meta.changes ?? 0;
  });
  return { portalKey, deleted };
}
