import type { PortalKey } from "../../../shared/domain/types.ts";
import { bound } from "../lib/d1.ts";

const ROWS_PER_STATEMENT = 7;

export type AuditStatus = "applied" | "observed" | "refused" | "failed" | "undone";

export type AuditEntry = {
  portalKey: PortalKey;
  automation: string;
  action: string;
  objectType: string;
  objectId: string;
  status: AuditStatus;
  rule: string | null;
  reason: string;
  before: unknown;
  after: unknown;
  actor?: string;
  eventKey?: string | null;
};

/** Appends audit rows, 7 per statement: 13 columns each stays under D1's 100 bound parameters. */
export async function appendAudit(db: D1Database, entries: readonly AuditEntry[], now: number): Promise<void> {
  const statements = auditStatements(db, entries, now);
  if (statements.length > 0) await db.batch(statements);
}

/** The audit rows' statements, for a caller that commits them in one batch with other writes. */
export function auditStatements(db: D1Database, entries: readonly AuditEntry[], now: number): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
    const chunk = entries.slice(i, i + ROWS_PER_STATEMENT);
    const sql = `INSERT INTO audit_log (portal_key, created_at, automation, action, object_type, object_id, status, rule, reason, before, after, actor, event_key) VALUES ${chunk
      .map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .join(", ")}`;
    const params = chunk.flatMap((e) => [
      e.portalKey,
      now,
      e.automation,
      e.action,
      e.objectType,
      e.objectId,
      e.status,
      e.rule,
      e.reason,
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
      e.actor ?? "autopilot",
      e.eventKey ?? null,
    ]);
    statements.push(bound(db, sql, params));
  }
  return statements;
}
