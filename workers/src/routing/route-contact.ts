import type { Contact, Owner, PortalKey } from "../../../shared/domain/types.ts";
import { contactToLead } from "../../../shared/routing/lead.ts";
import type { RoutingDecision } from "../../../shared/routing/types.ts";
import { mayWrite, type PortalSettings } from "../../../shared/settings/portal-settings.ts";
import type { PlannedChange } from "../engines/types.ts";
import { type RoutingLookup, routingLookup } from "./company-index.ts";
import { type DecisionKind, type DecisionRecord, recordDecision } from "./decisions.ts";
import type { RouteLeadRequest, RouteLeadResult, RouteMode } from "./routing-store.ts";

/** The portal Durable Object's routing methods, as callers see them (a stub, or the object itself in tests). */
export type Router = {
  routeLead(req: RouteLeadRequest): Promise<RouteLeadResult>;
  /** Several leads in one round trip, decided in order (the portal's Durable Object has it). */
  routeLeads?(reqs: RouteLeadRequest[]): Promise<RouteLeadResult[]>;
  releaseLead(leadId: string): Promise<boolean>;
};

/** The CRM property that holds a record's owner. */
export function ownerProperty(crm: "hubspot" | "salesforce"): string {
  return crm === "salesforce" ? "OwnerId" : "hubspot_owner_id";
}

export function routingMode(settings: PortalSettings): RouteMode {
  return mayWrite(settings, "routing") ? "auto" : "observe";
}

export type RouteContactInput = {
  db: D1Database;
  portalKey: PortalKey;
  crm: "hubspot" | "salesforce";
  contact: Contact;
  settings: PortalSettings;
  /** The CRM's owners; undefined when they could not be read (then only our settings say who may take leads). */
  owners: readonly Owner[] | undefined;
  router: Router;
  routeKey: string;
  kind: DecisionKind;
  now: number;
  exclude?: { ownerId: string; why: string } | null;
  /** The contact's D1 lookup when the caller made it already (a batch makes them all in one round trip). */
  lookup?: RoutingLookup;
  /** Where to put the decision's D1 row for the caller to write with others; by default it is written at once. */
  decisions?: DecisionRecord[];
};

export type RouteContactOutcome = {
  result: RouteLeadResult;
  mode: RouteMode;
  /** The owner write, when someone was chosen who does not already own the contact. */
  change: Extract<PlannedChange, { kind: "update" }> | null;
  /** Wall time of the D1 lookup and of the Durable Object's decide-and-commit round trip (ms; clocks move on I/O). */
  timings: { lookupMs: number; decideMs: number };
};

const RULES: Record<DecisionKind, string> = {
  initial: "routing:assign",
  sla_reroute: "routing:sla-reroute",
  manual_reroute: "routing:manual-reroute",
};

/**
 * Routes one contact: builds the lead and its companies (one D1 lookup), lets the portal's Durable Object decide and
 * commit, keeps a fresh decision in D1, and plans the owner write.
 */
export async function routeContact(input: RouteContactInput): Promise<RouteContactOutcome> {
  const started = performance.now();
  const lookup = input.lookup ?? (await routingLookup(input.db, input.portalKey, input.contact));
  const looked = performance.now();
  const result = await input.router.routeLead(routeRequest(input, lookup));
  const outcome = routedOutcome(input, result, { lookupMs: looked - started, decideMs: performance.now() - looked });
  if (outcome.decision) {
    if (input.decisions) input.decisions.push(outcome.decision);
    else await recordDecision(input.db, outcome.decision);
  }
  return outcome;
}

/** What the portal's Durable Object is asked to decide for a contact, given its D1 lookup. */
export function routeRequest(input: RouteContactInput, lookup: RoutingLookup): RouteLeadRequest {
  const { hygieneScore, ...context } = lookup;
  const owners = input.owners?.map((o) => ({ id: o.id, archived: o.archived }));
  return {
    portalKey: input.portalKey,
    routeKey: input.routeKey,
    lead: contactToLead(input.contact, hygieneScore),
    context: { ...context, ...(owners ? { owners } : {}) },
    settings: input.settings.routing,
    mode: routingMode(input.settings),
    now: input.now,
    exclude: input.exclude ?? null,
    leadStatus: input.contact.leadStatus,
  };
}

/**
 * What a decision means for the contact: the D1 row to keep (written on a replay too — the row is unique per record
 * and route key, so a consumer that died after the Durable Object committed still leaves it for the card and the
 * dashboard) and the owner write, when someone was chosen who does not already own the contact.
 */
export function routedOutcome(
  input: RouteContactInput,
  result: RouteLeadResult,
  timings: RouteContactOutcome["timings"],
): RouteContactOutcome & { decision: DecisionRecord | null } {
  const { contact } = input;
  const mode = routingMode(input.settings);
  if (!result.ok) return { result, mode, change: null, timings, decision: null };
  const d = result.decision;
  const decision: DecisionRecord = {
    portalKey: input.portalKey,
    objectType: "contacts",
    objectId: contact.id,
    routeKey: input.routeKey,
    kind: input.kind,
    mode,
    decision: d,
    previousOwnerId: result.previousOwnerId,
    now: input.now,
  };
  if (d.ownerId === null || d.ownerId === contact.ownerId) return { result, mode, change: null, timings, decision };
  const property = ownerProperty(input.crm);
  return {
    result,
    mode,
    timings,
    decision,
    change: {
      kind: "update",
      automation: "routing",
      objectType: "contacts",
      objectId: contact.id,
      before: { [property]: contact.ownerId },
      after: { [property]: d.ownerId },
      rule: RULES[input.kind],
      reason: summary(d),
    },
  };
}

/** The decision in one line for the audit log: how the owner was found and who it is. */
export function summary(d: RoutingDecision): string {
  const how = d.via === "account" ? d.account.reason : (d.queues.at(-1)?.reason ?? d.ruleSummary ?? "");
  return [d.ruleSummary && d.via !== "account" ? d.ruleSummary : null, how, d.reasons.at(-1)].filter(Boolean).join("; ");
}
