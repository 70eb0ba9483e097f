import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { run as dedupe } from "../../cli/dedupe.ts";
import { run as hygiene } from "../../cli/hygiene.ts";
import { run as route } from "../../cli/route.ts";
import { parseCsv } from "../../shared/csv/parse.ts";

/** Runs per CLI: each run writes a file and runs the command in-process (the hygiene one scores every row). */
const RUNS = 40;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cli-fuzz-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COLUMNS = [
  "id",
  "first_name",
  "last_name",
  "email",
  "phone",
  "company",
  "job_title",
  "country",
  "state",
  "city",
  "postal_code",
  "website",
  "created_at",
  "hubspot_owner_id",
  "domain",
  "name",
];
const hostileValue = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "a@b.co",
    "JOHN@ACME.COM",
    "@",
    "a@@b",
    "+1 (415) 555-2671",
    "+999999999999999999",
    "0",
    "=cmd|' /C calc'!A0",
    "-1",
    "CEO",
    "USA",
    "España",
    "xn--",
    "http://",
    "1970-01-01",
    "9999-99-99",
    "NaN",
    "null",
    "__proto__",
    "constructor",
  ),
  fc.string({ unit: "grapheme", maxLength: 15 }),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.constant("x".repeat(5_000)),
);
const columnName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...COLUMNS) },
  fc.constantFrom("__proto__", "constructor", "", " id ", "ID", "notes"),
);

const field = (v: string) => (/[",\r\n]/.test(v) || v.startsWith(" ") ? `"${v.replaceAll('"', '""')}"` : v);

/** A CSV export gone wrong: odd headers, odd values, ragged rows, stray quotes, BOMs, CRLF and bytes that are not UTF-8. */
const hostileCsv = fc
  .record({
    // Mostly a usable export (unique columns, an id first), sometimes a broken header.
    header: fc.oneof(
      {
        weight: 4,
        arbitrary: fc.uniqueArray(columnName, { maxLength: 8 }).map((h) => ["id", ...h.filter((c) => c.trim().toLowerCase() !== "id")]),
      },
      { weight: 1, arbitrary: fc.array(columnName, { minLength: 1, maxLength: 8 }) },
    ),
    rows: fc.array(fc.array(hostileValue, { maxLength: 9 }), { maxLength: 12 }),
    square: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    uniqueIds: fc.boolean(),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    damage: fc.oneof(
      { weight: 3, arbitrary: fc.constant<[number, string][]>([]) },
      {
        weight: 1,
        arbitrary: fc.array(fc.tuple(fc.nat(), fc.constantFrom('"', '""', ",", "\r", "\n", "\uFEFF", "\u0000")), { maxLength: 2 }),
      },
    ),
    badBytes: fc.option(
      fc.tuple(
        fc.nat(),
        fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => b.map((x) => x | 0x80)),
      ),
      { nil: undefined },
    ),
  })
  .map(({ header, rows, square, uniqueIds, crlf, bom, damage, badBytes }) => {
    const width = header.length;
    const body = rows.map((r, row) => {
      const cells = square ? Array.from({ length: width }, (_, i) => r[i] ?? `${i}`) : r;
      return uniqueIds && header[0] === "id" && cells.length > 0 ? [`c${row}`, ...cells.slice(1)] : cells;
    });
    let text = [header, ...body].map((r) => r.map(field).join(",")).join(crlf ? "\r\n" : "\n");
    for (const [at, s] of damage) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + s + text.slice(i);
    }
    const bytes = Buffer.from((bom ? "\uFEFF" : "") + text, "utf8");
    if (!badBytes) return bytes;
    const [at, bad] = badBytes;
    const cut = at % (bytes.length + 1);
    return Buffer.concat([bytes.subarray(0, cut), Buffer.from(bad), bytes.subarray(cut)]);
  });

const anyBytes = fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b));

let n = 0;
/** Runs a CLI on the bytes; checks the exit code, the message and that no partial or temporary output is left. */
async function check(
  command: (args: string[]) => Promise<number>,
  input: Buffer,
  extra: (d: string) => string[] = () => [],
): Promise<void> {
  const case_ = join(dir, `case-${n++}`);
  mkdirSync(case_);
  const inPath = join(case_, "in.csv");
  const outPath = join(case_, "out.csv");
  writeFileSync(inPath, input);
  let stderr = "";
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  let code: number;
  try {
    code = await command(["--input", inPath, "--output", outPath, ...extra(case_)]);
  } finally {
    spy.mockRestore();
  }
  expect([0, 1], stderr).toContain(code);
  expect(readdirSync(case_).filter((f) => f.includes(".tmp-"))).toEqual([]);
  if (code === 0) {
    const out = parseCsv(readFileSync(outPath, "utf8"));
    expect(out.ok, stderr).toBe(true);
  } else {
    expect(existsSync(outPath)).toBe(false);
    expect(stderr).toMatch(/line \d+/);
  }
  rmSync(case_, { recursive: true, force: true });
}

const ROUTING = {
  reps: [{ ownerId: "101", name: "Ana", timeZone: "America/Los_Angeles", workingHours: { mon: ["00:00-24:00"] } }],
  queues: [{ id: "all", members: ["101"] }],
  rules: [{ id: "us", queue: "all", conditions: [{ property: "country", operator: "eq", value: "US" }] }],
  fallbackQueue: "all",
};
const routeArgs = (d: string) => {
  const settings = join(d, "settings.json");
  writeFileSync(settings, JSON.stringify({ routing: ROUTING }));
  return ["--settings", settings, "--at", "2026-11-23T17:30:00Z"];
};

describe.each([
  ["hygiene", hygiene, () => []],
  ["dedupe", dedupe, () => []],
  ["route", route, routeArgs],
] as const)("the %s CLI on hostile CSV", (_name, command, extra) => {
  it("exits 0 with a readable output, or 1 naming the line and writing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(hostileCsv, (bytes) => check(command, bytes, extra)),
      { numRuns: RUNS },
    );
  });

  it("survives random bytes the same way", async () => {
    await fc.assert(
      fc.asyncProperty(anyBytes, (bytes) => check(command, bytes, extra)),
      { numRuns: RUNS / 2 },
    );
  });
});

/** Runs a CLI with the given arguments and captured stderr; it must return, never throw. */
async function runCaptured(command: (args: string[]) => Promise<number>, args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await command(args), stderr };
  } finally {
    spy.mockRestore();
  }
}

describe("hostile command lines and settings", () => {
  const flag = fc.constantFrom(
    "--input",
    "--output",
    "--settings",
    "--region",
    "--at",
    "--companies",
    "--merge-threshold",
    "--review-threshold",
    "--nope",
    "-i",
    "",
  );
  const value = fc.oneof(
    fc.constantFrom("0", "-1", "2", "NaN", "0.5", "", "US", "2026-13-45T99:99", "/nonexistent/x.csv"),
    fc.string({ maxLength: 12 }),
  );

  it.each([
    ["hygiene", hygiene],
    ["dedupe", dedupe],
    ["route", route],
  ] as const)("the %s CLI answers any arguments with exit 1 or 2 and a message, never a throw", async (_name, command) => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(flag, value), { maxLength: 7 }), async (args) => {
        // Never let a generated argument name a real output path.
        const safe = args.map((a, i) => (args[i - 1] === "--output" ? join(dir, "never-written.csv") : a));
        const { code, stderr } = await runCaptured(command, safe);
        expect([1, 2], stderr).toContain(code);
        expect(stderr.length).toBeGreaterThan(0);
        expect(existsSync(join(dir, "never-written.csv"))).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it("the route CLI refuses hostile settings documents with exit 1 listing the problems", async () => {
    const leads = join(dir, "leads.csv");
    writeFileSync(leads, "id,country\n1,US\n");
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.record({ routing: fc.jsonValue({ maxDepth: 3 }) })), async (doc) => {
        const settings = join(dir, "hostile-settings.json");
        writeFileSync(settings, JSON.stringify(doc));
        const output = join(dir, "routed.csv");
        rmSync(output, { force: true });
        const { code, stderr } = await runCaptured(route, ["--settings", settings, "--input", leads, "--output", output]);
        expect([0, 1], stderr).toContain(code);
        if (code === 1) {
          expect(stderr).toMatch(/invalid routing settings|cannot read/);
          expect(existsSync(output)).toBe(false);
        }
      }),
      { numRuns: 40 },
    );
  });
});
