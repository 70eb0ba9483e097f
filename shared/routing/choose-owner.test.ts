import { describe, expect, it } from "vitest";
import { chooseOwner } from "./choose-owner.ts";
import { lead, MONDAY_0900_UTC, rep, routingSettings, singleQueue } from "./fixtures.ts";
import type { RoutingSettings } from "./settings.ts";
import { applyRoutingUpdate, emptyRoutingState, type RoutingState } from "./state.ts";
import type { RoutingContext, RoutingDecision } from "./types.ts";

function decide(settings: RoutingSettings, state = emptyRoutingState(), context: RoutingContext = {}, props = {}, now = MONDAY_0900_UTC) {
  const result = chooseOwner(lead("L1", props), context, settings, state, now);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Routes `n` leads in a row, applying each update, and returns who got them. */
function sequence(
  settings: RoutingSettings,
  n: number,
  start: RoutingState = emptyRoutingState(),
): { owners: (string | null)[]; state: RoutingState } {
  let state = start;
  const owners: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const d = decide(settings, state);
    owners.push(d.ownerId);
    if (d.update) state = applyRoutingUpdate(state, d.update);
  }
  return { owners, state };
}

describe("strategies", () => {
  it("round robin takes members in turn", () => {
    expect(sequence(singleQueue("round_robin", [rep("a"), rep("b"), rep("c")]), 7).owners).toEqual(["a", "b", "c", "a", "b", "c", "a"]);
  });

  it("round robin skips an unavailable member without losing its place", () => {
    const settings = singleQueue("round_robin", [rep("a"), rep("b", { active: false }), rep("c")]);
    expect(sequence(settings, 4).owners).toEqual(["a", "c", "a", "c"]);
  });

  it("weighted round robin interleaves by weight rather than in bursts", () => {
    const settings = singleQueue("weighted_round_robin", [rep("a", { weight: 3 }), rep("b", { weight: 2 }), rep("c", { weight: 1 })]);
    expect(sequence(settings, 12).owners).toEqual(["a", "b", "a", "c", "b", "a", "a", "b", "a", "c", "b", "a"]);
  });

  it("weighted round robin gives shares equal to weights over a whole cycle", () => {
    const settings = singleQueue("weighted_round_robin", [rep("a", { weight: 5 }), rep("b", { weight: 1 }), rep("c", { weight: 0.5 })]);
    const { owners } = sequence(settings, 130);
    const count = (id: string) => owners.filter((o) => o === id).length;
    expect([count("a"), count("b"), count("c")]).toEqual([100, 20, 10]);
  });

  it("load balanced picks the fewest open leads and breaks ties by rotation", () => {
    const settings = singleQueue("load_balanced", [rep("a"), rep("b"), rep("c")]);
    const state = { ...emptyRoutingState(), openLeads: { a: 5, b: 2, c: 2 } };
    expect(sequence(settings, 7, state).owners).toEqual(["b", "c", "b", "c", "b", "c", "a"]);
  });

  it("load balanced counts the leads it assigns as open", () => {
    const settings = singleQueue("load_balanced", [rep("a"), rep("b")]);
    const { state } = sequence(settings, 4);
    expect(state.openLeads).toEqual({ a: 2, b: 2 });
  });
});

const DAY = "2026-11-23";

describe("rep eligibility", () => {
  it.each<[string, Record<string, unknown>, Partial<RoutingState>, RoutingContext, string]>([
    [
      "outside working hours in their zone",
      { timeZone: "America/New_York", workingHours: {} },
      {},
      {},
      "off hours in America/New_York (Mon 2026-11-23 04:00)",
    ],
    [
      "on time off",
      { timeOff: [{ start: "2026-11-23", end: "2026-11-27", reason: "vacation" }] },
      {},
      {},
      "on time off 2026-11-23 to 2026-11-27 (vacation)",
    ],
    ["at the daily cap", { dailyCap: 2 }, { assignedToday: { a: { day: DAY, count: 2 } } }, {}, "daily cap reached (2 of 2 today)"],
    [
      "archived in the CRM",
      {},
      {},
      {
        owners: [
          { id: "a", archived: true },
          { id: "b", archived: false },
        ],
      },
      "archived in the CRM",
    ],
    [
      "deactivated in the CRM",
      {},
      {},
      {
        owners: [
          { id: "a", archived: false, deactivated: true },
          { id: "b", archived: false },
        ],
      },
      "deactivated in the CRM",
    ],
    ["missing from the CRM's owners", {}, {}, { owners: [{ id: "b", archived: false }] }, "not in the CRM's owner list"],
    ["marked inactive", { active: false }, {}, {}, "marked inactive in routing settings"],
  ])("skips a rep %s and says so", (_name, over, state, context, reason) => {
    const settings = singleQueue("round_robin", [rep("a", over), rep("b")]);
    const d = decide(settings, { ...emptyRoutingState(), ...state }, context);
    expect(d.ownerId).toBe("b");
    const a = d.queues[0]?.candidates.find((c) => c.ownerId === "a");
    expect(a?.eligible).toBe(false);
    expect(a?.reasons).toContain(reason);
    expect(d.queues[0]?.candidates.find((c) => c.ownerId === "b")?.reasons).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, Partial<RoutingState>, Date]>([
    ["a cap counted on an earlier day", { dailyCap: 2 }, { assignedToday: { a: { day: "2026-11-22", count: 2 } } }, MONDAY_0900_UTC],
    // 12:00 UTC on the 23rd is already the 24th in Auckland, so yesterday's count no longer applies there.
    [
      "a cap counted on the rep's previous local day",
      { dailyCap: 1, timeZone: "Pacific/Auckland" },
      { assignedToday: { a: { day: DAY, count: 1 } } },
      new Date("2026-11-23T12:00:00Z"),
    ],
    ["time off that ended yesterday", { timeOff: [{ start: "2026-11-16", end: "2026-11-22" }] }, {}, MONDAY_0900_UTC],
    ["hours in their own zone", { timeZone: "Europe/Berlin", workingHours: { mon: ["10:00-11:00"] } }, {}, MONDAY_0900_UTC],
  ])("keeps a rep with %s", (_name, over, state, now) => {
    const settings = singleQueue("round_robin", [rep("a", over), rep("b")]);
    expect(decide(settings, { ...emptyRoutingState(), ...state }, {}, {}, now).ownerId).toBe("a");
  });

  it("stops giving a capped rep leads once the cap is reached that day", () => {
    const settings = singleQueue("round_robin", [rep("a", { dailyCap: 2 }), rep("b")]);
    expect(sequence(settings, 6).owners).toEqual(["a", "b", "a", "b", "b", "b"]);
  });
});

const ACME = { id: "c1", domain: "https://www.acme.com/", name: "Acme Inc.", ownerId: "7" };
const accountSettings = (accountMatching: Record<string, unknown> = {}) =>
  routingSettings({
    reps: [rep("a"), rep("7", { workingHours: {} })],
    queues: [{ id: "q", members: ["a"] }],
    rules: [{ id: "all", queue: "q" }],
    accountMatching,
  });

describe("lead-to-account matching", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, RoutingContext, string | null]>([
    ["matches the email's registrable domain", {}, { email: "jo@eu.acme.com" }, { companies: [ACME] }, "7"],
    ["matches the company name without legal forms", {}, { company: "ACME, LLC" }, { companies: [ACME] }, "7"],
    ["ignores free mail domains", {}, { email: "jo@gmail.com" }, { companies: [{ ...ACME, domain: "gmail.com" }] }, "a"],
    [
      "can match free mail domains when told to",
      { ignoreFreeEmailDomains: false },
      { email: "jo@gmail.com" },
      { companies: [{ ...ACME, domain: "gmail.com" }] },
      "7",
    ],
    ["does not match by name when that is off", { byCompanyName: false }, { company: "Acme" }, { companies: [ACME] }, "a"],
    ["does not match by domain when that is off", { byEmailDomain: false }, { email: "jo@acme.com" }, { companies: [ACME] }, "a"],
    ["is skipped when switched off", { enabled: false }, { email: "jo@acme.com" }, { companies: [ACME] }, "a"],
    ["skips a company without an owner", {}, { email: "jo@acme.com" }, { companies: [{ ...ACME, ownerId: null }] }, "a"],
    [
      "skips an archived account owner",
      {},
      { email: "jo@acme.com" },
      {
        companies: [ACME],
        owners: [
          { id: "7", archived: true },
          { id: "a", archived: false },
        ],
      },
      "a",
    ],
    ["gives an account owner the lead off hours by default", {}, { email: "jo@acme.com" }, { companies: [ACME] }, "7"],
    ["checks the account owner's hours when asked", { respectAvailability: true }, { email: "jo@acme.com" }, { companies: [ACME] }, "a"],
    [
      "prefers a domain match over a name match",
      {},
      { email: "jo@acme.com", company: "Acme" },
      { companies: [{ id: "c0", domain: "acme-old.com", name: "Acme", ownerId: "8" }, ACME] },
      "7",
    ],
    [
      "uses the next matching company whose owner can take it",
      {},
      { email: "jo@acme.com" },
      {
        companies: [
          { ...ACME, ownerId: null },
          { ...ACME, id: "c9", ownerId: "9" },
        ],
      },
      "9",
    ],
  ])("%s", (_name, matching, props, context, owner) => {
    const d = decide(accountSettings(matching), emptyRoutingState(), context, props);
    expect(d.ownerId).toBe(owner);
    expect(d.via).toBe(owner === "a" ? "rule" : "account");
    expect(d.reasons[0]).toBe(d.account.reason);
  });

  it("explains an account match and counts it toward the owner's day and load, not a queue's rotation", () => {
    const d = decide(accountSettings(), emptyRoutingState(), { companies: [ACME] }, { email: "jo@acme.com" });
    expect(d.account.reason).toBe("company c1: email domain matches https://www.acme.com/; owner 7 takes the lead");
    expect(d.rules).toEqual([]);
    expect(d.update).toEqual({
      ownerId: "7",
      queueId: null,
      lastAssigned: null,
      weightedCurrent: null,
      assignedToday: { day: DAY, count: 1 },
      openLeads: 1,
    });
  });

  it("says why an account owner could not take the lead", () => {
    const d = decide(
      accountSettings(),
      emptyRoutingState(),
      {
        companies: [ACME],
        owners: [
          { id: "7", archived: true },
          { id: "a", archived: false },
        ],
      },
      { email: "jo@acme.com" },
    );
    expect(d.account.matches[0]?.reason).toContain("owner 7 cannot take it: archived in the CRM");
    expect(d.account.reason).toBe("1 matching company has no owner who can take the lead");
  });

  it("lets company conditions read the matched company when no associated company is given", () => {
    const settings = routingSettings({
      reps: [rep("a"), rep("b")],
      queues: [
        { id: "acme", members: ["a"] },
        { id: "rest", members: ["b"] },
      ],
      rules: [
        { id: "acme-domain", queue: "acme", conditions: [{ property: "domain", source: "company", operator: "eq", value: "acme.com" }] },
      ],
      fallbackQueue: "rest",
    });
    const context = { companies: [{ id: "c1", domain: "acme.com", name: "Acme", ownerId: null }] };
    expect(decide(settings, emptyRoutingState(), context, { email: "x@acme.com" }).ruleId).toBe("acme-domain");
    expect(decide(settings, emptyRoutingState(), {}, { email: "x@acme.com" }).via).toBe("fallback");
  });
});

const territorySettings = (extra: Record<string, unknown> = {}) =>
  routingSettings({
    reps: [rep("w1", { workingHours: {} }), rep("p1")],
    queues: [
      { id: "west", members: ["w1"] },
      { id: "pool", members: ["p1"] },
    ],
    rules: [{ id: "west", queue: "west", conditions: [{ property: "state", operator: "in", value: ["CA", "WA"] }] }],
    fallbackQueue: "pool",
    accountMatching: { enabled: false },
    ...extra,
  });

describe("fallback queue", () => {
  const last = (d: RoutingDecision) => d.reasons[d.reasons.length - 1];

  it("takes leads no rule matches", () => {
    const d = decide(territorySettings(), emptyRoutingState(), {}, { state: "NY" });
    expect([d.via, d.queueId, d.ruleId, d.ownerId]).toEqual(["fallback", "pool", null, "p1"]);
    expect(d.reasons).toContain("none of 1 rules matched; using the fallback queue pool");
  });

  it("takes leads whose matched queue has nobody available", () => {
    const d = decide(territorySettings(), emptyRoutingState(), {}, { state: "CA" });
    expect([d.via, d.queueId, d.ruleId, d.ownerId]).toEqual(["fallback", "pool", "west", "p1"]);
    expect(d.queues.map((q) => [q.queueId, q.via, q.chosen])).toEqual([
      ["west", "rule", null],
      ["pool", "fallback", "p1"],
    ]);
    expect(d.queues[0]?.reason).toContain("no rep available (w1: off hours in UTC");
  });

  it("leaves the lead unassigned when told not to overflow", () => {
    const d = decide(territorySettings({ whenNoRepAvailable: "leave_unassigned" }), emptyRoutingState(), {}, { state: "CA" });
    expect([d.outcome, d.ownerId, d.update]).toEqual(["unassigned", null, null]);
    expect(last(d)).toBe("left unassigned: no rep available in any queue tried");
  });

  it("leaves the lead unassigned when no rule matches and there is no fallback", () => {
    const d = decide(territorySettings({ fallbackQueue: null }), emptyRoutingState(), {}, { state: "NY" });
    expect([d.outcome, d.queues.length, last(d)]).toEqual(["unassigned", 0, "left unassigned: no queue to try"]);
  });
});

describe("the decision record", () => {
  const settings = singleQueue("weighted_round_robin", [rep("a"), rep("b")]);

  it("carries speed to lead, the SLA deadline and the state update", () => {
    const d = decide(settings, emptyRoutingState(), {}, { createdate: "2026-11-23T08:59:58.500Z" });
    expect(d.speedToLeadMs).toBe(1500);
    expect(d.slaDueAt).toBe("2026-11-23T09:30:00.000Z");
    expect(d.update).toEqual({
      ownerId: "a",
      queueId: "q",
      lastAssigned: { queueId: "q", ownerId: "a" },
      weightedCurrent: { queueId: "q", values: { a: -1, b: 1 } },
      assignedToday: { day: DAY, count: 1 },
      openLeads: 1,
    });
  });

  it("accepts HubSpot's epoch-millisecond creation time", () => {
    expect(decide(settings, emptyRoutingState(), {}, { createdate: String(MONDAY_0900_UTC.getTime() - 250) }).speedToLeadMs).toBe(250);
  });

  it("sets absolute values, so applying an update twice changes nothing more", () => {
    const d = decide(settings);
    const once = applyRoutingUpdate(emptyRoutingState(), d.update ?? expect.fail("assigned"));
    expect(applyRoutingUpdate(once, d.update ?? expect.fail("assigned"))).toEqual(once);
  });

  it("ends its reason chain with the owner", () => {
    expect(decide(settings).reasons).toEqual([
      "lead-to-account matching is off",
      "rule all has no conditions: matches every lead",
      "queue q: weighted round robin: highest running weight (weight 1, 50% of available weight): a Rep a",
      "assigned to a Rep a",
    ]);
  });

  it("refuses an invalid decision time", () => {
    const r = chooseOwner(lead("L1"), {}, settings, emptyRoutingState(), new Date("nope"));
    expect(r.ok === false && r.error.code).toBe("invalid_time");
  });
});
