import type { Context } from "hono";
import { z } from "zod";
import type { RerouteResponse, RoutingCandidate, RoutingCardResponse, SlaStatus } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import type { RoutingSettings } from "../../../shared/routing/settings.ts";
import type { RoutingDecision } from "../../../shared/routing/types.ts";
import type { CardEnv } from "../auth/middleware.ts";
import { executeChanges } from "../engines/executor.ts";
import { ApiError } from "../http/errors.ts";
import { decisionsFor, type StoredDecision } from "../routing/decisions.ts";
import { type Router, routeContact, routingMode } from "../routing/route-contact.ts";
import { installedBy, mayDo, requireAllowed } from "../settings/permissions.ts";
import { cardDeps, signedObjectId } from "./card-context.ts";
import type { CardDeps } from "./deal-gates-card.ts";

type RoutableType = "contacts" | "companies";
export type RoutingViewer = { userId: string; canReroute: boolean };

/** The signed request's record, its type (from the signed query) and what the viewer may do. */
export async function routingCardContext(c: Context<CardEnv>) {
  const deps = await cardDeps(c);
  const card = c.get("card");
  const raw = c.req.query("objectType") ?? (card.objectTypeId === "0-2" ? "companies" : "contacts");
  if (raw !== "contacts" && raw !== "companies")
    throw new ApiError(400, "unsupported_object", `Routing covers contacts and companies, not ${raw}`);
  const canReroute = mayDo(deps.settings, await installedBy(c.env.DB, deps.portalKey), card.userId, "reroute");
  const router: Router = c.env.PORTAL.get(c.env.PORTAL.idFromName(deps.portalKey));
  return { deps, objectType: raw as RoutableType, objectId: signedObjectId(c), viewer: { userId: card.userId, canReroute }, router };
}

/** The routing card: who owns the record, how routing chose them and why, speed-to-lead and SLA, from D1 only. */
export async function routingCard(
  objectType: RoutableType,
  objectId: string,
  deps: CardDeps,
  viewer: RoutingViewer,
): Promise<RoutingCardResponse> {
  const history = await decisionsFor(deps.db, deps.portalKey, objectType, objectId);
  const latest = history[0];
  const mode = routingMode(deps.settings);
  const base = {
    objectType,
    objectId,
    mode,
    modeReason:
      mode === "auto" ? null : deps.settings.killSwitch ? "The kill switch is on" : "Routing is observe-only until an admin turns it on",
    permissions: { canReroute: viewer.canReroute && objectType === "contacts" },
  };
  if (latest?.decision.outcome !== "assigned") return { ...base, ...unrouted(latest, deps.settings.routing) };
  const d = latest.decision;
  const routing = deps.settings.routing;
  const rep = routing.reps.find((r) => r.ownerId === d.ownerId);
  const rule = routing.rules.find((r) => r.id === d.ruleId);
  const queue = routing.queues.find((q) => q.id === d.queueId);
  const matched = d.via === "account" ? d.account.matches.find((m) => m.eligible) : undefined;
  const rerouted = history.find((h) => h.kind !== "initial");
  return {
    ...base,
    status: "assigned",
    owner: d.ownerId ? { id: d.ownerId, name: d.ownerName ?? rep?.name ?? `Owner ${d.ownerId}`, email: rep?.email ?? null } : null,
    queue: d.queueId ? { id: d.queueId, name: queue?.name ?? d.queueId } : null,
    matchedRule: d.ruleId ? { id: d.ruleId, name: rule?.name ?? d.ruleId } : null,
    accountMatch: matched
      ? {
          id: matched.companyId,
          name: matched.companyName ?? matched.companyId,
          matchedOn: matched.by === "email_domain" ? "email domain" : "company name",
        }
      : null,
    strategy: d.via === "account" ? "account_owner" : (d.queues.at(-1)?.strategy ?? null),
    reasons: [...d.reasons],
    rulesEvaluated: rulesOf(d),
    candidates: candidatesOf(d, routing),
    speedToLeadMs: latest.speedToLeadMs,
    assignedAt: new Date(latest.decidedAt).toISOString(),
    sla: {
      status: slaStatusOf(latest),
      dueAt: latest.slaDueAt ? new Date(latest.slaDueAt).toISOString() : null,
      minutes: routing.slaMinutes,
      reroutedAt: rerouted ? new Date(rerouted.decidedAt).toISOString() : null,
    },
  };
}

function unrouted(latest: StoredDecision | undefined, routing: RoutingSettings) {
  const d = latest?.decision;
  return {
    status: "unrouted" as const,
    owner: null,
    queue: null,
    matchedRule: null,
    accountMatch: null,
    strategy: null,
    reasons: d ? [...d.reasons] : [],
    rulesEvaluated: d ? rulesOf(d) : [],
    candidates: d ? candidatesOf(d, routing) : [],
    speedToLeadMs: null,
    assignedAt: null,
    sla: { status: "none" as const, dueAt: null, minutes: routing.slaMinutes, reroutedAt: null },
  };
}

function slaStatusOf(s: StoredDecision): SlaStatus {
  return s.mode === "observe" ? "none" : s.slaStatus;
}

function rulesOf(d: RoutingDecision) {
  return d.rules.map((r) => ({ ruleId: r.ruleId, ruleName: r.name ?? r.ruleId, matched: r.matched, reason: r.reason }));
}

/** The reps the deciding step weighed: the account owners for an account match, else the last queue tried. */
function candidatesOf(d: RoutingDecision, routing: RoutingSettings): RoutingCandidate[] {
  const weight = (id: string) => routing.reps.find((r) => r.ownerId === id)?.weight ?? null;
  if (d.via === "account") {
    return d.account.matches
      .filter((m) => m.ownerId !== null)
      .map((m) => ({
        id: m.ownerId ?? "",
        name: routing.reps.find((r) => r.ownerId === m.ownerId)?.name ?? `Owner ${m.ownerId}`,
        eligible: m.eligible,
        why: m.reason,
        chosen: m.ownerId === d.ownerId && m.eligible,
        weight: weight(m.ownerId ?? ""),
        openLeads: null,
      }));
  }
  return (d.queues.at(-1)?.candidates ?? []).map((c) => ({
    id: c.ownerId,
    name: c.name ?? `Owner ${c.ownerId}`,
    eligible: c.eligible,
    why: c.eligible ? `available${c.localTime ? ` (${c.localTime})` : ""}; ${c.assignedToday} today` : c.reasons.join(", "),
    chosen: c.ownerId === d.ownerId,
    weight: weight(c.ownerId),
    openLeads: c.openLeads,
  }));
}

const RerouteBody = z.object({ reason: z.string().trim().min(1, "say why the lead is re-routed").max(500) }).strict();

/** Re-routes a contact away from its owner (permission `reroute`); observe-only portals only record the new decision. */
export async function rerouteFromCard(
  objectType: RoutableType,
  objectId: string,
  body: unknown,
  deps: CardDeps,
  viewer: RoutingViewer,
  router: Router,
): Promise<RerouteResponse> {
  requireAllowed(viewer.canReroute, "reroute");
  if (objectType !== "contacts") throw new ApiError(400, "unsupported_object", "Only contacts are routed; a company keeps its owner");
  const parsed = RerouteBody.safeParse(body);
  if (!parsed.success) throw new ApiError(400, "invalid_body", parsed.error.issues.map((i) => i.message).join("; "));
  const crm = await deps.crm();
  if (!crm) throw new ApiError(409, "not_installed", "This portal has not connected the app");
  const read = await crm.read("contacts", [objectId]);
  if (!read.ok) throw new ApiError(502, "crm_unavailable", read.error.message);
  const contact = read.value.get(objectId)?.record;
  if (!contact) throw new ApiError(404, "not_found", `Contact ${objectId} does not exist in this portal`);
  const why = `re-routed by user ${viewer.userId}: ${parsed.data.reason}`;
  const routeKey = `manual:${deps.now}`;
  const routed = await routeContact({
    db: deps.db,
    portalKey: deps.portalKey,
    crm: crm.crm,
    contact,
    settings: deps.settings,
    owners: await deps.owners(),
    router,
    routeKey,
    kind: "manual_reroute",
    now: deps.now,
    exclude: contact.ownerId ? { ownerId: contact.ownerId, why } : null,
  });
  if (!routed.result.ok) throw new ApiError(409, routed.result.error.code, routed.result.error.message);
  const answer = async (status: RerouteResponse["status"], message: string): Promise<RerouteResponse> => ({
    status,
    message,
    card: await routingCard(objectType, objectId, deps, viewer),
  });
  const d = routed.result.decision;
  if (!routed.change)
    return answer("unchanged", d.ownerId ? `Routing chose the current owner again` : (d.reasons.at(-1) ?? "No rep available"));
  const report = await executeChanges([{ ...routed.change, changeKey: `${routeKey}:${objectId}` }], {
    portalKey: deps.portalKey,
    settings: deps.settings,
    crm,
    db: deps.db,
    now: deps.now,
  });
  if (routed.mode === "observe") return answer("observed", `Routing is observe-only: it would assign ${d.ownerName ?? d.ownerId}`);
  if (report.applied === 0) return answer("unchanged", "The CRM refused the new owner; see the audit log");
  return answer("rerouted", `Re-routed to ${d.ownerName ?? d.ownerId}`);
}
