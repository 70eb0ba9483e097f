import type { CrmPort, RecordHistory } from "../../../shared/crm-port.ts";
import type { Contact, Owner, PortalKey } from "../../../shared/domain/types.ts";
import { mayWrite, type PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { ReferenceData } from "../crm/reference-data.ts";
import { executeChanges } from "../engines/executor.ts";
import type { PlannedChange } from "../engines/types.ts";
import type { Logger } from "../lib/logger.ts";
import { settleSla } from "./decisions.ts";
import { type Router, routeContact } from "./route-contact.ts";
import type { OpenLead, RoutingStore } from "./routing-store.ts";

/** How long to wait before checking again when the CRM could not be read. */
export const SLA_RETRY_MS = 60_000;
const TASK_DUE_MS = 4 * 3_600_000;

export type SlaDeps = {
  db: D1Database;
  now: number;
  log: Logger;
  settingsFor(portalKey: PortalKey): Promise<PortalSettings>;
  crmFor(
    portalKey: PortalKey,
    settings: PortalSettings,
  ): Promise<{ ok: true; value: CrmPort } | { ok: false; error: { retryable: boolean; message: string } }>;
  /** Routing calls made from inside the object itself: straight into its store, no stub. */
  router: Router;
};

export type SlaVerdict = "worked" | "reassigned" | "gone" | "breached";

function instant(raw: string | null | undefined): number | null {
  if (!raw) return null;
  const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(t) ? t : null;
}

/** Whether the rep acted on the lead since it was assigned: any logged activity, or a lead status change. */
export function judgeLead(open: OpenLead, contact: Contact | undefined, history: RecordHistory | undefined): SlaVerdict {
  if (!contact) return "gone";
  if (contact.ownerId !== open.ownerId) return "reassigned";
  const activity = [contact.lastActivityAt, contact.extra.hs_last_sales_activity_timestamp].map(instant);
  if (activity.some((t) => t !== null && t > open.assignedAt)) return "worked";
  if ((contact.leadStatus ?? null) !== open.leadStatus) return "worked";
  const statusChanges = (history?.hs_lead_status ?? []).filter((h) => (instant(h.timestamp) ?? 0) > open.assignedAt);
  if (statusChanges.length > 0) return "worked";
  return "breached";
}

/**
 * The SLA alarm: reads every due lead once, lowers the load for leads worked or taken over, and re-routes the rest
 * away from the rep who missed it, with a task for that rep's manager. Due times the CRM could not answer are retried.
 */
export async function runSlaChecks(store: RoutingStore, deps: SlaDeps): Promise<void> {
  const portalKey = store.portalKey();
  const due = store.dueLeads(deps.now);
  if (!portalKey || due.length === 0) return;
  const settings = await deps.settingsFor(portalKey);
  const crm = await deps.crmFor(portalKey, settings);
  if (!crm.ok) {
    for (const d of due) crm.error.retryable ? store.postponeSla(d.leadId, deps.now + SLA_RETRY_MS) : store.clearSla(d.leadId);
    return;
  }
  const read = await crm.value.read(
    "contacts",
    due.map((d) => d.leadId),
    { properties: ["hs_last_sales_activity_timestamp"], historyFor: ["hs_lead_status"] },
  );
  if (!read.ok) {
    for (const d of due) read.error.retryable ? store.postponeSla(d.leadId, deps.now + SLA_RETRY_MS) : store.clearSla(d.leadId);
    return;
  }
  const reference = new ReferenceData(deps.db, portalKey, crm.value, deps.now);
  const changes: (PlannedChange & { changeKey: string })[] = [];
  for (const open of due) {
    const loaded = read.value.get(open.leadId);
    const verdict = judgeLead(open, loaded?.record, loaded?.history);
    if (verdict !== "breached") {
      store.release(open.leadId);
      await settleSla(deps.db, portalKey, open.leadId, verdict === "worked" ? "met" : "none", deps.now);
      continue;
    }
    await settleSla(deps.db, portalKey, open.leadId, "breached", deps.now);
    if (!loaded || !mayWrite(settings, "routing")) {
      store.clearSla(open.leadId);
      continue;
    }
    const owners = await reference.owners();
    changes.push(...(await rerouteMissed(open, loaded.record, settings, owners.ok ? owners.value : undefined, crm.value, portalKey, deps)));
  }
  if (changes.length > 0) await executeChanges(changes, { portalKey, settings, crm: crm.value, db: deps.db, now: deps.now });
}

async function rerouteMissed(
  open: OpenLead,
  contact: Contact,
  settings: PortalSettings,
  owners: Owner[] | undefined,
  crm: CrmPort,
  portalKey: PortalKey,
  deps: SlaDeps,
): Promise<(PlannedChange & { changeKey: string })[]> {
  const minutes = settings.routing.slaMinutes ?? 0;
  const why = `did not act within the ${minutes}-minute SLA`;
  const routeKey = `sla:${open.slaDueAt ?? deps.now}`;
  const routed = await routeContact({
    db: deps.db,
    portalKey,
    crm: crm.crm,
    contact,
    settings,
    owners,
    router: deps.router,
    routeKey,
    kind: "sla_reroute",
    now: deps.now,
    exclude: { ownerId: open.ownerId, why },
  });
  const out: (PlannedChange & { changeKey: string })[] = [];
  // When no one else can take it, the store leaves the lead with its rep and stops the timer.
  if (routed.change) out.push({ ...routed.change, changeKey: `${routeKey}:${contact.id}:owner` });
  const rep = settings.routing.reps.find((r) => r.ownerId === open.ownerId);
  const manager = rep?.managerOwnerId ?? null;
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ") || contact.email || `contact ${contact.id}`;
  const newOwner = routed.result.ok ? routed.result.decision.ownerId : null;
  if (manager) {
    out.push({
      kind: "task",
      automation: "routing",
      objectType: "contacts",
      objectId: contact.id,
      subject: `SLA missed: ${rep?.name ?? open.ownerId} did not act on ${name}`,
      body: `${rep?.name ?? open.ownerId} ${why}. ${newOwner ? `The lead was re-routed to ${newOwner}.` : "No other rep was available; the lead stays with them."}`,
      ownerId: manager,
      dueAt: deps.now + TASK_DUE_MS,
      rule: "routing:sla-missed",
      reason: `${open.ownerId} ${why}`,
      changeKey: `${routeKey}:${contact.id}:task`,
    });
  }
  return out;
}
