import type { PortalKey } from "../../../shared/domain/types.ts";
import { defaultPortalSettings, type PortalSettings, parsePortalSettings } from "../../../shared/settings/portal-settings.ts";

export type SettingsVersion = { version: number; settings: PortalSettings; createdBy: string; createdAt: number; note: string | null };

/** The settings in force: the highest saved version, or the documented defaults (version 0) for a new portal. */
export async function loadSettings(db: D1Database, portalKey: PortalKey): Promise<SettingsVersion> {
  const row = await db
    .prepare(
      "SELECT version, document, created_by, created_at, note FROM settings_versions WHERE portal_key = ? ORDER BY version DESC LIMIT 1",
    )
    .bind(portalKey)
    .first<{ version: number; document: string; created_by: string; created_at: number; note: string | null }>();
  if (!row) return { version: 0, settings: defaultPortalSettings(), createdBy: "default", createdAt: 0, note: null };
  const parsed = parsePortalSettings(JSON.parse(row.document));
  // A stored document that no longer validates (schema moved on) falls back to defaults: observe-only is safe.
  const settings = parsed.ok ? parsed.value : defaultPortalSettings();
  return { version: row.version, settings, createdBy: row.created_by, createdAt: row.created_at, note: row.note };
}

/** Saves a validated document as the next version, atomically (two concurrent saves get distinct versions). */
export async function saveSettings(
  db: D1Database,
  portalKey: PortalKey,
  settings: PortalSettings,
  createdBy: string,
  note: string | null,
  now: number,
): Promise<number> {
  const row = await db
    .prepare(
      `INSERT INTO settings_versions (portal_key, version, document, created_by, created_at, note)
       SELECT ?, COALESCE(MAX(version), 0) + 1, ?, ?, ?, ? FROM settings_versions WHERE portal_key = ?
       RETURNING version`,
    )
    .bind(portalKey, JSON.stringify(settings), createdBy, now, note, portalKey)
    .first<{ version: number }>();
  return row?.version ?? 0;
}

export async function listSettingsVersions(db: D1Database, portalKey: PortalKey, limit = 50): Promise<Omit<SettingsVersion, "settings">[]> {
  const rows = await db
    .prepare("SELECT version, created_by, created_at, note FROM settings_versions WHERE portal_key = ? ORDER BY version DESC LIMIT ?")
    .bind(portalKey, limit)
    .all<{ version: number; created_by: string; created_at: number; note: string | null }>();
  return rows.results.map((r) => ({ version: r.version, createdBy: r.created_by, createdAt: r.created_at, note: r.note }));
}
