import { env } from "cloudflare:workers";
import type { Company, Contact, PortalKey } from "../../../shared/domain/types.ts";
import { fromBackfillSearch, type RecordEvents } from "../../../shared/events/coalesce.ts";
import { forgetCompany, indexCompanies, type RoutingLookup, routingLookups } from "../routing/company-index.ts";
import { type DecisionRecord, decisionStatement } from "../routing/decisions.ts";
import { type RouteContactInput, type Router, routedOutcome, routeRequest } from "../routing/route-contact.ts";
import type { RouteLeadResult } from "../routing/routing-store.ts";
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

/** How recent a creation the backfill still routes as new (older unowned contacts are routed only if in play). */
const BACKFILL_NEW_MS = 3_600_000;

/**
 * A contact the backfill found changed (or a merge survivor), with no event saying what changed: an unowned lead created lately is routed
 * as created (the same key its creation webhook would carry, so a late webhook routes nothing more); an older one
 * whose lifecycle stage or lead status is in play, as a re-entry at its last modification; anything else is no
 * routing occasion. An owner is never replaced (checked by the caller).
 */
export function backfillRouteKey(contact: Contact, now: number): string | null {
  const created = contact.createdAt ? Date.parse(contact.createdAt) : Number.NaN;
  if (created >= now - BACKFILL_NEW_MS) return "created";
  const inPlay = [contact.lifecycleStage, contact.leadStatus].some((v) => IN_PLAY.has(String(v ?? "").toLowerCase()));
  const modified = contact.updatedAt ? Date.parse(contact.updatedAt) : Number.NaN;
  return inPlay && Number.isFinite(modified) ? `reentry:${modified}` : null;
}

/**
 * A contact no event says what changed on, routed from what it is now: one the backfill's search found, and the
 * survivor of a merge (two new leads merged before we read them, say).
 */
function judgedWhole(g: RecordEvents): boolean {
  return fromBackfillSearch(g) || (!g.gone && g.events.some((e) => e.kind === "merged"));
}

function wantsCompany(g: RecordEvents): boolean {
  return g.objectType === "companies" && (g.created || COMPANY_PROPERTIES.some((p) => g.changedProperties.has(p)));
}

/** The routing engine, talking to routing state through `routerFor` (the portal's Durable Object in the Worker). */
export function createRoutingEngine(routerFor: (portalKey: PortalKey) => Router): Engine {
  return {
    name: "routing",
    wants: (g) => (g.objectType === "contacts" && (routeKeyOf(g) !== null || judgedWhole(g))) || wantsCompany(g),
    // HubSpot's company postcode; Salesforce Accounts come with their billing address mapped.
    propertiesFor: (objectType, _settings, crm) => (objectType === "companies" && crm === "hubspot" ? ["zip"] : []),

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

/**
 * Routes a batch: companies go into the lead-to-account index first (one write), then every lead's D1 lookup is one
 * round trip, the portal's Durable Object decides and commits them all in one call, and the decisions are kept in one
 * write.
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
    const contact = ctx.records.get("contacts", group.objectId)?.record;
    const routeKey = routeKeyOf(group) ?? (contact && judgedWhole(group) ? backfillRouteKey(contact, ctx.now) : null);
    // Someone (a person, a form, a workflow) already owns it: routing never takes a lead away.
    return routeKey && contact && !contact.ownerId ? [{ k, routeKey, contact }] : [];
  });
  if (leads.length === 0) return out;
  const started = performance.now();
  const [owners, lookups] = await Promise.all([
    ctx.reference.owners(),
    routingLookups(
      ctx.db,
      ctx.portalKey,
      leads.map((l) => l.contact),
    ),
  ]);
  const looked = performance.now();
  const inputs = leads.map(
    (l): RouteContactInput => ({
      db: ctx.db,
      portalKey: ctx.portalKey,
      crm: ctx.crm.crm,
      contact: l.contact,
      settings: ctx.settings,
      owners: owners.ok ? owners.value : undefined,
      router: routerFor(ctx.portalKey),
      routeKey: l.routeKey,
      kind: "initial",
      now: ctx.now,
    }),
  );
  const requests = inputs.map((input, i) => routeRequest(input, lookups[i] as RoutingLookup));
  const router = routerFor(ctx.portalKey);
  const results = router.routeLeads ? await router.routeLeads(requests) : await Promise.all(requests.map((r) => router.routeLead(r)));
  const timings = { lookupMs: looked - started, decideMs: performance.now() - looked };
  const decisions: DecisionRecord[] = [];
  inputs.forEach((input, i) => {
    const result = results[i] as RouteLeadResult;
    const routed = routedOutcome(input, result, timings);
    if (routed.decision) decisions.push(routed.decision);
    if (routed.change) out[(leads[i] as (typeof leads)[number]).k] = [routed.change];
    if (!result.ok) ctx.log.warn("routing_failed", { contactId: input.contact.id, error: result.error.message });
    else if (!result.replayed) {
      const d = result.decision;
      ctx.log.info("routing_decided", {
        contactId: input.contact.id,
        ownerId: d.ownerId,
        mode: routed.mode,
        speedToLeadMs: d.speedToLeadMs,
        leads: leads.length,
        ...timings,
      });
    }
  });
  if (decisions.length > 0) {
    // Cards and the dashboard read them, nothing later in this batch: written while the owners are.
    const write = ctx.db.batch(decisions.map((d) => decisionStatement(ctx.db, d)));
    if (ctx.deferWrite) ctx.deferWrite(write);
    else await write;
  }
  return out;
}

/** The engine the Worker registers: routing state in the portal's Durable Object. */
export const routingEngine: Engine = createRoutingEngine((portalKey) => env.PORTAL.get(env.PORTAL.idFromName(portalKey)));
