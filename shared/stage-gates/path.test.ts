import { describe, expect, it } from "vitest";
import type { PropertyHistoryEntry } from "../crm-port.ts";
import { type EntryStanding, historyUntil, newestFirst, stageHeldBefore } from "./path.ts";

const entry = (value: string, ms: number): PropertyHistoryEntry => ({
  value,
  timestamp: new Date(ms).toISOString(),
  sourceType: "CRM_UI",
  sourceId: "userId:7",
});

/** Stages in pipeline order; a move "stands" unless it skips a stage listed in `unmet`. */
const ORDER = ["A", "B", "C", "D"];
const skipsUnmet = (unmet: string[]) => (from: string | null, to: PropertyHistoryEntry) => {
  const fromPos = ORDER.indexOf(from ?? "A");
  const passed = ORDER.slice(fromPos, Math.max(fromPos, ORDER.indexOf(to.value ?? "")));
  return !passed.some((s) => unmet.includes(s));
};

describe("stageHeldBefore", () => {
  const cases: Array<{
    name: string;
    path: string[];
    settled?: Record<string, EntryStanding>;
    unmet?: string[];
    held: string | null;
  }> = [
    { name: "a deal created in its stage held nothing before", path: ["A"], held: null },
    { name: "a single move counts from the stage before it", path: ["A", "B"], held: "A" },
    { name: "an unjudged skip then another move counts from before the skip", path: ["A", "C", "D"], unmet: ["B"], held: "A" },
    { name: "unjudged moves that each meet the criteria count from the last of them", path: ["A", "B", "C", "D"], held: "C" },
    {
      name: "a recorded blocked move that was never reverted counts from its revert target",
      path: ["A", "C", "D"],
      settled: { C: { kind: "settled", stageId: "A" } },
      held: "A",
    },
    {
      name: "a settled entry stops the walk: what came before it is not judged again",
      path: ["A", "C", "D"],
      settled: { C: { kind: "settled", stageId: "C" } },
      unmet: ["B"],
      held: "C",
    },
    {
      name: "a backward move by the rep after an unjudged skip counts from before the skip",
      path: ["A", "C", "B"],
      unmet: ["B"],
      held: "A",
    },
  ];
  it.each(cases)("$name", ({ path, settled = {}, unmet = [], held }) => {
    const entries = newestFirst(path.map((stage, i) => entry(stage, 1_000 + i * 10)));
    const standing = (e: PropertyHistoryEntry): EntryStanding => settled[e.value ?? ""] ?? { kind: "unjudged" };
    expect(stageHeldBefore(entries, standing, skipsUnmet(unmet))).toBe(held);
  });
});

describe("history helpers", () => {
  it("orders entries newest first whether timestamps are ISO dates or ms strings", () => {
    const mixed = [entry("A", 1_000), { ...entry("C", 0), timestamp: "3000" }, entry("B", 2_000)];
    expect(newestFirst(mixed).map((e) => e.value)).toEqual(["C", "B", "A"]);
  });

  it("cuts every property's history at a moment", () => {
    const history = { dealstage: [entry("B", 2_000), entry("A", 1_000)], amount: [entry("5", 3_000)] };
    expect(historyUntil(history, 2_000)).toEqual({ dealstage: history.dealstage, amount: [] });
    expect(historyUntil(history, 1_500).dealstage?.map((e) => e.value)).toEqual(["A"]);
  });
});
