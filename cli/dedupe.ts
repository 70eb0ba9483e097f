/**
 * `npm run --silent cli -- dedupe --input contacts.csv --output pairs.csv [--merge-threshold X] [--review-threshold Y]`
 * Reads a CRM contact export, writes `id_a,id_b,score,decision` for every pair at or above the review threshold.
 * Progress goes to stderr; on malformed input it names the line, exits non-zero and writes nothing.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { type CsvTable, parseCsv } from "../shared/csv/parse.ts";
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
 * Cuts CSV text after its header record and then about every `rows` lines, only at line ends outside quoted fields
 * (an even number of quotes before them), so each piece parses on its own under the header. Null when the file does
 * not start with a header line.
 */
function cutAtRecords(text: string, rows: number): { header: string; pieces: string[] } | null {
  const cuts: number[] = [];
  let quotes = 0;
  let lines = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quotes++;
    else if (c === 10 && quotes % 2 === 0 && (cuts.length === 0 || ++lines % rows === 0)) cuts.push(i + 1);
  }
  const headerEnd = cuts[0];
  if (
    headerEnd === undefined ||
    text
      .slice(0, headerEnd)
      .replace(/^\uFEFF/, "")
      .trim() === ""
  )
    return null;
  const pieces = cuts.map((at, k) => text.slice(at, cuts[k + 1] ?? text.length)).filter((piece) => piece !== "");
  return { header: text.slice(0, headerEnd), pieces };
}

/**
 * Reads the export into contacts: header names as in the issue, any order, missing columns allowed, ids unique.
 * The text is parsed a piece of rows at a time, and rows become records a chunk at a time and are dropped as they go
 * (`convert` may shrink each one further, e.g. to the engine's prepared form), so a million rows fit in memory and
 * their parsed fields die young. A malformed file is reported exactly as parsing it whole reports it, with the line.
 */
export function readContacts<T = DedupeContact>(text: string, convert: (c: DedupeContact) => T = (c) => c as T): Result<T[], string> {
  const whole = () => readTable(parseCsv(text), new Set(), [], convert);
  const cut = cutAtRecords(text, CHUNK);
  if (!cut || cut.pieces.length === 0) return whole();
  const seen = new Set<string>();
  const contacts: T[] = [];
  for (const piece of cut.pieces) {
    // Errors are rare: the whole file is then read again, so its first parse error wins over row errors as before.
    const parsed = parseCsv(cut.header + piece);
    if (!parsed.ok || !readRows(parsed.value, seen, contacts, convert)) return whole();
  }
  return ok(contacts);
}

const FIELDS = Object.entries(COLUMNS).filter(([, field]) => field !== "id") as [
  keyof typeof COLUMNS,
  Exclude<keyof DedupeContact, "id">,
][];

/**
 * Converts a well-formed table's rows straight into `contacts` (no per-row record objects); false at the first
 * problem (a row's field count, an empty or repeated id), which the caller then reports from the whole file.
 */
function readRows<T>(table: CsvTable, seen: Set<string>, contacts: T[], convert: (c: DedupeContact) => T): boolean {
  const idAt = table.header.indexOf("id");
  if (idAt < 0) return false;
  const at = FIELDS.map(([column, field]) => [table.header.indexOf(column), field] as const);
  for (const row of table.rows) {
    const id = (row[idAt] ?? "").trim();
    if (row.length !== table.header.length || id === "" || seen.has(id)) return false;
    seen.add(id);
    const c = { id } as DedupeContact;
    for (const [column, field] of at) {
      const v = row[column]?.trim();
      c[field] = v ? v : null;
    }
    contacts.push(convert(c));
  }
  return true;
}

/** Converts a parsed table's rows into `contacts`, a chunk at a time, checking ids against `seen`. */
function readTable<T>(
  parsed: ReturnType<typeof parseCsv>,
  seen: Set<string>,
  contacts: T[],
  convert: (c: DedupeContact) => T,
): Result<T[], string> {
  if (!parsed.ok) return parsed;
  const table = parsed.value;
  if (!table.header.includes("id")) return err("csv_no_id", 'line 1: the header has no "id" column');
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
  for (const [column, field] of FIELDS) {
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
    evidence: false,
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
