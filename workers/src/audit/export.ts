import { Hono } from "hono";
import type { AuditQuery } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import { csvLine } from "../../../shared/csv/write.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { AppEnv } from "../app.ts";
import { base64ToBytes, bytesToBase64, timingSafeEqual } from "../auth/crypto.ts";
import { ApiError } from "../http/errors.ts";
import { auditFilter } from "./audit-query.ts";

/** An export link works for 10 minutes: the settings page cannot save files, so it shows the link instead. */
export const EXPORT_TTL_MS = 10 * 60_000;
const MAX_ROWS = 10_000;
const COLUMNS = [
  "id",
  "at",
  "automation",
  "action",
  "rule",
  "object_type",
  "object_id",
  "status",
  "reason",
  "before",
  "after",
  "actor",
  "undone_at",
];

const b64url = (s: string) => s.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

async function sign(secret: string, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`audit-export:${secret}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return b64url(bytesToBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(payload)))));
}

/** A short-lived link to the portal's audit log as CSV, signed so it names its portal and filter and cannot be altered. */
export async function auditExportLink(
  env: Env,
  portalKey: PortalKey,
  filter: AuditQuery,
  now: number,
): Promise<{ url: string; expiresAt: string }> {
  const expires = now + EXPORT_TTL_MS;
  const payload = b64url(bytesToBase64(new TextEncoder().encode(JSON.stringify({ p: portalKey, f: filter, e: expires }))));
  return {
    url: `${env.PUBLIC_BASE_URL}/exports/audit/${payload}.${await sign(env.TOKEN_ENCRYPTION_KEY, payload)}`,
    expiresAt: new Date(expires).toISOString(),
  };
}

export const exportRoutes = new Hono<AppEnv>();

exportRoutes.get("/audit/:token", async function downloadAudit(c) {
  const [payload = "", signature = ""] = c.req.param("token").split(".");
  if (!timingSafeEqual(signature, await sign(c.env.TOKEN_ENCRYPTION_KEY, payload)))
    throw new ApiError(403, "bad_link", "This export link is not valid");
  let claims: { p: PortalKey; f: AuditQuery; e: number };
  try {
    const bytes = base64ToBytes(
      payload
        .replaceAll("-", "+")
        .replaceAll("_", "/")
        .padEnd(Math.ceil(payload.length / 4) * 4, "="),
    );
    if (!bytes) throw new Error("not base64");
    claims = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ApiError(400, "bad_link", "This export link cannot be read");
  }
  if (Date.now() > claims.e) throw new ApiError(410, "expired_link", "This export link has expired; export again from the settings page");
  const { where, params } = auditFilter(claims.p, claims.f);
  const rows = await c.env.DB.prepare(`SELECT * FROM audit_log WHERE ${where} ORDER BY id DESC LIMIT ?`)
    .bind(...params, MAX_ROWS)
    .all<Record<string, string | number | null>>();
  let csv = csvLine(COLUMNS);
  for (const r of rows.results) {
    const at = new Date(Number(r.created_at)).toISOString();
    const undone = r.undone_at ? new Date(Number(r.undone_at)).toISOString() : "";
    csv += csvLine(COLUMNS.map((col) => (col === "at" ? at : col === "undone_at" ? undone : String(r[col] ?? ""))));
  }
  return c.body(csv, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": 'attachment; filename="audit-log.csv"',
    "cache-control": "no-store",
  });
});
