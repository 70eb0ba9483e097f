/**
 * `npm run bench routing-core [--decisions N] [--leads N]`: the pure routing core, no Worker.
 * 1. Latency of `chooseOwner` per decision on a realistic portal (40 reps in 8 zones, 6 queues of every strategy,
 *    12 rules, 5,000 companies for account matching, an owner roster), leads spread over a week.
 * 2. Fairness over simulated leads: each rep's share against its weight, with everyone available, and again with
 *    working hours in several zones, time off, a daily cap and an inactive rep in the mix (expected share then counts
 *    only the reps available at each decision).
 */
import { buildCompanyIndex, companiesForLead } from "../shared/routing/accounts.ts";
import { chooseOwner } from "../shared/routing/choose-owner.ts";
import { ALWAYS, rep, routingSettings } from "../shared/routing/fixtures.ts";
import type { RoutingSettings } from "../shared/routing/settings.ts";
import { applyRoutingUpdate, emptyRoutingState, type RoutingState } from "../shared/routing/state.ts";
import type { CompanyRef, Lead, RosterOwner } from "../shared/routing/types.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

const ZONES = [
  "America/New_York",
  "America/Chicago",
  "America/Los_Angeles",
  "Europe/London",
  "Europe/Berlin",
  "Asia/Kolkata",
  "Australia/Sydney",
  "UTC",
];
const OFFICE = {
  mon: ["08:00-12:00", "13:00-18:00"],
  tue: ["08:00-18:00"],
  wed: ["08:00-18:00"],
  thu: ["08:00-18:00"],
  fri: ["08:00-16:00"],
};
const WEEK_START = Date.parse("2026-11-23T00:00:00Z");

function portal(): RoutingSettings {
  const r = rng(7);
  const reps = Array.from({ length: 40 }, (_, i) =>
    rep(String(1000 + i), {
      timeZone: ZONES[i % ZONES.length],
      workingHours: i % 5 === 0 ? ALWAYS : OFFICE,
      weight: 1 + (i % 4),
      dailyCap: i % 7 === 0 ? 40 : null,
      timeOff: i % 6 === 0 ? [{ start: "2026-11-25", end: "2026-11-26", reason: "holiday" }] : [],
      active: i !== 13,
    }),
  );
  const strategies = ["round_robin", "weighted_round_robin", "load_balanced"];
  const queues = Array.from({ length: 6 }, (_, q) => ({
    id: `q${q}`,
    strategy: strategies[q % 3],
    members: reps.filter((_, i) => i % 6 === q || i % 5 === 0).map((x) => x.ownerId),
  }));
  const c = (property: string, operator: string, value: unknown) => ({ property, operator, value });
  const rules = Array.from({ length: 12 }, (_, k) => ({
    id: `r${k}`,
    queue: `q${k % 6}`,
    conditions: [
      c("country", "in", k < 6 ? ["US", "CA"] : ["DE", "FR", "GB", "IN", "AU"]),
      c("numberofemployees", "between", [k * 100, k * 100 + 400 + Math.floor(r() * 500)]),
      ...(k % 2 === 0 ? [c("hs_lead_source", "not_in", ["partner", "event"])] : [c("zip", "starts_with", ["9", "1", "8"])]),
      ...(k % 3 === 0 ? [c("hygiene_score", "gte", 40)] : []),
    ],
  }));
  return routingSettings({ reps, queues, rules, fallbackQueue: "q0", accountMatching: { respectAvailability: true } });
}

function companies(n: number): CompanyRef[] {
  const r = rng(11);
  return Array.from({ length: n }, (_, i) => ({
    id: String(i + 1),
    domain: `company${i}.com`,
    name: `Company ${i} Inc`,
    ownerId: r() < 0.8 ? String(1000 + (i % 40)) : null,
  }));
}

function leads(n: number): Lead[] {
  const r = rng(3);
  return Array.from({ length: n }, (_, i) => ({
    id: String(i + 1),
    properties: {
      email: r() < 0.1 ? `x${i}@company${Math.floor(r() * 5000)}.com` : `x${i}@${pick(r, ["gmail.com", "example.org", "mail.net"])}`,
      country: pick(r, ["US", "US", "CA", "DE", "FR", "GB", "IN", "AU", "BR"]),
      zip: String(10000 + Math.floor(r() * 89999)),
      numberofemployees: String(Math.floor(r() * 1500)),
      hs_lead_source: pick(r, ["web", "partner", "event", "ads"]),
      hygiene_score: String(Math.floor(r() * 100)),
      lifecyclestage: "lead",
    },
  }));
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function latency(n: number): void {
  const settings = portal();
  const index = buildCompanyIndex(companies(5000));
  const roster: RosterOwner[] = settings.reps.map((x, i) => ({ id: x.ownerId, archived: i === 21 }));
  const all = leads(n + 2000);
  let state = emptyRoutingState();
  const core = new Float64Array(n);
  const whole = new Float64Array(n);
  let assigned = 0;
  for (let i = 0; i < all.length; i++) {
    const lead = all[i] as Lead;
    const now = new Date(WEEK_START + i * ((7 * 86_400_000) / all.length));
    const t0 = process.hrtime.bigint();
    const context = { companies: companiesForLead(lead.properties, index), owners: roster };
    const t1 = process.hrtime.bigint();
    const d = chooseOwner(lead, context, settings, state, now);
    const t2 = process.hrtime.bigint();
    if (d.ok && d.value.update) state = applyRoutingUpdate(state, d.value.update);
    const t3 = process.hrtime.bigint();
    if (i < 2000) continue;
    core[i - 2000] = Number(t2 - t1) / 1000;
    whole[i - 2000] = Number(t3 - t0) / 1000;
    if (d.ok && d.value.ownerId) assigned++;
  }
  core.sort();
  whole.sort();
  const fmt = (a: Float64Array) =>
    `p50 ${percentile(a, 0.5).toFixed(1)} µs, p99 ${percentile(a, 0.99).toFixed(1)} µs, max ${(a[a.length - 1] ?? 0).toFixed(0)} µs`;
  console.log(`latency over ${n} decisions (after 2,000 warm-up), ${assigned} assigned`);
  console.log(`  chooseOwner:                         ${fmt(core)}`);
  console.log(`  + company lookup + state update:     ${fmt(whole)}`);
}

type Fairness = { maxDeviationPct: number; maxRelativePct: number; worst: string; unassigned: number; notes: string[] };

/** Routes `n` leads through one queue over a week; compares each rep's count with its expected share. */
function fairness(n: number, strategy: string, reps: Record<string, unknown>[], closeRate = 0): Fairness {
  const settings = routingSettings({
    reps,
    queues: [{ id: "q", strategy, members: reps.map((x) => x.ownerId) }],
    rules: [{ id: "all", queue: "q" }],
    accountMatching: { enabled: false },
  });
  const weight = new Map(settings.reps.map((x) => [x.ownerId, strategy === "weighted_round_robin" ? x.weight : 1]));
  const actual = new Map<string, number>();
  const expected = new Map<string, number>();
  const perDay = new Map<string, number>();
  const r = rng(5);
  let state: RoutingState = emptyRoutingState();
  let unassigned = 0;
  for (let i = 0; i < n; i++) {
    const now = new Date(WEEK_START + i * ((7 * 86_400_000) / n));
    const d = chooseOwner({ id: String(i), properties: {} }, {}, settings, state, now);
    if (!d.ok) throw new Error(d.error.message);
    const eligible = (d.value.queues[0]?.candidates ?? []).filter((c) => c.eligible);
    const total = eligible.reduce((s, c) => s + (weight.get(c.ownerId) ?? 1), 0);
    for (const c of eligible) expected.set(c.ownerId, (expected.get(c.ownerId) ?? 0) + (weight.get(c.ownerId) ?? 1) / total);
    const u = d.value.update;
    if (!u) {
      unassigned++;
      continue;
    }
    state = applyRoutingUpdate(state, u);
    actual.set(u.ownerId, (actual.get(u.ownerId) ?? 0) + 1);
    perDay.set(`${u.ownerId} ${u.assignedToday.day}`, u.assignedToday.count);
    if (closeRate > 0) state = closeSomeLeads(state, closeRate, r);
  }
  const assigned = n - unassigned;
  let maxDeviationPct = 0;
  let maxRelativePct = 0;
  let worst = "";
  for (const x of settings.reps) {
    const gap = Math.abs((actual.get(x.ownerId) ?? 0) - (expected.get(x.ownerId) ?? 0));
    const dev = (gap / assigned) * 100;
    if ((expected.get(x.ownerId) ?? 0) > 0) maxRelativePct = Math.max(maxRelativePct, (gap / (expected.get(x.ownerId) ?? 1)) * 100);
    if (dev >= maxDeviationPct) {
      maxDeviationPct = dev;
      worst = `${x.ownerId}: ${actual.get(x.ownerId) ?? 0} leads, expected ${(expected.get(x.ownerId) ?? 0).toFixed(1)}`;
    }
  }
  const capped = settings.reps.filter((x) => x.dailyCap !== null);
  const overCap = capped.filter((x) => [...perDay].some(([k, v]) => k.startsWith(`${x.ownerId} `) && v > (x.dailyCap ?? 0))).length;
  const notes = capped.length > 0 ? [`reps over their daily cap on any day: ${overCap}`] : [];
  return { maxDeviationPct, maxRelativePct, worst, unassigned, notes };
}

/** Each open lead is worked (closed) with probability `rate` per arrival, so load-balanced sees real load changes. */
function closeSomeLeads(state: RoutingState, rate: number, r: () => number): RoutingState {
  const openLeads: Record<string, number> = {};
  for (const [id, open] of Object.entries(state.openLeads)) {
    let left = open;
    for (let k = 0; k < open; k++) if (r() < rate) left--;
    openLeads[id] = left;
  }
  return { ...state, openLeads };
}

const WEIGHTS = [1, 1, 2, 3, 0.5, 1.5, 4, 2];
const steady = (ws: number[]) => ws.map((w, i) => rep(String(i + 1), { weight: w }));
function mixed(): Record<string, unknown>[] {
  return [
    rep("1", { weight: 2 }),
    rep("2", { weight: 1 }),
    rep("3", { weight: 3, timeZone: "America/New_York", workingHours: OFFICE }),
    rep("4", { weight: 1, timeZone: "Europe/Berlin", workingHours: OFFICE }),
    rep("5", { weight: 2, timeZone: "Asia/Kolkata", workingHours: OFFICE }),
    rep("6", { weight: 1, timeOff: [{ start: "2026-11-25", end: "2026-11-26", reason: "holiday" }] }),
    rep("7", { weight: 4, dailyCap: 150 }),
    rep("8", { weight: 1, active: false }),
    rep("9", {
      weight: 2,
      timeZone: "Australia/Sydney",
      workingHours: OFFICE,
      timeOff: [{ start: "2026-11-27T00:00:00Z", end: "2026-11-27T12:00:00Z" }],
    }),
  ];
}

export async function run(args: string[]): Promise<void> {
  const arg = (flag: string, dflt: number) => {
    const i = args.indexOf(flag);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  latency(arg("--decisions", 20_000));
  const n = arg("--leads", 10_000);
  console.log(
    `\nfairness over ${n} leads spread over one week; deviation = |actual - expected| / assigned (percentage points) and / expected`,
  );
  const cases: [string, Fairness][] = [
    [`weighted RR, weights ${WEIGHTS.join("/")}, all available`, fairness(n, "weighted_round_robin", steady(WEIGHTS))],
    ["round robin, 8 reps, all available", fairness(n, "round_robin", steady(WEIGHTS.map(() => 1)))],
    ["load balanced, 8 reps, leads worked at random", fairness(n, "load_balanced", steady(WEIGHTS.map(() => 1)), 0.002)],
    ["weighted RR, mixed: zones/hours, time off, cap 150/day, inactive", fairness(n, "weighted_round_robin", mixed())],
    ["round robin, same mix", fairness(n, "round_robin", mixed())],
  ];
  for (const [name, f] of cases) {
    console.log(
      `  ${name}: max deviation ${f.maxDeviationPct.toFixed(3)} pp, ${f.maxRelativePct.toFixed(2)}% of expected (${f.worst}); unassigned ${f.unassigned}`,
    );
    for (const note of f.notes) console.log(`    ${note}`);
  }
}
