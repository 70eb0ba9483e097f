import type { PortalKey } from "../../../shared/domain/types.ts";
import { chooseOwner } from "../../../shared/routing/choose-owner.ts";
import type { RoutingSettings } from "../../../shared/routing/settings.ts";
import { applyRoutingUpdate, emptyRoutingState, type RoutingState } from "../../../shared/routing/state.ts";
import type { Lead, RosterOwner, RoutingContext, RoutingDecision } from "../../../shared/routing/types.ts";

/** `auto` commits to the live state and starts the SLA; `observe` decides against a shadow state only. */
export type RouteMode = "auto" | "observe";

export type RouteLeadRequest = {
  portalKey: PortalKey;
  /** Idempotency key within the lead: "created", "reentry:<ms>", "sla:<ms>", "manual:<ms>". */
  routeKey: string;
  lead: Lead;
  context: RoutingContext;
  settings: RoutingSettings;
  mode: RouteMode;
  now: number;
  /** A re-route: the owner who must not get the lead back, and why (shown in the reasons). */
  exclude?: { ownerId: string; why: string } | null;
  /** The lead status when assigned, so the SLA check can tell whether the rep changed it. */
  leadStatus?: string | null;
};

export type RouteLeadResult =
  | { ok: true; decision: RoutingDecision; replayed: boolean; previousOwnerId: string | null }
  | { ok: false; error: { code: string; message: string } };

/** A lead we assigned and count in its rep's open load; `slaDueAt` null once the SLA is off or settled. */
export type OpenLead = { leadId: string; ownerId: string; assignedAt: number; slaDueAt: number | null; leadStatus: string | null };

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS routing_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
  `CREATE TABLE IF NOT EXISTS routing_leads (lead_id TEXT NOT NULL, route_key TEXT NOT NULL, mode TEXT NOT NULL,
     owner_id TEXT, previous_owner_id TEXT, decision TEXT NOT NULL, decided_at INTEGER NOT NULL, PRIMARY KEY (lead_id, route_key))`,
  `CREATE TABLE IF NOT EXISTS routing_open (lead_id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, assigned_at INTEGER NOT NULL,
     sla_due_at INTEGER, lead_status TEXT)`,
  "CREATE INDEX IF NOT EXISTS routing_open_due ON routing_open (sla_due_at)",
];

type OpenRow = { lead_id: string; owner_id: string; assigned_at: number; sla_due_at: number | null; lead_status: string | null };

/**
 * The routing state of one portal in its Durable Object's SQLite storage. Every method runs synchronously inside one
 * transaction, so two concurrent leads never read the same pointer and a lead is never assigned twice.
 */
export class RoutingStore {
  constructor(private readonly storage: DurableObjectStorage) {
    for (const sql of SCHEMA) storage.sql.exec(sql);
  }

  /** Decides and commits in one turn; a second request with the same lead and route key returns the first decision. */
  route(req: RouteLeadRequest): RouteLeadResult {
    return this.storage.transactionSync(() => {
      const prior = this.storage.sql
        .exec<{ mode: string; decision: string; previous_owner_id: string | null }>(
          "SELECT mode, decision, previous_owner_id FROM routing_leads WHERE lead_id = ? AND route_key = ?",
          req.lead.id,
          req.routeKey,
        )
        .toArray()[0];
      // An observed decision does not bind a later live one: the lead was never really assigned.
      if (prior && (prior.mode === "auto" || req.mode === "observe")) {
        return { ok: true, decision: JSON.parse(prior.decision), replayed: true, previousOwnerId: prior.previous_owner_id };
      }
      this.setMeta("portal_key", req.portalKey);
      const stateName = req.mode === "auto" ? "live" : "shadow";
      const open = req.mode === "auto" ? this.openLead(req.lead.id) : null;
      const previousOwnerId = open?.ownerId ?? req.exclude?.ownerId ?? null;
      // The lead leaves its current rep: their open load drops before anyone is chosen.
      const before = open ? withOpenLeads(this.state(stateName), open.ownerId, -1) : this.state(stateName);
      const decided = chooseOwner(req.lead, contextExcluding(req), req.settings, before, new Date(req.now));
      if (!decided.ok) return { ok: false, error: decided.error };
      const decision = req.exclude ? relabelExcluded(decided.value, req.exclude) : decided.value;
      if (decision.ownerId === null || !decision.update) {
        // Nobody to take it: nothing is committed or remembered (a later try may find a rep); a lead being
        // re-routed stays with its rep, without a new timer.
        if (open) this.clearSla(open.leadId);
        return { ok: true, decision, replayed: false, previousOwnerId };
      }
      this.setMeta(`state:${stateName}`, JSON.stringify(applyRoutingUpdate(before, decision.update)));
      if (req.mode === "auto") this.reopen(req, decision, open !== null);
      this.storage.sql.exec(
        "INSERT OR REPLACE INTO routing_leads (lead_id, route_key, mode, owner_id, previous_owner_id, decision, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        req.lead.id,
        req.routeKey,
        req.mode,
        decision.ownerId,
        previousOwnerId,
        JSON.stringify(decision),
        req.now,
      );
      return { ok: true, decision, replayed: false, previousOwnerId };
    });
  }

  /** The rep worked the lead (or it left us): it leaves their open load and its SLA stops. False if it was not open. */
  release(leadId: string): boolean {
    return this.storage.transactionSync(() => {
      const open = this.openLead(leadId);
      if (!open) return false;
      this.storage.sql.exec("DELETE FROM routing_open WHERE lead_id = ?", leadId);
      this.setMeta("state:live", JSON.stringify(withOpenLeads(this.state("live"), open.ownerId, -1)));
      return true;
    });
  }

  /** Stops a lead's SLA without touching the load (the check could not run to a verdict and gave up). */
  clearSla(leadId: string): void {
    this.storage.sql.exec("UPDATE routing_open SET sla_due_at = NULL WHERE lead_id = ?", leadId);
  }

  /** Postpones a lead's SLA check (the CRM could not be read). */
  postponeSla(leadId: string, until: number): void {
    this.storage.sql.exec("UPDATE routing_open SET sla_due_at = ? WHERE lead_id = ? AND sla_due_at IS NOT NULL", until, leadId);
  }

  dueLeads(now: number, limit = 50): OpenLead[] {
    return this.storage.sql
      .exec<OpenRow>("SELECT * FROM routing_open WHERE sla_due_at IS NOT NULL AND sla_due_at <= ? ORDER BY sla_due_at LIMIT ?", now, limit)
      .toArray()
      .map(toOpenLead);
  }

  nextDueAt(): number | null {
    const row = this.storage.sql.exec<{ due: number | null }>("SELECT MIN(sla_due_at) AS due FROM routing_open").toArray()[0];
    return row?.due ?? null;
  }

  openLead(leadId: string): OpenLead | null {
    const row = this.storage.sql.exec<OpenRow>("SELECT * FROM routing_open WHERE lead_id = ?", leadId).toArray()[0];
    return row ? toOpenLead(row) : null;
  }

  state(name: "live" | "shadow"): RoutingState {
    const raw = this.meta(`state:${name}`);
    return raw ? (JSON.parse(raw) as RoutingState) : emptyRoutingState();
  }

  portalKey(): PortalKey | null {
    return (this.meta("portal_key") as PortalKey | null) ?? null;
  }

  private reopen(req: RouteLeadRequest, decision: RoutingDecision, wasOpen: boolean): void {
    if (wasOpen) this.storage.sql.exec("DELETE FROM routing_open WHERE lead_id = ?", req.lead.id);
    if (decision.ownerId === null) return;
    this.storage.sql.exec(
      "INSERT OR REPLACE INTO routing_open (lead_id, owner_id, assigned_at, sla_due_at, lead_status) VALUES (?, ?, ?, ?, ?)",
      req.lead.id,
      decision.ownerId,
      req.now,
      decision.slaDueAt ? Date.parse(decision.slaDueAt) : null,
      req.leadStatus ?? null,
    );
  }

  private meta(name: string): string | null {
    return this.storage.sql.exec<{ value: string }>("SELECT value FROM routing_meta WHERE name = ?", name).toArray()[0]?.value ?? null;
  }

  private setMeta(name: string, value: string): void {
    this.storage.sql.exec("INSERT OR REPLACE INTO routing_meta (name, value) VALUES (?, ?)", name, value);
  }
}

function toOpenLead(r: OpenRow): OpenLead {
  return { leadId: r.lead_id, ownerId: r.owner_id, assignedAt: r.assigned_at, slaDueAt: r.sla_due_at, leadStatus: r.lead_status };
}

function withOpenLeads(state: RoutingState, ownerId: string, delta: number): RoutingState {
  return { ...state, openLeads: { ...state.openLeads, [ownerId]: Math.max(0, (state.openLeads[ownerId] ?? 0) + delta) } };
}

/** The context with the excluded owner flagged, so neither account matching nor any queue can pick them. */
function contextExcluding(req: RouteLeadRequest): RoutingContext {
  const ex = req.exclude;
  if (!ex) return req.context;
  const roster: RosterOwner[] = req.context.owners
    ? [...req.context.owners]
    : [...new Set([...req.settings.reps.map((r) => r.ownerId), ...req.settings.queues.flatMap((q) => q.members)])].map((id) => ({
        id,
        archived: false,
      }));
  const owners = roster.map((o) => (o.id === ex.ownerId ? { ...o, deactivated: true } : o));
  if (!owners.some((o) => o.id === ex.ownerId)) owners.push({ id: ex.ownerId, archived: false, deactivated: true });
  return { ...req.context, owners };
}

const STAND_IN = "deactivated in the CRM";

/** Says why the excluded owner was passed over, where the stand-in flag would say "deactivated". */
function relabelExcluded(d: RoutingDecision, ex: { ownerId: string; why: string }): RoutingDecision {
  const fix = (s: string) =>
    s
      .replaceAll(`${ex.ownerId}: ${STAND_IN}`, `${ex.ownerId}: ${ex.why}`)
      .replaceAll(`owner ${ex.ownerId} cannot take it: ${STAND_IN}`, `owner ${ex.ownerId} cannot take it: ${ex.why}`);
  return {
    ...d,
    account: { ...d.account, reason: fix(d.account.reason), matches: d.account.matches.map((m) => ({ ...m, reason: fix(m.reason) })) },
    queues: d.queues.map((q) => ({
      ...q,
      reason: fix(q.reason),
      candidates: q.candidates.map((c) =>
        c.ownerId === ex.ownerId ? { ...c, reasons: c.reasons.map((r) => (r === STAND_IN ? ex.why : r)) } : c,
      ),
    })),
    reasons: [`re-routing away from ${ex.ownerId}: ${ex.why}`, ...d.reasons.map(fix)],
  };
}
