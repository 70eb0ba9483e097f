import { describe, expect, it } from "vitest";
import type { RecordHistory } from "../crm-port.ts";
import { historyOf, makeDeal, NOW } from "./fixtures.ts";
import { checkPredicate, type PredicateContext } from "./predicates.ts";
import { type Predicate, PredicateSchema } from "./settings.ts";

const ctx = (props: Record<string, string | null>, over: Partial<PredicateContext> = {}): PredicateContext => ({
  deal: makeDeal(props),
  history: {},
  now: NOW,
  enteredAt: null,
  stageLabel: "Qualified To Buy",
  ...over,
});

const check = (p: Predicate, props: Record<string, string | null>) => checkPredicate(PredicateSchema.parse(p), ctx(props));

describe("value predicates", () => {
  it.each<[string, Predicate, Record<string, string | null>, boolean, string]>([
    ["not_empty: a filled property", { op: "not_empty", property: "amount" }, { amount: "5000" }, true, 'Amount is "5000"'],
    ["not_empty: a missing property", { op: "not_empty", property: "amount" }, {}, false, "Amount is empty"],
    [
      "not_empty: whitespace counts as empty",
      { op: "not_empty", property: "hs_next_step" },
      { hs_next_step: "  " },
      false,
      "Next step is empty",
    ],
    [
      "equals: the same value in another case",
      { op: "equals", property: "dealtype", value: "newbusiness" },
      { dealtype: "NewBusiness" },
      true,
      'Deal type is "NewBusiness"',
    ],
    [
      "equals: another value",
      { op: "equals", property: "dealtype", value: "newbusiness" },
      { dealtype: "existingbusiness" },
      false,
      'Deal type is "existingbusiness" (needs "newbusiness")',
    ],
    ["equals: empty", { op: "equals", property: "dealtype", value: "newbusiness" }, {}, false, 'Deal type is empty (needs "newbusiness")'],
    [
      "one_of: a listed value",
      { op: "one_of", property: "hs_priority", values: ["high", "medium"] },
      { hs_priority: "medium" },
      true,
      'Priority is "medium"',
    ],
    [
      "one_of: an unlisted value",
      { op: "one_of", property: "hs_priority", values: ["high", "medium"] },
      { hs_priority: "low" },
      false,
      'Priority is "low" (needs one of "high", "medium")',
    ],
    [
      "number_at_least: above the minimum",
      { op: "number_at_least", property: "amount", min: 1000 },
      { amount: "1500.50" },
      true,
      "Amount is 1500.5",
    ],
    [
      "number_at_least: exactly the minimum",
      { op: "number_at_least", property: "amount", min: 1000 },
      { amount: "1,000" },
      true,
      "Amount is 1000",
    ],
    [
      "number_at_least: below the minimum",
      { op: "number_at_least", property: "amount", min: 1000 },
      { amount: "999" },
      false,
      "Amount is 999, below 1000",
    ],
    [
      "number_at_least: not a number",
      { op: "number_at_least", property: "amount", min: 1000 },
      { amount: "lots" },
      false,
      'Amount is not a number ("lots")',
    ],
    [
      "number_at_least: empty",
      { op: "number_at_least", property: "amount", min: 1000 },
      {},
      false,
      "Amount is empty (needs at least 1000)",
    ],
    [
      "date_in_future: a later date-time",
      { op: "date_in_future", property: "closedate" },
      { closedate: "2026-04-01T15:30:00Z" },
      true,
      "Close date is 2026-04-01 15:30 UTC",
    ],
    [
      "date_in_future: an earlier date-time",
      { op: "date_in_future", property: "closedate" },
      { closedate: "2026-03-10T11:00:00Z" },
      false,
      "Close date 2026-03-10 11:00 UTC is in the past",
    ],
    [
      "date_in_future: today as a whole day",
      { op: "date_in_future", property: "closedate" },
      { closedate: "2026-03-10" },
      true,
      "Close date is 2026-03-10",
    ],
    [
      "date_in_future: HubSpot epoch-ms date of yesterday",
      { op: "date_in_future", property: "closedate" },
      { closedate: String(Date.parse("2026-03-09")) },
      false,
      "Close date 2026-03-09 is in the past",
    ],
    [
      "date_in_future: not a date",
      { op: "date_in_future", property: "closedate" },
      { closedate: "next quarter" },
      false,
      'Close date is not a date ("next quarter")',
    ],
    [
      "date_in_past: an earlier day",
      { op: "date_in_past", property: "demo_date" },
      { demo_date: "2026-03-01" },
      true,
      "Demo date is 2026-03-01",
    ],
    [
      "date_in_past: today is not past yet",
      { op: "date_in_past", property: "demo_date" },
      { demo_date: "2026-03-10" },
      false,
      "Demo date 2026-03-10 is not in the past yet",
    ],
    ["date_in_past: empty", { op: "date_in_past", property: "demo_date" }, {}, false, "Demo date is empty"],
  ])("%s", (_name, predicate, props, met, reason) => {
    const o = check(predicate, props);
    expect({ met: o.met, reason: o.reason }).toEqual({ met, reason });
  });

  it("reads the typed amount and close date when the properties map lacks them", () => {
    const deal = { ...makeDeal({}), amount: 2500, closeDate: "2026-06-30" };
    const o = checkPredicate({ op: "number_at_least", property: "amount", min: 2000 }, { ...ctx({}), deal });
    expect(o).toMatchObject({ met: true, reason: "Amount is 2500" });
  });

  it("uses the CRM's property label and the admin's wording when given", () => {
    const o = checkPredicate(
      { op: "not_empty", property: "x_budget_holder", label: "Budget holder named" },
      { ...ctx({}), propertyLabels: { x_budget_holder: "Budget holder" } },
    );
    expect(o).toEqual({ label: "Budget holder named", met: false, reason: "Budget holder is empty" });
  });
});

describe("changed since the deal entered the stage", () => {
  const entered = Date.parse("2026-03-01T09:00:00Z");
  const p: Predicate = { op: "changed_since_stage_entered", property: "hs_next_step" };
  const run = (history: RecordHistory, enteredAt: number | null = entered) =>
    checkPredicate(p, ctx({ hs_next_step: "Send proposal" }, { history, enteredAt }));

  it.each<[string, RecordHistory, boolean, string]>([
    [
      "a new value after entering",
      historyOf({
        hs_next_step: [
          ["2026-02-20T10:00:00Z", "Book demo"],
          ["2026-03-05T10:00:00Z", "Send proposal"],
        ],
      }),
      true,
      "Next step was updated on 2026-03-05 10:00 UTC",
    ],
    [
      "the last change before entering",
      historyOf({ hs_next_step: [["2026-02-20T10:00:00Z", "Send proposal"]] }),
      false,
      "Next step has not changed since the deal entered Qualified To Buy on 2026-03-01 09:00 UTC",
    ],
    [
      "the same value written again after entering",
      historyOf({
        hs_next_step: [
          ["2026-03-04T10:00:00Z", "Send proposal"],
          ["2026-02-20T10:00:00Z", "Send proposal"],
        ],
      }),
      false,
      "Next step has not changed since the deal entered Qualified To Buy on 2026-03-01 09:00 UTC",
    ],
    [
      "a first value set after entering",
      historyOf({ hs_next_step: [["2026-03-02T08:00:00Z", "Send proposal"]] }),
      true,
      "Next step was updated on 2026-03-02 08:00 UTC",
    ],
    ["no history at all", {}, false, "Next step has not changed since the deal entered Qualified To Buy on 2026-03-01 09:00 UTC"],
  ])("%s", (_name, history, met, reason) => {
    expect(run(history)).toMatchObject({ met, reason });
  });

  it("counts as not updated when the entry into the stage is unknown", () => {
    const o = run(historyOf({ hs_next_step: [["2026-03-05T10:00:00Z", "Send proposal"]] }), null);
    expect(o).toMatchObject({
      met: false,
      reason: "Cannot tell when the deal entered Qualified To Buy, so Next step counts as not updated",
    });
  });
});
