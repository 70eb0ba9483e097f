import { DurableObject } from "cloudflare:workers";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { RoutingState } from "../../../shared/routing/state.ts";
import { getAccessToken } from "../auth/token-store.ts";
import { crmForPortal } from "../crm/crm-for-portal.ts";
import { createLogger } from "../lib/logger.ts";
import { type OpenLead, type RouteLeadRequest, type RouteLeadResult, RoutingStore } from "../routing/routing-store.ts";
import { runSlaChecks, SLA_RETRY_MS } from "../routing/sla.ts";
import { loadSettings } from "../settings/repository.ts";
import { ApiBudget, type BudgetKind, type BudgetLimits, HUBSPOT_OAUTH_LIMITS, type Reservation } from "./api-budget.ts";

const DAILY_KEY = "budget:daily";

/**
 * One instance per portal (or Salesforce org), named by its portal key. Holds what must be consistent across
 * concurrent consumers: the CRM API budget now; round-robin pointers and SLA alarms as routing lands.
 */
export class PortalDurableObject extends DurableObject<Env> {
  private budget: ApiBudget | undefined;
  private routingStore: RoutingStore | undefined;

  private routing(): RoutingStore {
    this.routingStore ??= new RoutingStore(this.ctx.storage);
    return this.routingStore;
  }

  private async loadBudget(): Promise<ApiBudget> {
    if (!this.budget) {
      const daily = await this.ctx.storage.get<{ key: string; used: number }>(DAILY_KEY);
      this.budget = new ApiBudget(HUBSPOT_OAUTH_LIMITS, daily);
    }
    return this.budget;
  }

  /** Reserves CRM API calls for this portal; every adapter call goes through here first. */
  async reserveApiCalls(kind: BudgetKind, count: number, limits?: BudgetLimits): Promise<Reservation> {
    const budget = await this.loadBudget();
    if (limits) budget.setLimits(limits);
    const result = budget.reserve(kind, count, Date.now());
    if (result.granted) await this.ctx.storage.put(DAILY_KEY, budget.daily);
    return result;
  }

  async configureBudget(limits: BudgetLimits): Promise<void> {
    (await this.loadBudget()).setLimits(limits);
  }

  /** Uninstall: drops every key this portal's object stored. */
  async forgetEverything(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.budget = undefined;
    this.routingStore = undefined;
  }

  /**
   * Chooses the lead's owner and commits the routing state in one synchronous turn (see RoutingStore.route): idempotent
   * per lead and route key; an assignment in `auto` mode starts its SLA timer.
   */
  async routeLead(req: RouteLeadRequest): Promise<RouteLeadResult> {
    const result = this.routing().route(req);
    if (result.ok && !result.replayed && req.mode === "auto") await this.armSlaAlarm();
    return result;
  }

  /** `routeLead` for a batch of leads in one call, in order (the queue consumer routes a batch at once). */
  async routeLeads(reqs: RouteLeadRequest[]): Promise<RouteLeadResult[]> {
    const store = this.routing();
    const results = reqs.map((req) => store.route(req));
    if (results.some((r, i) => r.ok && !r.replayed && reqs[i]?.mode === "auto")) await this.armSlaAlarm();
    return results;
  }

  /** The lead was worked or is gone: it leaves its rep's open load and its SLA timer stops. */
  async releaseLead(leadId: string): Promise<boolean> {
    return this.routing().release(leadId);
  }

  /** The live routing state and the leads we count as open, for the dashboard, tests and benchmarks. */
  async routingStatus(): Promise<{ state: RoutingState; shadow: RoutingState; nextSlaAt: number | null }> {
    const store = this.routing();
    return { state: store.state("live"), shadow: store.state("shadow"), nextSlaAt: store.nextDueAt() };
  }

  async openLead(leadId: string): Promise<OpenLead | null> {
    return this.routing().openLead(leadId);
  }

  /** SLA timers: checks every due lead, then sleeps until the next one. */
  override async alarm(): Promise<void> {
    const store = this.routing();
    const env = this.env;
    try {
      await runSlaChecks(store, {
        db: env.DB,
        now: Date.now(),
        log: createLogger({ component: "sla" }),
        settingsFor: async (key: PortalKey) => (await loadSettings(env.DB, key)).settings,
        crmFor: (key, settings) => crmForPortal(env, key, settings, getAccessToken),
        router: { routeLead: async (req) => this.routeLead(req), releaseLead: async (id) => store.release(id) },
      });
    } catch (cause) {
      createLogger({ component: "sla" }).error("sla_check_failed", { error: String(cause) });
      await this.ctx.storage.setAlarm(Date.now() + SLA_RETRY_MS);
      return;
    }
    await this.armSlaAlarm(true);
  }

  private async armSlaAlarm(replace = false): Promise<void> {
    const next = this.routing().nextDueAt();
    const current = await this.ctx.storage.getAlarm();
    if (next === null) {
      if (replace && current !== null) await this.ctx.storage.deleteAlarm();
      return;
    }
    if (replace || current === null || next < current) await this.ctx.storage.setAlarm(next);
  }

  async budgetStatus(): Promise<{ inWindow: number; daily: { key: string; used: number } }> {
    const budget = await this.loadBudget();
    return { inWindow: budget.inWindow(Date.now()), daily: budget.daily };
  }
}
