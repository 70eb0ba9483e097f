/**
 * `npm run --silent cli -- hygiene --input contacts.csv --output scored.csv [--region US] [--settings hygiene.json]`
 * Scores every contact of a CRM export: all input columns, then `<column>_normalized` for each known column present,
 * `job_seniority` and `job_function` (with a job_title column), `score` and `findings` (JSON). Progress goes to stderr;
 * on malformed input it names the line, exits non-zero and writes nothing.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { parseCsv } from "../shared/csv/parse.ts";
import { csvRecords } from "../shared/csv/records.ts";
import { csvLine } from "../shared/csv/write.ts";
import { type Contact, emptyContact } from "../shared/domain/types.ts";
import { scoreContact } from "../shared/hygiene/contact.ts";
import { type HygieneSettings, parseHygieneSettings } from "../shared/hygiene/settings.ts";
import type { HygieneReport } from "../shared/hygiene/types.ts";
import { loadDisposableDomains } from "../shared/normalize/disposable.ts";
import { err, ok, type Result } from "../shared/result.ts";

/** CSV column → contact field. The first twelve are the issue's; the rest are read when an export has them. */
const COLUMNS = {
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  phone: "phone",
  mobile_phone: "mobilePhone",
  company: "company",
  job_title: "jobTitle",
  street: "street",
  city: "city",
  state: "state",
  postal_code: "postalCode",
  country: "country",
  website: "website",
  industry: "industry",
  created_at: "createdAt",
  updated_at: "updatedAt",
  last_activity_at: "lastActivityAt",
} as const satisfies Record<string, keyof Contact>;
type Column = keyof typeof COLUMNS;
const FIELD_TO_COLUMN = new Map<string, string>(Object.entries(COLUMNS).map(([c, f]) => [f, c]));
// Dates are read for freshness but not rewritten.
const NOT_NORMALIZED = new Set<Column>(["created_at", "updated_at", "last_activity_at"]);
const CHUNK = 10_000;
const PROGRESS_EVERY = 50_000;

type Args = { input: string; output: string; settings: HygieneSettings };

function parseArgs(args: string[]): Result<Args, "usage"> {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i] ?? "";
    if (!["--input", "--output", "--region", "--settings"].includes(flag)) return err("usage", `unknown option "${flag}"`);
    const value = args[i + 1];
    if (value === undefined) return err("usage", `${flag} needs a value`);
    values.set(flag, value);
  }
  const input = values.get("--input");
  const output = values.get("--output");
  if (!input || !output) return err("usage", "both --input and --output are required");
  let doc: Record<string, unknown> = {};
  const settingsPath = values.get("--settings");
  if (settingsPath) {
    try {
      doc = JSON.parse(readFileSync(settingsPath, "utf8")) as Record<string, unknown>;
    } catch (e) {
      return err("usage", `cannot read settings ${settingsPath}: ${(e as Error).message}`);
    }
  }
  const region = values.get("--region");
  const settings = parseHygieneSettings(region ? { ...doc, defaultRegion: region } : doc);
  if (!settings.ok) return err("usage", `invalid settings: ${settings.error.message}`);
  return ok({ input, output, settings: settings.value });
}

/** Runs the command; returns the exit code (0 done, 1 bad input, 2 usage). */
export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (!parsed.ok) {
    process.stderr.write(
      `hygiene: ${parsed.error.message}\nusage: npm run --silent cli -- hygiene --input contacts.csv --output scored.csv [--region US] [--settings hygiene.json]\n`,
    );
    return 2;
  }
  const { input, output } = parsed.value;
  let text: string;
  try {
    text = readFileSync(input, "utf8");
  } catch (e) {
    process.stderr.write(`hygiene: cannot read ${input}: ${(e as Error).message}\n`);
    return 1;
  }
  await loadDisposableDomains();
  const started = Date.now();
  // Written beside the target and renamed at the end, so a failure never leaves a partial output file.
  const temp = `${output}.tmp-${process.pid}`;
  let fd: number | null = null;
  try {
    fd = openSync(temp, "w");
    const done = scoreFile(text, parsed.value.settings, fd);
    closeSync(fd);
    fd = null;
    if (!done.ok) {
      rmSync(temp, { force: true });
      process.stderr.write(`hygiene: ${input}: ${done.error.message}\n`);
      return 1;
    }
    renameSync(temp, output);
    const { rows, mean } = done.value;
    process.stderr.write(`hygiene: ${rows} contacts scored (mean ${mean.toFixed(1)}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    process.stderr.write(`hygiene: cannot write ${output}: ${(e as Error).message}\n`);
    return 1;
  }
}

/** Parses, scores and writes every row to `fd`; stops at the first malformed row. */
function scoreFile(text: string, settings: HygieneSettings, fd: number): Result<{ rows: number; mean: number }, string> {
  const parsed = parseCsv(text);
  if (!parsed.ok) return parsed;
  const table = parsed.value;
  const known = table.header.filter((h): h is Column => h in COLUMNS);
  const normalizedColumns = known.filter((c) => !NOT_NORMALIZED.has(c));
  const extraColumns = known.includes("job_title") ? ["job_seniority", "job_function"] : [];
  writeSync(fd, csvLine([...table.header, ...normalizedColumns.map((c) => `${c}_normalized`), ...extraColumns, "score", "findings"]));
  // Only fields the export has can be required: a column left out of the export is unknown, not empty.
  const present = new Set<string>(known.map((c) => COLUMNS[c]));
  const required = Object.fromEntries(Object.entries(settings.required.contacts).filter(([f]) => present.has(f)));
  const effective: HygieneSettings = { ...settings, required: { ...settings.required, contacts: required } };
  const suspects = duplicateCounter(table.header, table.rows);
  const now = Date.now();
  let total = 0;
  for (let start = 0; start < table.rows.length; start += CHUNK) {
    const chunk = { header: table.header, rows: table.rows.slice(start, start + CHUNK), lines: table.lines.slice(start, start + CHUNK) };
    const records = csvRecords(chunk);
    if (!records.ok) return records;
    let out = "";
    for (let i = 0; i < records.value.length; i++) {
      const r = records.value[i];
      const row = chunk.rows[i];
      if (!r || !row) continue;
      const contact = toContact(r.line, r.values);
      const report = scoreContact(contact, effective, { now, duplicateSuspects: suspects(r.values) });
      total += report.score;
      out += csvLine([
        ...row,
        ...normalizedColumns.map((c) => report.normalized[COLUMNS[c]] ?? ""),
        ...jobColumns(report, extraColumns),
        String(report.score),
        findingsJson(report),
      ]);
    }
    writeSync(fd, out);
    const done = Math.min(start + CHUNK, table.rows.length);
    if (table.rows.length >= PROGRESS_EVERY && (done % PROGRESS_EVERY === 0 || done === table.rows.length)) {
      process.stderr.write(`hygiene: ${done}/${table.rows.length} rows\n`);
    }
  }
  return ok({ rows: table.rows.length, mean: table.rows.length ? total / table.rows.length : 0 });
}

function toContact(line: number, values: Record<string, string>): Contact {
  const id = (values.id ?? "").trim();
  const c = emptyContact(id === "" ? `row-${line}` : id);
  for (const [column, field] of Object.entries(COLUMNS)) {
    const v = values[column];
    // Blank cells are absent; non-blank ones go in as typed so spacing and casing are judged too.
    if (v !== undefined && v.trim() !== "") c[field] = v;
  }
  return c;
}

function jobColumns(report: HygieneReport, extra: string[]): string[] {
  return extra.length === 0 ? [] : [report.normalized.seniority ?? "", report.normalized.jobFunction ?? ""];
}

/** Findings as JSON, fields named by their CSV column. */
function findingsJson(report: HygieneReport): string {
  return JSON.stringify(
    report.findings.map((f) => ({
      code: f.code,
      field: FIELD_TO_COLUMN.get(f.field) ?? f.field,
      severity: f.severity,
      message: f.message,
      fix: f.fix,
    })),
  );
}

/** Suspected duplicates within the file: other rows with the same email or the same phone digits (a cheap exact pass). */
function duplicateCounter(header: string[], rows: string[][]): (values: Record<string, string>) => number | undefined {
  const emailAt = header.indexOf("email");
  const phoneAt = header.indexOf("phone");
  if (emailAt < 0 && phoneAt < 0) return () => undefined;
  const counts = new Map<string, number>();
  const keys = (email: string | undefined, phone: string | undefined): string[] => {
    const out: string[] = [];
    const e = email?.trim().toLowerCase();
    if (e?.includes("@")) out.push(`e:${e}`);
    const digits = phone?.replace(/\D/g, "") ?? "";
    if (digits.length >= 7) out.push(`p:${digits.slice(-10)}`);
    return out;
  };
  for (const row of rows) for (const k of keys(row[emailAt], row[phoneAt])) counts.set(k, (counts.get(k) ?? 0) + 1);
  return (values) => Math.max(0, ...keys(values.email, values.phone).map((k) => (counts.get(k) ?? 1) - 1));
}
