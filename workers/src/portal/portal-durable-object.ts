import { DurableObject } from "cloudflare:workers";
import { ApiBudget, type BudgetKind, type BudgetLimits, HUBSPOT_OAUTH_LIMITS, type Reservation } from "./api-budget.ts";

const DAILY_KEY = "budget:daily";

/**
 * One instance per portal (or Salesforce org), named by its portal key. Holds what must be consistent across
 * concurrent consumers: the CRM API budget now; round-robin pointers and SLA alarms as routing lands.
 */
export class PortalDurableObject extends DurableObject<Env> {
  private budget: ApiBudget | undefined;

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
    await this.ctx.storage.deleteAll();
    this.budget = undefined;
  }

  async budgetStatus(): Promise<{ inWindow: number; daily: { key: string; used: number } }> {
    const budget = await this.loadBudget();
    return { inWindow: budget.inWindow(Date.now()), daily: budget.daily };
  }
}
