import { env } from "cloudflare:workers";
import type { Company, Contact, Owner, PortalKey } from "../../../shared/domain/types.ts";
import type { RecordEvents } from "../../../shared/events/coalesce.ts";
import { forgetCompany, indexCompanies, type RoutingLookup, routingLookups } from "../routing/company-index.ts";
import { type DecisionRecord, decisionStatement } from "../routing/decisions.ts";
import { type Router, routeContact } from "../routing/route-contact.ts";
import type { Engine, EngineContext, PlannedChange } from "./types.ts";

/** Contact properties whose change can put an unowned lead back in play. */
const REENTRY_PROPERTIES = ["lifecyclestage", "hs_lead_status"] as const;
/** Values that mean "a lead to work": lifecycle stages before opportunity, and HubSpot's open lead statuses. */
const IN_PLAY = new Set(["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "new", "open"]);
/** Company properties the lead-to-account index and company-sourced rule conditions read. */
const COMPANY_PROPERTIES = ["name", "domain", "website", "hubspot_owner_id", "country", "state", "zip", "industry", "numberofemployees"];

/**
 * Why this record group should be routed, as an idempotency key per record: a creation once, a re-entry once per
 * change instant (a redelivered event carries the same instant); null when it is no routing occasion.
 */
export function routeKeyOf(group: RecordEvents): string | null {
  if (group.created) return "created";
  const reentry = group.events.filter((e) => e.propertyName && (REENTRY_PROPERTIES as readonly string[]).includes(e.propertyName));
  const inPlay = reentry.filter((e) => IN_PLAY.has(String(e.propertyValue ?? "").toLowerCase()));
  if (inPlay.length === 0) return null;
  return `reentry:${Math.max(...inPlay.map((e) => e.occurredAt))}`;
}

function wantsCompany(g: RecordEvents): boolean {
  return g.objectType === "companies" && (g.created || COMPANY_PROPERTIES.some((p) => g.changedProperties.has(p)));
}

/** The routing engine, talking to routing state through `routerFor` (the portal's Durable Object in the Worker). */
export function createRoutingEngine(routerFor: (portalKey: PortalKey) => Router): Engine {
  return {
    name: "routing",
    wants: (g) => (g.objectType === "contacts" && routeKeyOf(g) !== null) || wantsCompany(g),
    propertiesFor: (objectType) => (objectType === "companies" ? ["zip"] : []),

    async plan(group, ctx) {
      return (await planGroups([group], ctx, routerFor))[0] ?? [];
    },

    planBatch: (groups, ctx) => planGroups(groups, ctx, routerFor),

    async forget(group, ctx) {
      if (group.objectType === "companies") await forgetCompany(ctx.db, ctx.portalKey, group.objectId);
      if (group.objectType === "contacts") await routerFor(ctx.portalKey).releaseLead(group.objectId);
    },
  };
}

/** Leads decided at once: each is its own Durable Object call, but no more than this many are in flight. */
const DECISIONS_IN_FLIGHT = 16;

/**
 * Routes a batch: companies go into the lead-to-account index first (one write), then every lead's D1 lookup is one
 * round trip, the portal's Durable Object decides and commits each lead, and the decisions are kept in one write.
 */
async function planGroups(
  groups: readonly RecordEvents[],
  ctx: EngineContext,
  routerFor: (portalKey: PortalKey) => Router,
): Promise<PlannedChange[][]> {
  const out: PlannedChange[][] = groups.map(() => []);
  const companies = groups.flatMap((g) => (g.objectType === "companies" ? [ctx.records.get("companies", g.objectId)?.record] : []));
  await indexCompanies(
    ctx.db,
    ctx.portalKey,
    companies.filter((c): c is Company => !!c),
    ctx.now,
  );
  const leads = groups.flatMap((group, k) => {
    if (group.objectType !== "contacts") return [];
    const routeKey = routeKeyOf(group);
    const contact = ctx.records.get("contacts", group.objectId)?.record;
    // Someone (a person, a form, a workflow) already owns it: routing never takes a lead away.
    return routeKey && contact && !contact.ownerId ? [{ k, routeKey, contact }] : [];
  });
  if (leads.length === 0) return out;
  const [owners, lookups] = await Promise.all([
    ctx.reference.owners(),
    routingLookups(
      ctx.db,
      ctx.portalKey,
      leads.map((l) => l.contact),
    ),
  ]);
  const decisions: DecisionRecord[] = [];
  const router = routerFor(ctx.portalKey);
  let next = 0;
  const decide = async () => {
    while (next < leads.length) {
      const i = next++;
      const lead = leads[i] as (typeof leads)[number];
      out[lead.k] = await planContact(
        lead.contact,
        lead.routeKey,
        lookups[i] as RoutingLookup,
        owners.ok ? owners.value : undefined,
        ctx,
        router,
        decisions,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(DECISIONS_IN_FLIGHT, leads.length) }, decide));
  if (decisions.length > 0) await ctx.db.batch(decisions.map((d) => decisionStatement(ctx.db, d)));
  return out;
}

async function planContact(
  contact: Contact,
  routeKey: string,
  lookup: RoutingLookup,
  owners: readonly Owner[] | undefined,
  ctx: EngineContext,
  router: Router,
  decisions: DecisionRecord[],
): Promise<PlannedChange[]> {
  const routed = await routeContact({
    db: ctx.db,
    portalKey: ctx.portalKey,
    crm: ctx.crm.crm,
    contact,
    settings: ctx.settings,
    owners,
    router,
    routeKey,
    kind: "initial",
    now: ctx.now,
    lookup,
    decisions,
  });
  if (!routed.result.ok) ctx.log.warn("routing_failed", { contactId: contact.id, error: routed.result.error.message });
  else if (!routed.result.replayed) {
    const d = routed.result.decision;
    ctx.log.info("routing_decided", {
      contactId: contact.id,
      ownerId: d.ownerId,
      mode: routed.mode,
      speedToLeadMs: d.speedToLeadMs,
      ...routed.timings,
    });
  }
  return routed.change ? [routed.change] : [];
}

/** The engine the Worker registers: routing state in the portal's Durable Object. */
export const routingEngine: Engine = createRoutingEngine((portalKey) => env.PORTAL.get(env.PORTAL.idFromName(portalKey)));
