import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { routingSection, run } from "./route.ts";

let dir: string;
let stderr: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "route-cli-"));
  stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const ALL_DAY = { mon: ["00:00-24:00"] };
const ROUTING = {
  reps: [
    { ownerId: "101", name: "Ana", timeZone: "America/Los_Angeles", weight: 2, workingHours: ALL_DAY },
    { ownerId: "102", name: "Ben", timeZone: "America/New_York", workingHours: ALL_DAY },
    { ownerId: "103", name: "Chloé", timeZone: "Europe/Paris", workingHours: { mon: ["09:00-17:00"] } },
  ],
  queues: [
    { id: "na", strategy: "weighted_round_robin", members: ["101", "102"] },
    { id: "emea", members: ["103"] },
  ],
  rules: [
    { id: "na", queue: "na", conditions: [{ property: "country", operator: "in", value: ["US", "CA"] }] },
    { id: "emea", queue: "emea", conditions: [{ property: "country", operator: "eq", value: "FR" }] },
  ],
  fallbackQueue: "na",
};
const PORTAL = { automations: { routing: false }, stageGates: {}, routing: ROUTING };
const LEADS = 'id,email,country,company\n1,a@acme.com,US,\n2,b@x.com,us,\n3,c@y.fr,FR,\n4,d@gmail.com,BR,"Acme, Inc."\n5,e@z.com,CA,\n';
const COMPANIES = "id,domain,name,hubspot_owner_id\nc1,www.acme.com,Acme,555\n";
// Monday 2026-11-23 17:30 UTC: 18:30 in Paris, so the EMEA rep is off hours.
const AT = "2026-11-23T17:30:00Z";

async function route(opts: { settings?: unknown; leads?: string; companies?: string | null; extra?: string[] } = {}) {
  const paths = {
    settings: join(dir, "settings.json"),
    input: join(dir, "leads.csv"),
    companies: join(dir, "companies.csv"),
    output: join(dir, "routed.csv"),
  };
  writeFileSync(paths.settings, typeof opts.settings === "string" ? opts.settings : JSON.stringify(opts.settings ?? PORTAL));
  writeFileSync(paths.input, opts.leads ?? LEADS);
  const companies = opts.companies === undefined ? COMPANIES : opts.companies;
  if (companies !== null) writeFileSync(paths.companies, companies);
  const args = [
    "--settings",
    paths.settings,
    "--input",
    paths.input,
    "--output",
    paths.output,
    ...(companies !== null ? ["--companies", paths.companies] : []),
    ...(opts.extra ?? ["--at", AT]),
  ];
  const code = await run(args);
  const out = existsSync(paths.output) ? readFileSync(paths.output, "utf8") : null;
  const rows =
    out === null
      ? []
      : out
          .trim()
          .split("\n")
          .slice(1)
          .map((l) => l.split(",").slice(0, 4));
  return { code, out, rows };
}

describe("route CLI", () => {
  it("routes each lead by account, rule or fallback and writes id,owner_id,queue,rule,reason", async () => {
    const { code, out, rows } = await route();
    expect(code).toBe(0);
    expect(out?.split("\n")[0]).toBe("id,owner_id,queue,rule,reason");
    expect(rows).toEqual([
      ["1", "555", "", ""],
      ["2", "101", "na", "na"],
      ["3", "102", "na", "emea"],
      ["4", "555", "", ""],
      ["5", "101", "na", "na"],
    ]);
    expect(out).toContain("queue emea: no rep available (103: off hours in Europe/Paris (Mon 2026-11-23 18:30))");
    expect(out).toContain('company c1: company name matches ""Acme""; owner 555 takes the lead');
  });

  it("prints the distribution per rep on stderr", async () => {
    await route();
    expect(stderr).toContain("route: 5 leads, 5 assigned, 0 unassigned");
    expect(stderr).toMatch(/101\s+Ana\s+2\s+40\.0%\s+weight 2/);
    expect(stderr).toMatch(/103\s+Chloé\s+0\s+0\.0%/);
    expect(stderr).toMatch(/555\s+2\s+40\.0%\s+account owner/);
  });

  it("routes by rules alone without a companies file", async () => {
    const { code, rows } = await route({ companies: null });
    expect(code).toBe(0);
    expect(rows.map((r) => r[1])).toEqual(["101", "102", "101", "101", "102"]);
  });

  it("accepts a bare routing document", async () => {
    const { code, rows } = await route({ settings: ROUTING });
    expect([code, rows.length]).toEqual([0, 5]);
  });

  it("leaves every lead unassigned under a portal document without a routing section", async () => {
    const { code, rows } = await route({ settings: { automations: { routing: false } } });
    expect(code).toBe(0);
    expect(rows.map((r) => r[1])).toEqual(["555", "", "", "555", ""]);
    expect(stderr).toContain("5 leads, 2 assigned, 3 unassigned");
  });

  it.each<[string, unknown, string]>([
    [
      "a queue with no reps",
      { routing: { ...ROUTING, queues: [{ id: "na", members: [] }, ROUTING.queues[1]] } },
      "routing.queues.0.members: a queue needs at least one rep",
    ],
    [
      "an unknown property",
      { routing: { ...ROUTING, rules: [{ id: "x", queue: "na", conditions: [{ property: "shoe_size", operator: "exists" }] }] } },
      'routing.rules.0.conditions.0.property: unknown contact property "shoe_size"',
    ],
    ["a bare document with an unknown queue", { ...ROUTING, fallbackQueue: "apac" }, 'fallbackQueue: unknown queue "apac"'],
    ["settings that are not JSON", "{ routing: ", "cannot read"],
  ])("rejects %s with the reason, writing nothing", async (_name, settings, message) => {
    const { code, out } = await route({ settings });
    expect(code).toBe(1);
    expect(out).toBeNull();
    expect(stderr).toContain(message);
  });

  it.each<[string, Partial<{ leads: string; companies: string }>, string]>([
    ["an unterminated quote", { leads: 'id,country\n1,US\n2,"US\n' }, "leads.csv: line 3: a quoted field is never closed"],
    ["a row with too many fields", { leads: "id,country\n1,US\n2,US,extra\n" }, "leads.csv: line 3: expected 2 fields"],
    ["a duplicate id", { leads: "id,country\n1,US\n1,CA\n" }, 'leads.csv: line 3: id "1" appears more than once'],
    ["an empty id", { leads: "id,country\n,US\n" }, "leads.csv: line 2: the id is empty"],
    ["leads without an id column", { leads: "email,country\na@b.com,US\n" }, 'leads.csv: line 1: the header has no "id" column'],
    [
      "companies without an owner column",
      { companies: "id,domain\nc1,acme.com\n" },
      'companies.csv: line 1: the header has no "hubspot_owner_id" column',
    ],
    [
      "a stray quote in companies",
      { companies: 'id,domain,name,hubspot_owner_id\nc1,acme.com,Ac"me,5\n' },
      "companies.csv: line 2: a quote inside an unquoted field",
    ],
  ])("rejects %s, naming the line", async (_name, files, message) => {
    const { code, out } = await route(files);
    expect(code).toBe(1);
    expect(out).toBeNull();
    expect(stderr).toContain(message);
  });

  it.each<[string, string[], string]>([
    ["an --at that is not ISO", ["--at", "next tuesday"], '--at "next tuesday" is not an ISO date-time'],
    ["an unknown option", ["--dry-run", "yes"], 'unknown option "--dry-run"'],
    ["an option without a value", ["--at"], "--at needs a value"],
  ])("exits 2 on %s", async (_name, extra, message) => {
    const { code } = await route({ extra });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe("reading the routing section", () => {
  it.each<[string, unknown, unknown]>([
    ["takes the routing key of a portal document", { automations: {}, routing: { reps: [] } }, { reps: [] }],
    ["gives defaults to a portal document without one", { killSwitch: false }, {}],
    ["passes a bare routing document through", { reps: [], queues: [] }, { reps: [], queues: [] }],
    ["passes anything else through for validation to reject", [1, 2], [1, 2]],
  ])("%s", (_name, doc, expected) => {
    expect(routingSection(doc)).toEqual(expected);
  });
});
