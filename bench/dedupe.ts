/**
 * `npm run bench dedupe [--quality 20000,100000] [--speed 100000,1000000] [--seed 42]`
 * Quality: P/R/F1 of the CLI's verdict on generated contacts with ground truth, and pair completeness of blocking.
 * Speed: the CLI end to end (read CSV, dedupe, write CSV) in a child process on one core: wall and CPU time, peak
 * memory and the load average.
 * Incremental: `--incremental 1000000` indexes that many contacts in node:sqlite (D1's schema and statements) and
 * times lookup + scoring for 1,000 held-out contacts; `--incremental-d1 1000000` does the same through local D1.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { csvLine } from "../shared/csv/write.ts";
import { candidatePairs, decodePair } from "../shared/dedupe/blocking.ts";
import { prepareContact } from "../shared/dedupe/prepare.ts";
import { generateMessyContacts } from "../test/fixtures/messy-contacts.ts";
import { benchIncrementalD1 } from "./dedupe/d1.ts";
import { evaluatePairs, type PairRow, pairCompleteness } from "./dedupe/evaluate.ts";
import { benchIncremental } from "./dedupe/incremental.ts";

const COLUMNS = [
  "id",
  "first_name",
  "last_name",
  "email",
  "phone",
  "company",
  "job_title",
  "street",
  "city",
  "state",
  "postal_code",
  "country",
] as const;

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
}

function writeInput(dir: string, n: number, seed: number) {
  const { contacts, truth } = generateMessyContacts({ count: n, seed });
  const file = join(dir, `contacts-${n}.csv`);
  const lines = [csvLine([...COLUMNS])];
  for (const c of contacts) lines.push(csvLine(COLUMNS.map((k) => c[k])));
  writeFileSync(file, lines.join(""));
  return { file, contacts, truth };
}

function readPairs(file: string): PairRow[] {
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => {
      const [idA = "", idB = "", , decision] = l.split(",");
      return { idA, idB, decision: decision as "merge" | "review" };
    });
}

/**
 * Runs the real CLI in its own process (one core) under /usr/bin/time for wall time, CPU time (user + system: what
 * the run cost whatever else the machine was doing) and peak memory, with the 1-minute load average when it ended.
 */
function timedCli(input: string, output: string): { seconds: number; cpuSeconds: number; rssMb: number; loadAverage: number } {
  const cli = fileURLToPath(new URL("../cli/main.ts", import.meta.url));
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "TIME %e %M %U %S", process.execPath, "--no-warnings", "--import", "tsx", cli, "dedupe", "--input", input, "--output", output],
    {
      encoding: "utf8",
    },
  );
  if (r.status !== 0) throw new Error(`dedupe CLI failed: ${r.stderr}`);
  const [, secs = "0", kb = "0", user = "0", sys = "0"] = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr) ?? [];
  return {
    seconds: Number(secs),
    cpuSeconds: +(Number(user) + Number(sys)).toFixed(2),
    rssMb: Number(kb) / 1024,
    loadAverage: +(loadavg()[0] ?? 0).toFixed(2),
  };
}

export async function run(args: string[]): Promise<void> {
  const seed = Number(option(args, "--seed", "42"));
  const quality = option(args, "--quality", "20000,100000").split(",").filter(Boolean).map(Number);
  const speed = option(args, "--speed", "100000").split(",").filter(Boolean).map(Number);
  const incremental = option(args, "--incremental", "").split(",").filter(Boolean).map(Number);
  const incrementalD1 = option(args, "--incremental-d1", "").split(",").filter(Boolean).map(Number);
  const dir = mkdtempSync(join(tmpdir(), "dedupe-bench-"));
  try {
    for (const n of quality) {
      const { file, contacts, truth } = writeInput(dir, n, seed);
      const out = join(dir, `pairs-${n}.csv`);
      const t = timedCli(file, out);
      const q = evaluatePairs(
        readPairs(out),
        contacts.map((c) => c.id),
        truth,
      );
      const prepared = contacts.map((c) =>
        prepareContact({
          id: c.id,
          firstName: c.first_name,
          lastName: c.last_name,
          email: c.email,
          phone: c.phone,
          company: c.company,
          jobTitle: c.job_title,
          street: c.street,
          city: c.city,
          state: c.state,
          postalCode: c.postal_code,
          country: c.country,
        }),
      );
      const codes = candidatePairs(prepared).codes;
      const completeness = pairCompleteness(
        Array.from(codes, (code) => decodePair(code).map((i) => prepared[i]?.id ?? "") as [string, string]),
        truth,
      );
      console.log(
        JSON.stringify({
          bench: "quality",
          n,
          seed,
          seconds: +t.seconds.toFixed(2),
          candidatePairs: codes.length,
          pairCompleteness: +completeness.toFixed(4),
          ...q,
        }),
      );
    }
    for (const n of speed) {
      const { file } = writeInput(dir, n, seed + 1);
      const t = timedCli(file, join(dir, `speed-${n}.csv`));
      console.log(
        JSON.stringify({
          bench: "speed",
          n,
          seconds: +t.seconds.toFixed(2),
          cpuSeconds: t.cpuSeconds,
          peakRssMb: Math.round(t.rssMb),
          loadAverage: t.loadAverage,
        }),
      );
    }
    for (const n of incremental) console.log(JSON.stringify({ bench: "incremental-sqlite", ...benchIncremental(n, 1000, seed + 2) }));
    for (const n of incrementalD1)
      console.log(JSON.stringify({ bench: "incremental-d1", ...(await benchIncrementalD1(n, 1000, seed + 2)) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
