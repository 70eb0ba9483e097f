import type { AuditEntry as AuditEntryView, AuditQuery } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";

export type AuditRow = {
  id: number;
  created_at: number;
  automation: string;
  action: string;
  object_type: string;
  object_id: string;
  status: string;
  rule: string | null;
  reason: string;
  before: string | null;
  after: string | null;
  actor: string;
  undone_at: number | null;
  undone_by: string | null;
};

// Notes and tasks stay: they explain what happened, and people can delete them in the CRM.
const UNDOABLE_ACTIONS = new Set(["update_properties", "merge"]);

/** Builds the WHERE clause for an audit filter; parameters stay bound (never interpolated). */
export function auditFilter(portalKey: PortalKey, q: AuditQuery): { where: string; params: (string | number)[] } {
  const clauses = ["portal_key = ?"];
  const params: (string | number)[] = [portalKey];
  if (q.automation) {
    clauses.push("automation = ?");
    params.push(q.automation);
  }
  if (q.status) {
    clauses.push("status = ?");
    params.push(q.status);
  }
  if (q.ruleId) {
    clauses.push("rule = ?");
    params.push(q.ruleId);
  }
  if (q.from) {
    clauses.push("created_at >= ?");
    params.push(Date.parse(q.from));
  }
  if (q.to) {
    clauses.push("created_at <= ?");
    params.push(Date.parse(q.to));
  }
  return { where: clauses.join(" AND "), params };
}

export async function queryAudit(
  db: D1Database,
  portalKey: PortalKey,
  q: AuditQuery,
): Promise<{ rows: AuditRow[]; nextCursor: string | null; total: number }> {
  const { where, params } = auditFilter(portalKey, q);
  // A query-string limit may be NaN or fractional; SQLite refuses both in LIMIT.
  const limit = Math.min(200, Math.max(1, Number.isFinite(q.limit) ? Math.trunc(q.limit ?? 50) : 50));
  const cursor = q.cursor && /^\d+$/.test(q.cursor) ? Number(q.cursor) : null;
  const rows = await db
    .prepare(`SELECT * FROM audit_log WHERE ${where}${cursor ? " AND id < ?" : ""} ORDER BY id DESC LIMIT ?`)
    .bind(...params, ...(cursor ? [cursor] : []), limit + 1)
    .all<AuditRow>();
  const total = await db
    .prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE ${where}`)
    .bind(...params)
    .first<{ n: number }>();
  const page = rows.results.slice(0, limit);
  return { rows: page, nextCursor: rows.results.length > limit ? String(page.at(-1)?.id) : null, total: total?.n ?? 0 };
}

/** One audit row as the settings page shows it. */
export function auditView(r: AuditRow, names: (userId: string) => string | null): AuditEntryView {
  const before = r.before ? (JSON.parse(r.before) as Record<string, unknown>) : {};
  const after = r.after ? (JSON.parse(r.after) as Record<string, unknown>) : {};
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const actorId = r.actor.startsWith("user:") ? r.actor.slice(5) : null;
  const undoneBy = r.undone_by?.startsWith("user:") ? r.undone_by.slice(5) : null;
  return {
    id: String(r.id),
    at: new Date(r.created_at).toISOString(),
    automation: r.automation as AuditEntryView["automation"],
    action: r.action,
    ruleId: r.rule,
    object: { type: r.object_type as AuditEntryView["object"]["type"], id: r.object_id, name: null },
    status: (r.status === "failed" ? "refused" : r.status) as AuditEntryView["status"],
    changes: fields.map((field) => ({ field, before: asText(before?.[field]), after: asText(after?.[field]) })),
    reason: r.reason,
    actor: actorId ? { id: actorId, name: names(actorId) ?? `User ${actorId}` } : null,
    undoable: r.status === "applied" && r.undone_at === null && UNDOABLE_ACTIONS.has(r.action),
    undone: r.undone_at
      ? { at: new Date(r.undone_at).toISOString(), by: undoneBy ? { id: undoneBy, name: names(undoneBy) ?? `User ${undoneBy}` } : null }
      : null,
  };
}

function asText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === "string" ? v : JSON.stringify(v);
}
