import type { PortalKey } from "../../../shared/domain/types.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { ApiError } from "../http/errors.ts";

export type CardAction = "admin" | "fix" | "merge" | "undo" | "reroute";

/** Who may do what on cards and the settings page; with no admins named yet, the installing user is the admin. */
export function mayDo(settings: PortalSettings, installedBy: string | null, userId: string, action: CardAction): boolean {
  const p = settings.permissions;
  const admins = p.adminUserIds.length > 0 ? p.adminUserIds : installedBy ? [installedBy] : [];
  if (admins.includes(userId)) return true;
  switch (action) {
    case "admin":
      return false;
    case "fix":
      return p.everyoneMayFix || p.fixUserIds.includes(userId);
    case "merge":
      return p.mergeUserIds.includes(userId);
    case "undo":
      return p.undoUserIds.includes(userId);
    case "reroute":
      return p.rerouteUserIds.includes(userId);
  }
}

export async function installedBy(db: D1Database, portalKey: PortalKey): Promise<string | null> {
  const row = await db
    .prepare("SELECT installed_by FROM portals WHERE portal_key = ?")
    .bind(portalKey)
    .first<{ installed_by: string | null }>();
  return row?.installed_by ?? null;
}

/** Throws 403 naming the action when the user may not do it. */
export function requireAllowed(allowed: boolean, action: CardAction): void {
  if (!allowed)
    throw new ApiError(
      403,
      "forbidden",
      `Your user is not allowed to ${action === "admin" ? "change this portal's settings" : action} here; ask a portal admin`,
    );
}
