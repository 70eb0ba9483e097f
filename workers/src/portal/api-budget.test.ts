import { describe, expect, it } from "vitest";
import { ApiBudget, HUBSPOT_OAUTH_LIMITS } from "./api-budget.ts";

describe("ApiBudget", () => {
  it("grants 110 calls in a rolling 10 s window and refuses the 111th until the oldest leaves", () => {
    const budget = new ApiBudget(HUBSPOT_OAUTH_LIMITS);
    for (let i = 0; i < 110; i++) expect(budget.reserve("general", 1, 1_000 + i).granted).toBe(true);
    const refused = budget.reserve("general", 1, 1_200);
    expect(refused).toMatchObject({ granted: false, reason: "window" });
    if (refused.granted) throw new Error("unreachable");
    expect(refused.retryAfterMs).toBe(1_000 + 10_000 - 1_200 + 1);
    expect(budget.reserve("general", 1, 1_200 + refused.retryAfterMs).granted).toBe(true);
  });

  it("limits searches to 5 per second while they also count against the window", () => {
    const budget = new ApiBudget(HUBSPOT_OAUTH_LIMITS);
    for (let i = 0; i < 5; i++) expect(budget.reserve("search", 1, 0).granted).toBe(true);
    expect(budget.reserve("search", 1, 500)).toMatchObject({ granted: false, reason: "search" });
    expect(budget.reserve("general", 1, 500).granted).toBe(true);
    expect(budget.inWindow(500)).toBe(6);
    expect(budget.reserve("search", 1, 1_001).granted).toBe(true);
  });

  it("stops at the daily cap and resets at the next UTC day", () => {
    const budget = new ApiBudget({ ...HUBSPOT_OAUTH_LIMITS, perDay: 3 });
    const noon = Date.UTC(2026, 10, 23, 12);
    expect(budget.reserve("general", 3, noon).granted).toBe(true);
    const refused = budget.reserve("general", 1, noon + 20_000);
    expect(refused).toMatchObject({ granted: false, reason: "daily" });
    expect(budget.reserve("general", 1, Date.UTC(2026, 10, 24, 0, 0, 1)).granted).toBe(true);
  });

  it("reserves a batch of calls atomically or not at all", () => {
    const budget = new ApiBudget(HUBSPOT_OAUTH_LIMITS);
    expect(budget.reserve("general", 100, 0).granted).toBe(true);
    expect(budget.reserve("general", 20, 1).granted).toBe(false);
    expect(budget.inWindow(1)).toBe(100);
  });
});
