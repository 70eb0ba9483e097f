import type { Deal } from "../domain/types.ts";
import { ReportBuilder } from "./builder.ts";
import { checkText, present } from "./checks.ts";
import { completeness, composeReport, consistency, freshness, parseInstant, uniqueness, validity } from "./score.ts";
import type { HygieneSettings } from "./settings.ts";
import type { HygieneContext, HygieneReport } from "./types.ts";

const DAY_MS = 86_400_000;

/** A deal field by domain name, or any deal property by its CRM name. */
export function dealValue(d: Deal, field: string): string | null {
  const v = (d as unknown as Record<string, unknown>)[field];
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (v === undefined) return d.properties[field] ?? null;
  return null;
}

/** Scores one deal 0–100 with its breakdown and findings (pure; see `scoreContact`). */
export function scoreDeal(deal: Deal, settings: HygieneSettings, context: HygieneContext): HygieneReport {
  const b = new ReportBuilder();
  checkText(b, "name", deal.name);
  if (deal.amount !== null) {
    b.checked("amount");
    b.normalized.amount = String(deal.amount);
    if (!Number.isFinite(deal.amount) || deal.amount < 0) b.add("amount_invalid", "amount", `An amount of ${deal.amount} is below zero.`);
  }
  checkCloseDate(b, deal, context);
  const outcomes = [
    completeness(b, settings.required.deals, (f) => present(dealValue(deal, f)) !== null),
    validity(b),
    consistency(b),
    freshness(b, "updatedAt", parseInstant(deal.updatedAt) ?? parseInstant(deal.createdAt), context.now, settings.freshnessHorizonDays),
    uniqueness(b, context.duplicateSuspects),
  ];
  return composeReport("deals", deal.id, b, outcomes, settings);
}

function checkCloseDate(b: ReportBuilder, deal: Deal, context: HygieneContext): void {
  if (present(deal.closeDate) === null) return;
  b.checked("closeDate");
  const close = parseInstant(deal.closeDate);
  if (close === null) {
    b.add("date_invalid", "closeDate", `"${deal.closeDate}" is not a date.`);
    return;
  }
  b.normalized.closeDate = new Date(close).toISOString().slice(0, 10);
  // Close dates are whole days: today is not "past".
  if (context.dealIsClosed !== undefined && !context.dealIsClosed) {
    const passed = Math.floor(close / DAY_MS) < Math.floor(context.now / DAY_MS);
    b.consistent("close date ahead of an open deal", !passed, {
      code: "close_date_passed",
      field: "closeDate",
      message: `The deal is open but its close date ${b.normalized.closeDate} has passed.`,
    });
  }
  const created = parseInstant(deal.createdAt);
  if (created !== null) {
    b.consistent("close date after creation", Math.floor(close / DAY_MS) >= Math.floor(created / DAY_MS), {
      code: "close_date_before_created",
      field: "closeDate",
      message: `The close date ${b.normalized.closeDate} is before the deal was created.`,
    });
  }
}
