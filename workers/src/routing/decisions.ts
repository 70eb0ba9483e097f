import type { ObjectType, PortalKey } from "../../../shared/domain/types.ts";
import type { RoutingDecision } from "../../../shared/routing/types.ts";
import type { RouteMode } from "./routing-store.ts";

export type DecisionKind = "initial" | "sla_reroute" | "manual_reroute";
export type SlaState = "none" | "pending" | "met" | "breached";

/** One routing decision as D1 keeps it for the card and the dashboard. */
export type StoredDecision = {
  id: number;
  kind: DecisionKind;
  mode: RouteMode;
  ownerId: string | null;
  previousOwnerId: string | null;
  decidedAt: number;
  speedToLeadMs: number | null;
  slaDueAt: number | null;
  slaStatus: SlaState;
  slaCheckedAt: number | null;
  decision: RoutingDecision;
};

/** A routing decision to keep in D1. */
export type DecisionRecord = {
  portalKey: PortalKey;
  objectType: ObjectType;
  objectId: string;
  routeKey: string;
  kind: DecisionKind;
  mode: RouteMode;
  decision: RoutingDecision;
  previousOwnerId: string | null;
  now: number;
};

/** Records a decision once per record and route key (redelivery inserts nothing). */
export async function recordDecision(db: D1Database, r: DecisionRecord): Promise<void> {
  await decisionStatement(db, r).run();
}

/** `recordDecision` as a statement, so a batch of decisions is written in one round trip. */
export function decisionStatement(db: D1Database, r: DecisionRecord): D1PreparedStatement {
  const d = r.decision;
  const due = r.mode === "auto" && d.slaDueAt ? Date.parse(d.slaDueAt) : null;
  return db
    .prepare(
      `INSERT INTO routing_decisions (portal_key, object_type, object_id, route_key, kind, mode, outcome, owner_id, previous_owner_id,
         via, rule_id, queue_id, decided_at, speed_to_lead_ms, sla_due_at, sla_status, decision)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    )
    .bind(
      r.portalKey,
      r.objectType,
      r.objectId,
      r.routeKey,
      r.kind,
      r.mode,
      d.outcome,
      d.ownerId,
      r.previousOwnerId,
      d.via,
      d.ruleId,
      d.queueId,
      Date.parse(d.decidedAt),
      d.speedToLeadMs,
      due,
      due === null ? "none" : "pending",
      JSON.stringify(d),
    );
}

/** Settles the pending SLA of a record's latest assignment. */
export async function settleSla(db: D1Database, portalKey: PortalKey, objectId: string, status: SlaState, now: number): Promise<void> {
  await db
    .prepare(
      `UPDATE routing_decisions SET sla_status = ?, sla_checked_at = ?
       WHERE portal_key = ? AND object_type = 'contacts' AND object_id = ? AND sla_status = 'pending'`,
    )
    .bind(status, now, portalKey, objectId)
    .run();
}

type Row = {
  id: number;
  kind: DecisionKind;
  mode: RouteMode;
  owner_id: string | null;
  previous_owner_id: string | null;
  decided_at: number;
  speed_to_lead_ms: number | null;
  sla_due_at: number | null;
  sla_status: SlaState;
  sla_checked_at: number | null;
  decision: string;
};

/** A record's decisions, newest first. */
export async function decisionsFor(
  db: D1Database,
  portalKey: PortalKey,
  objectType: ObjectType,
  objectId: string,
  limit = 10,
): Promise<StoredDecision[]> {
  const rows = await db
    .prepare(
      `SELECT id, kind, mode, owner_id, previous_owner_id, decided_at, speed_to_lead_ms, sla_due_at, sla_status, sla_checked_at, decision
       FROM routing_decisions WHERE portal_key = ? AND object_type = ? AND object_id = ? ORDER BY decided_at DESC, id DESC LIMIT ?`,
    )
    .bind(portalKey, objectType, objectId, limit)
    .all<Row>();
  return rows.results.map((r) => ({
    id: r.id,
    kind: r.kind,
    mode: r.mode,
    ownerId: r.owner_id,
    previousOwnerId: r.previous_owner_id,
    decidedAt: r.decided_at,
    speedToLeadMs: r.speed_to_lead_ms,
    slaDueAt: r.sla_due_at,
    slaStatus: r.sla_status,
    slaCheckedAt: r.sla_checked_at,
    decision: JSON.parse(r.decision) as RoutingDecision,
  }));
}
