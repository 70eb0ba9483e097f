/**
 * `npm run --silent cli -- route --settings settings.json --input leads.csv [--companies companies.csv] [--at ISO-time]
 * --output routed.csv`: what-if owner routing of a lead export, at one instant, in file order. Writes
 * `id,owner_id,queue,rule,reason`; the distribution per rep goes to stderr. Nothing is written to any CRM.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { parseCsv } from "../shared/csv/parse.ts";
import { csvRecords } from "../shared/csv/records.ts";
import { csvLine } from "../shared/csv/write.ts";
import { err, ok, type Result } from "../shared/result.ts";
import { parseRoutingSettings, type RoutingSettings } from "../shared/routing/settings.ts";
import { explainDecision, type Simulation, simulateRouting } from "../shared/routing/simulate.ts";
import type { CompanyRef, Lead } from "../shared/routing/types.ts";

const USAGE =
  "usage: npm run --silent cli -- route --settings settings.json --input leads.csv [--companies companies.csv] [--at ISO-time] --output routed.csv";
const FLAGS = ["--settings", "--input", "--companies", "--at", "--output"];

type Args = { settings: string; input: string; companies: string | null; at: Date; output: string };

function parseArgs(args: string[]): Result<Args, "usage"> {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i] ?? "";
    const value = args[i + 1];
    if (!FLAGS.includes(flag)) return err("usage", `unknown option "${flag}"`);
    if (value === undefined) return err("usage", `${flag} needs a value`);
    values.set(flag, value);
  }
  const [settings, input, output] = [values.get("--settings"), values.get("--input"), values.get("--output")];
  if (!settings || !input || !output) return err("usage", "--settings, --input and --output are required");
  const atText = values.get("--at");
  const at = atText === undefined ? new Date() : new Date(atText);
  if (atText !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(atText) || Number.isNaN(at.getTime()))) {
    return err("usage", `--at "${atText}" is not an ISO date-time (e.g. 2026-11-23T09:00:00Z)`);
  }
  return ok({ settings, input, companies: values.get("--companies") ?? null, at, output });
}

// Keys of a PortalSettings document; one with any of these (or `routing`) is a full document, not a bare routing one.
const PORTAL_KEYS = ["schemaVersion", "automations", "killSwitch", "permissions", "apiBudget", "stageGates", "hygiene", "dedupe"];

/** The routing section of a `PortalSettings` document (absent: defaults), or the document itself when it is bare. */
export function routingSection(doc: unknown): unknown {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return doc;
  const record = doc as Record<string, unknown>;
  if ("routing" in record) return record.routing;
  return Object.keys(record).some((k) => PORTAL_KEYS.includes(k)) ? {} : doc;
}

function loadSettings(path: string): Result<RoutingSettings, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return err("settings_unreadable", `cannot read ${path}: ${(e as Error).message}`);
  }
  const parsed = parseRoutingSettings(routingSection(doc));
  if (parsed.ok) return parsed;
  const prefix = typeof doc === "object" && doc !== null && "routing" in doc ? "routing." : "";
  const lines = (parsed.problems ?? []).map((p) => `  ${prefix}${p.path}: ${p.message}`);
  return err("invalid_settings", `invalid routing settings in ${path}:\n${lines.join("\n")}`);
}

/** Reads a CSV into records with a unique, non-empty `id`; errors name the line. */
function readRecords(path: string, required: readonly string[]): Result<{ line: number; values: Record<string, string> }[], string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    return err("unreadable", `cannot read ${path}: ${(e as Error).message}`);
  }
  const table = parseCsv(text);
  if (!table.ok) return err(table.error.code, `${path}: ${table.error.message}`);
  const missing = required.filter((c) => !table.value.header.includes(c));
  if (missing.length > 0)
    return err("csv_missing_column", `${path}: line 1: the header has no ${missing.map((c) => `"${c}"`).join(", ")} column`);
  const records = csvRecords(table.value);
  if (!records.ok) return err(records.error.code, `${path}: ${records.error.message}`);
  const seen = new Set<string>();
  for (const r of records.value) {
    const id = (r.values.id ?? "").trim();
    if (id === "") return err("csv_empty_id", `${path}: line ${r.line}: the id is empty`);
    if (seen.has(id)) return err("csv_duplicate_id", `${path}: line ${r.line}: id "${id}" appears more than once`);
    seen.add(id);
  }
  return ok(records.value);
}

function toLead(values: Record<string, string>): Lead {
  const properties: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(values)) if (k !== "id") properties[k] = v.trim() === "" ? null : v.trim();
  return { id: (values.id ?? "").trim(), properties };
}

function toCompany(values: Record<string, string>): CompanyRef {
  const v = (k: string) => values[k]?.trim() || null;
  return { id: (values.id ?? "").trim(), domain: v("domain"), name: v("name"), ownerId: v("hubspot_owner_id") };
}

function distributionReport(sim: Simulation, settings: RoutingSettings): string {
  const weights = new Map(settings.reps.map((r) => [r.ownerId, r.weight]));
  const rows = sim.distribution.map((r) => {
    const weight = weights.has(r.ownerId) ? `weight ${weights.get(r.ownerId)}` : "account owner";
    return `  ${r.ownerId.padEnd(12)} ${(r.name ?? "").padEnd(24)} ${String(r.leads).padStart(7)}  ${(r.share * 100).toFixed(1).padStart(5)}%  ${weight}`;
  });
  const head = `route: ${sim.decisions.length} leads, ${sim.assigned} assigned, ${sim.unassigned} unassigned`;
  return `${head}\n  ${"owner".padEnd(12)} ${"name".padEnd(24)} ${"leads".padStart(7)}  ${"share".padStart(6)}\n${rows.join("\n")}\n`;
}

function writeAtomically(path: string, text: string): Result<true, string> {
  // Written beside the target and renamed, so a failure never leaves a partial output file.
  const temp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
    return ok(true);
  } catch (e) {
    rmSync(temp, { force: true });
    return err("unwritable", `cannot write ${path}: ${(e as Error).message}`);
  }
}

/** Runs the command; returns the exit code (0 done, 1 bad input or settings, 2 usage). */
export async function run(args: string[]): Promise<number> {
  const fail = (message: string, code = 1) => {
    process.stderr.write(`route: ${message}\n${code === 2 ? `${USAGE}\n` : ""}`);
    return code;
  };
  const parsed = parseArgs(args);
  if (!parsed.ok) return fail(parsed.error.message, 2);
  const a = parsed.value;
  const settings = loadSettings(a.settings);
  if (!settings.ok) return fail(settings.error.message);
  const leads = readRecords(a.input, ["id"]);
  if (!leads.ok) return fail(leads.error.message);
  const companies = a.companies ? readRecords(a.companies, ["id", "hubspot_owner_id"]) : ok([]);
  if (!companies.ok) return fail(companies.error.message);
  const sim = simulateRouting(
    leads.value.map((r) => toLead(r.values)),
    companies.value.map((r) => toCompany(r.values)),
    settings.value,
    a.at,
  );
  if (!sim.ok) return fail(sim.error.message);
  const lines = ["id,owner_id,queue,rule,reason\n"];
  for (const d of sim.value.decisions)
    lines.push(csvLine([d.leadId, d.ownerId ?? "", d.queueId ?? "", d.ruleId ?? "", explainDecision(d)]));
  const written = writeAtomically(a.output, lines.join(""));
  if (!written.ok) return fail(written.error.message);
  process.stderr.write(distributionReport(sim.value, settings.value));
  return 0;
}
