import { describe, expect, it } from "vitest";
import { ALWAYS, rep } from "./fixtures.ts";
import { defaultRoutingSettings, parseRoutingSettings } from "./settings.ts";

describe("routing settings defaults", () => {
  it("parses {} to no reps, queues or rules, account matching on and a 30-minute SLA", () => {
    expect(defaultRoutingSettings()).toEqual({
      reps: [],
      queues: [],
      rules: [],
      fallbackQueue: null,
      whenNoRepAvailable: "fallback_queue",
      accountMatching: {
        enabled: true,
        byEmailDomain: true,
        byCompanyName: true,
        ignoreFreeEmailDomains: true,
        respectAvailability: false,
      },
      slaMinutes: 30,
    });
  });

  it("gives a rep Monday to Friday 09:00-17:00, weight 1, no cap, active, no time off", () => {
    const parsed = parseRoutingSettings({ reps: [{ ownerId: "1", name: "Ana", timeZone: "Europe/Berlin" }] });
    expect(parsed.ok && parsed.value.reps[0]).toEqual({
      ownerId: "1",
      name: "Ana",
      timeZone: "Europe/Berlin",
      workingHours: {
        sun: [],
        mon: ["09:00-17:00"],
        tue: ["09:00-17:00"],
        wed: ["09:00-17:00"],
        thu: ["09:00-17:00"],
        fri: ["09:00-17:00"],
        sat: [],
      },
      timeOff: [],
      weight: 1,
      dailyCap: null,
      active: true,
      managerOwnerId: null,
    });
  });

  it("treats days left out of given working hours as not worked", () => {
    const parsed = parseRoutingSettings({ reps: [{ ownerId: "1", name: "Ana", timeZone: "UTC", workingHours: { sat: ["10:00-14:00"] } }] });
    expect(parsed.ok && parsed.value.reps[0]?.workingHours).toEqual({
      sun: [],
      mon: [],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: ["10:00-14:00"],
    });
  });

  it("gives a queue round robin and a condition the contact as its source", () => {
    const parsed = parseRoutingSettings({
      reps: [rep("1")],
      queues: [{ id: "q", members: ["1"] }],
      rules: [{ id: "r", queue: "q", conditions: [{ property: "country", operator: "eq", value: "US" }] }],
    });
    expect(parsed.ok && parsed.value.queues[0]?.strategy).toBe("round_robin");
    expect(parsed.ok && parsed.value.rules[0]?.conditions[0]?.source).toBe("contact");
  });
});

const valid = { reps: [rep("1"), rep("2")], queues: [{ id: "q", members: ["1", "2"] }], rules: [{ id: "r", queue: "q" }] };
const withRep = (over: Record<string, unknown>) => ({ ...valid, reps: [rep("1", over), rep("2")] });
const withRule = (condition: unknown) => ({ ...valid, rules: [{ id: "r", queue: "q", conditions: [condition] }] });

describe("invalid routing settings are rejected with the reason and its path", () => {
  it.each<[string, unknown, string, string]>([
    ["a queue with no reps", { ...valid, queues: [{ id: "q", members: [] }] }, "queues.0.members", "at least one rep"],
    ["a queue member who is not a rep", { ...valid, queues: [{ id: "q", members: ["1", "9"] }] }, "queues.0.members.1", 'unknown rep "9"'],
    ["a rep listed twice in a queue", { ...valid, queues: [{ id: "q", members: ["1", "1"] }] }, "queues.0.members.1", "listed twice"],
    ["a rule pointing at an unknown queue", { ...valid, rules: [{ id: "r", queue: "emea" }] }, "rules.0.queue", 'unknown queue "emea"'],
    ["an unknown fallback queue", { ...valid, fallbackQueue: "nowhere" }, "fallbackQueue", 'unknown queue "nowhere"'],
    ["two reps with one owner id", { ...valid, reps: [rep("1"), rep("1"), rep("2")] }, "reps.1.ownerId", 'rep "1" is listed twice'],
    ["two queues with one id", { ...valid, queues: [valid.queues[0], valid.queues[0]] }, "queues.1.id", 'queue "q" is listed twice'],
    [
      "an unknown contact property",
      withRule({ property: "favourite_colour", operator: "eq", value: "red" }),
      "rules.0.conditions.0.property",
      'unknown contact property "favourite_colour"',
    ],
    [
      "a contact property used as a company property",
      withRule({ property: "hs_lead_source", source: "company", operator: "eq", value: "x" }),
      "rules.0.conditions.0.property",
      'unknown company property "hs_lead_source"',
    ],
    ["an unknown operator", withRule({ property: "country", operator: "contains", value: "x" }), "rules.0.conditions.0.operator", ""],
    [
      "a numeric operator on a text property",
      withRule({ property: "country", operator: "gte", value: 3 }),
      "rules.0.conditions.0.operator",
      '"country" is not numeric',
    ],
    [
      "between with min above max",
      withRule({ property: "numberofemployees", operator: "between", value: [500, 50] }),
      "rules.0.conditions.0.value",
      "min <= max",
    ],
    ["in with no values", withRule({ property: "state", operator: "in", value: [] }), "rules.0.conditions.0.value", "at least one value"],
    ["a bad time zone", withRep({ timeZone: "Mars/Olympus_Mons" }), "reps.0.timeZone", "IANA time zone"],
    ["malformed hours", withRep({ workingHours: { ...ALWAYS, mon: ["9-5"] } }), "reps.0.workingHours.mon.0", "HH:MM-HH:MM"],
    [
      "hours ending before they start",
      withRep({ workingHours: { mon: ["17:00-09:00"] } }),
      "reps.0.workingHours.mon.0",
      "start before end",
    ],
    ["hours past midnight", withRep({ workingHours: { mon: ["20:00-24:30"] } }), "reps.0.workingHours.mon.0", "HH:MM-HH:MM"],
    [
      "overlapping hours on one day",
      withRep({ workingHours: { tue: ["13:00-18:00", "09:00-13:30"] } }),
      "reps.0.workingHours.tue.0",
      'overlaps "09:00-13:30"',
    ],
    ["an unknown weekday", withRep({ workingHours: { monday: ["09:00-17:00"] } }), "reps.0.workingHours", "monday"],
    [
      "time off ending before it starts",
      withRep({ timeOff: [{ start: "2026-12-24", end: "2026-12-20" }] }),
      "reps.0.timeOff.0.end",
      "before start",
    ],
    [
      "time off mixing a date and a date-time",
      withRep({ timeOff: [{ start: "2026-12-24", end: "2026-12-26T12:00:00Z" }] }),
      "reps.0.timeOff.0.end",
      "both be dates",
    ],
    [
      "time off without an offset",
      withRep({ timeOff: [{ start: "2026-12-24T09:00", end: "2026-12-24T12:00" }] }),
      "reps.0.timeOff.0.start",
      "offset",
    ],
    ["a zero weight", withRep({ weight: 0 }), "reps.0.weight", ""],
    ["a fractional daily cap", withRep({ dailyCap: 2.5 }), "reps.0.dailyCap", ""],
    ["an unknown top-level key", { ...valid, territories: [] }, "(root)", "territories"],
  ])("rejects %s", (_name, doc, path, message) => {
    const parsed = parseRoutingSettings(doc);
    expect(parsed.ok).toBe(false);
    const problem = parsed.problems?.find((p) => p.path === path);
    expect(problem, JSON.stringify(parsed.problems)).toBeDefined();
    expect(problem?.message).toContain(message);
  });

  it("lists every problem of a document at once", () => {
    const parsed = parseRoutingSettings({
      reps: [rep("1", { timeZone: "Nowhere/City" }), rep("2", { workingHours: { mon: ["09:00-12:00", "11:00-15:00"] } })],
      queues: [{ id: "empty", members: [] }],
      rules: [
        { id: "a", queue: "missing" },
        { id: "b", queue: "empty", conditions: [{ property: "shoe_size", operator: "exists" }] },
      ],
    });
    expect(parsed.ok).toBe(false);
    expect(parsed.problems?.map((p) => p.path).sort()).toEqual([
      "queues.0.members",
      "reps.0.timeZone",
      "reps.1.workingHours.mon.1",
      "rules.0.queue",
      "rules.1.conditions.0.property",
    ]);
    expect(parsed.ok === false && parsed.error.message).toContain('rules.0.queue: unknown queue "missing"');
  });
});
