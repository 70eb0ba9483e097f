/**
 * `npm run --silent cli -- dedupe --input contacts.csv --output pairs.csv [--merge-threshold X] [--review-threshold Y]`
 * Reads a CRM contact export, writes `id_a,id_b,score,decision` for every pair at or above the review threshold.
 * Progress goes to stderr; on malformed input it names the line, exits non-zero and writes nothing.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { parseCsv } from "../shared/csv/parse.ts";
import { csvRecords } from "../shared/csv/records.ts";
import { csvLine } from "../shared/csv/write.ts";
import { BATCH_MEMO, DEFAULT_THRESHOLDS, findDuplicatesAmongPrepared } from "../shared/dedupe/engine.ts";
import { createContactPreparer } from "../shared/dedupe/prepare.ts";
import type { DedupeContact } from "../shared/dedupe/types.ts";
import { err, ok, type Result } from "../shared/result.ts";

const COLUMNS = {
  id: "id",
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  phone: "phone",
  company: "company",
  job_title: "jobTitle",
  street: "street",
  city: "city",
  state: "state",
  postal_code: "postalCode",
  country: "country",
} as const;

type Args = { input: string; output: string; merge: number; review: number };

function parseArgs(args: string[]): Result<Args, "usage"> {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] ?? "";
    const value = args[i + 1];
    if (!["--input", "--output", "--merge-threshold", "--review-threshold"].includes(flag)) return err("usage", `unknown option "${flag}"`);
    if (value === undefined) return err("usage", `${flag} needs a value`);
    values.set(flag, value);
    i++;
  }
  const input = values.get("--input");
  const output = values.get("--output");
  if (!input || !output) return err("usage", "both --input and --output are required");
  const merge = Number(values.get("--merge-threshold") ?? DEFAULT_THRESHOLDS.merge);
  const review = Number(values.get("--review-threshold") ?? DEFAULT_THRESHOLDS.review);
  if (!(merge > 0 && merge <= 1) || !(review > 0 && review <= 1)) return err("usage", "thresholds are probabilities in (0, 1]");
  if (review > merge) return err("usage", `the review threshold (${review}) must not exceed the merge threshold (${merge})`);
  return ok({ input, output, merge, review });
}

const CHUNK = 10_000;

/**
 * Reads the export into contacts: header names as in the issue, any order, missing columns allowed, ids unique.
 * Rows become records a chunk at a time and are dropped as they go (`convert` may shrink each one further, e.g. to
 * the engine's prepared form), so a million rows fit in memory.
 */
export function readContacts<T = DedupeContact>(text: string, convert: (c: DedupeContact) => T = (c) => c as T): Result<T[], string> {
  const parsed = parseCsv(text);
  if (!parsed.ok) return parsed;
  const table = parsed.value;
  if (!table.header.includes("id")) return err("csv_no_id", 'line 1: the header has no "id" column');
  const seen = new Set<string>();
  const contacts: T[] = [];
  for (let start = 0; start < table.rows.length; start += CHUNK) {
    const chunk = { header: table.header, rows: table.rows.slice(start, start + CHUNK), lines: table.lines.slice(start, start + CHUNK) };
    for (let r = start; r < Math.min(start + CHUNK, table.rows.length); r++) table.rows[r] = [];
    const records = csvRecords(chunk);
    if (!records.ok) return records;
    for (const r of records.value) {
      const id = (r.values.id ?? "").trim();
      if (id === "") return err("csv_empty_id", `line ${r.line}: the id is empty`);
      if (seen.has(id)) return err("csv_duplicate_id", `line ${r.line}: id "${id}" appears more than once`);
      seen.add(id);
      contacts.push(convert(toContact(id, r.values)));
    }
  }
  return ok(contacts);
}

function toContact(id: string, values: Record<string, string>): DedupeContact {
  const c = { id } as DedupeContact;
  for (const [column, field] of Object.entries(COLUMNS)) {
    if (field === "id") continue;
    const v = values[column]?.trim();
    c[field] = v ? v : null;
  }
  return c;
}

/** Runs the command; returns the exit code (0 done, 1 bad input, 2 usage). */
export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (!parsed.ok) {
    process.stderr.write(
      `dedupe: ${parsed.error.message}\nusage: npm run --silent cli -- dedupe --input contacts.csv --output pairs.csv [--merge-threshold X] [--review-threshold Y]\n`,
    );
    return 2;
  }
  const { input, output, merge, review } = parsed.value;
  let text: string;
  try {
    text = readFileSync(input, "utf8");
  } catch (e) {
    process.stderr.write(`dedupe: cannot read ${input}: ${(e as Error).message}\n`);
    return 1;
  }
  const contacts = readContacts(text, createContactPreparer(BATCH_MEMO));
  text = "";
  if (!contacts.ok) {
    process.stderr.write(`dedupe: ${input}: ${contacts.error.message}\n`);
    return 1;
  }
  const started = Date.now();
  const big = contacts.value.length >= 50_000;
  const result = findDuplicatesAmongPrepared(contacts.value, {
    thresholds: { merge, review },
    onProgress: big ? (stage, done, total) => process.stderr.write(`dedupe: ${stage} ${done}/${total}\n`) : undefined,
  });
  if (!result.ok) {
    process.stderr.write(`dedupe: ${result.error.message}\n`);
    return 1;
  }
  const lines = ["id_a,id_b,score,decision\n"];
  const pairs = [...result.value.pairs].sort((x, y) =>
    x.idA < y.idA ? -1 : x.idA > y.idA ? 1 : x.idB < y.idB ? -1 : x.idB > y.idB ? 1 : 0,
  );
  for (const p of pairs) lines.push(csvLine([p.idA, p.idB, p.score.toFixed(6), p.decision]));
  // Written beside the target and renamed, so a failure never leaves a partial output file.
  const temp = `${output}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, lines.join(""));
    renameSync(temp, output);
  } catch (e) {
    rmSync(temp, { force: true });
    process.stderr.write(`dedupe: cannot write ${output}: ${(e as Error).message}\n`);
    return 1;
  }
  const merges = pairs.filter((p) => p.decision === "merge").length;
  process.stderr.write(
    `dedupe: ${contacts.value.length} contacts, ${result.value.stats.candidatePairs} candidate pairs, ${merges} merge and ${pairs.length - merges} review pairs in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}
