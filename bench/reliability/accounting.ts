/**
 * Where every accepted event ended, read from the Worker's local D1: processed (with the ledger's outcome),
 * dead-lettered (with the reason), claimed but never finished, or nowhere at all (lost).
 */
import type { DatabaseSync } from "node:sqlite";
import { openLocalD1 } from "./observe.ts";
import { eventKeyOf, PORTAL_ID } from "./workload.ts";

export type Fates = {
  accepted: number;
  processed: number;
  outcomes: Record<string, number>;
  deadLettered: number;
  reasons: Record<string, number>;
  /** In the ledger, claimed by a consumer run that never finished them. */
  stuck: number;
  lost: number;
  lostExamples: string[];
  /** Audit rows of applied changes repeated for one record, rule, action and value. */
  auditRepeats: number;
  auditRepeatExamples: string[];
};

type LedgerRow = { subscription_type: string; object_id: string; event_id: string; occurred_at: number; outcome: string | null };

function ledger(db: DatabaseSync): Map<string, string | null> {
  const rows = db
    .prepare("SELECT subscription_type, object_id, event_id, occurred_at, outcome FROM event_ledger WHERE portal_key = ?")
    .all(`hubspot:${PORTAL_ID}`) as LedgerRow[];
  return new Map(
    rows.map((r) => [
      eventKeyOf({ subscriptionType: r.subscription_type, objectId: r.object_id, eventId: r.event_id, occurredAt: r.occurred_at }),
      r.outcome,
    ]),
  );
}

function deadLetters(db: DatabaseSync): Map<string, string> {
  const rows = db.prepare("SELECT reason_code, payload FROM dead_letters").all() as Array<{ reason_code: string; payload: string }>;
  const out = new Map<string, string>();
  for (const row of rows) {
    try {
      const p = JSON.parse(row.payload) as Record<string, unknown>;
      const key = eventKeyOf({
        subscriptionType: String(p.subscriptionType),
        objectId: String(p.objectId),
        eventId: String(p.eventId),
        occurredAt: Number(p.occurredAt),
      });
      out.set(key, row.reason_code);
    } catch {
      // a payload that is not JSON cannot be one of ours
    }
  }
  return out;
}

function auditRepeats(db: DatabaseSync): { extra: number; examples: string[] } {
  const rows = db
    .prepare(
      `SELECT automation, action, object_id, rule, after, COUNT(*) AS n, GROUP_CONCAT(created_at) AS at FROM audit_log
       WHERE portal_key = ? AND status = 'applied' GROUP BY object_type, object_id, rule, action, after HAVING n > 1`,
    )
    .all(`hubspot:${PORTAL_ID}`) as Array<{
    automation: string;
    action: string;
    object_id: string;
    rule: string;
    after: string;
    n: number;
    at: string;
  }>;
  return {
    extra: rows.reduce((sum, r) => sum + r.n - 1, 0),
    examples: rows.slice(0, 4).map((r) => `${r.automation} ${r.action} ${r.object_id} ${r.rule} ${r.after} ×${r.n} at ${r.at}`),
  };
}

/** Reads the Worker's D1 (stopped, or between its writes) and says what became of each accepted event. */
export function fatesOf(persistTo: string, accepted: ReadonlySet<string>): Fates {
  const db = openLocalD1(persistTo);
  try {
    const done = ledger(db);
    const dead = deadLetters(db);
    const fates: Fates = {
      accepted: accepted.size,
      processed: 0,
      outcomes: {},
      deadLettered: 0,
      reasons: {},
      stuck: 0,
      lost: 0,
      lostExamples: [],
      auditRepeats: 0,
      auditRepeatExamples: [],
    };
    const repeats = auditRepeats(db);
    fates.auditRepeats = repeats.extra;
    fates.auditRepeatExamples = repeats.examples;
    for (const key of accepted) {
      const outcome = done.get(key);
      const reason = dead.get(key);
      if (outcome) {
        fates.processed++;
        fates.outcomes[outcome] = (fates.outcomes[outcome] ?? 0) + 1;
      } else if (reason) {
        fates.deadLettered++;
        fates.reasons[reason] = (fates.reasons[reason] ?? 0) + 1;
      } else if (done.has(key)) fates.stuck++;
      else {
        fates.lost++;
        if (fates.lostExamples.length < 5) fates.lostExamples.push(key);
      }
    }
    return fates;
  } finally {
    db.close();
  }
}

/** Accepted events with no final fate yet (still queued, being retried, or lost): the backlog. */
export function backlogOf(persistTo: string, accepted: ReadonlySet<string>): number {
  const f = fatesOf(persistTo, accepted);
  return f.stuck + f.lost;
}

export function describeFates(f: Fates): Array<[string, string]> {
  const list = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ") || "none";
  return [
    ["events accepted by the Worker (distinct)", String(f.accepted)],
    ["processed (ledger outcome)", `${f.processed} (${list(f.outcomes)})`],
    ["dead-lettered (reason)", `${f.deadLettered} (${list(f.reasons)})`],
    ["claimed, never finished", String(f.stuck)],
    ["lost (no ledger row, no dead letter)", `${f.lost}${f.lostExamples.length ? ` e.g. ${f.lostExamples.join("; ")}` : ""}`],
    ["applied changes audited twice (D1)", String(f.auditRepeats)],
    ...f.auditRepeatExamples.map((e): [string, string] => ["  audited twice", e]),
  ];
}

/** The Worker's D1 rows about some records (audit, ledger, stage-gate decisions), for a dump of what differed. */
export function d1RowsFor(persistTo: string, objectIds: readonly string[]): Record<string, unknown[]> {
  const db = openLocalD1(persistTo);
  try {
    const ids = JSON.stringify(objectIds);
    const rows = (sql: string) => db.prepare(sql).all(ids) as unknown[];
    return {
      audit: rows(
        "SELECT created_at, automation, action, object_type, object_id, status, rule, reason, after FROM audit_log WHERE object_id IN (SELECT value FROM json_each(?)) ORDER BY id",
      ),
      ledger: rows(
        "SELECT subscription_type, object_id, event_id, occurred_at, received_at, processed_at, outcome FROM event_ledger WHERE object_id IN (SELECT value FROM json_each(?)) ORDER BY received_at",
      ),
      stageGateDecisions: rows("SELECT * FROM stage_gate_decisions WHERE object_id IN (SELECT value FROM json_each(?))"),
    };
  } finally {
    db.close();
  }
}
