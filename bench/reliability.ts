/**
 * `npm run bench reliability [--scenario faults|redelivery|restart|soak|all] [--scale 1] [--burst-seconds 8]
 *   [--minutes 1] [--rate 200] [--new-rate 20] [--pool 2000] [--drain-minutes 10] [--log worker.log] [--dump diff.json]`
 *
 * Issue #10's proof under faults, redelivery, a restart and load, through the whole local stack: the Worker under
 * `wrangler dev` (local D1, Queues, Durable Objects) and the local HubSpot server (110 calls per 10 s, 20–120 ms per
 * call) behind a recording proxy. Hygiene fixes, routing (by zip, one rep per queue) and enforced stage gates are on.
 *
 * - faults: the script (workload.ts; its event mix is printed) delivered once in order while HubSpot cycles through
 *   bursts of 429s, 503s, hangs past the Worker's timeout, slow answers and lost replies to applied writes; records
 *   are deleted or merged between their webhook and the Worker's read. Compared with a fault-free run of the script.
 * - redelivery: every event delivered twice, regrouped and shuffled, half a third time after the first copies were
 *   processed (and after a cron run); our own writes' events twice as well. Compared with the fault-free run.
 * - restart: the script delivered at once; the Worker stopped while a backlog is queued and started again on the same
 *   state; then the backfill cron. Says what the local queue kept, and compares with the fault-free run.
 * - soak: `--rate` events/s for `--minutes` (new contacts at `--new-rate`/s, the rest property changes), then waits
 *   up to `--drain-minutes` for the backlog.
 * Each prints events accepted / processed / dead-lettered (with reasons) / lost / applied twice, the most HubSpot
 * calls in any 10 s window against the limit, the Worker's memory over time and whether the backlog drained.
 */
import { writeFileSync } from "node:fs";
import { arg, printTable } from "./_util.ts";
import { describeFates } from "./reliability/accounting.ts";
import { differenceRows } from "./reliability/differences.ts";
import { latencySummary, maxPerWindow, memorySummary, statusCounts } from "./reliability/observe.ts";
import { runScripted, type ScriptedOptions, type ScriptedRun } from "./reliability/scripted.ts";
import { runSoak } from "./reliability/soak.ts";
import { appliedTwice, diffStates, effectsOf } from "./reliability/state.ts";

const LIMIT = 110;
const SCENARIOS = ["faults", "redelivery", "restart", "soak"] as const;

function apiRows(run: { calls: ScriptedRun["calls"]; limiterRefusals: number; batches: ScriptedRun["batches"] }): Array<[string, string]> {
  return [
    [
      "consumer batches (Worker log)",
      `${run.batches.total}, of which ${run.batches.retried} ended early on a CRM error (retried; the consumer does not log the error)`,
    ],
    ["HubSpot calls (by status)", `${run.calls.length} (${statusCounts(run.calls)}); answered in ${latencySummary(run.calls)}`],
    [
      "most calls in any 10 s window",
      `${maxPerWindow(run.calls)} (limit ${LIMIT}); refused by HubSpot's own limiter: ${run.limiterRefusals}`,
    ],
  ];
}

const dumps: Record<string, unknown> = {};

/** What `--dump` keeps of a difference: both runs' view of each differing record, with the Worker's D1 rows. */
function dumpDifferences(name: string, keys: readonly string[], run: ScriptedRun, baseline: ScriptedRun): void {
  const about = (r: ScriptedRun, id: string) =>
    Object.fromEntries(
      Object.entries(r.d1).map(([table, rows]) => [table, rows.filter((row) => (row as { object_id?: string }).object_id === id)]),
    );
  dumps[name] = keys.map((key) => {
    const id = key.split("/")[1] ?? "";
    return {
      key,
      expected: { state: baseline.state.get(key), record: baseline.raw.get(key), d1: about(baseline, id) },
      actual: { state: run.state.get(key), record: run.raw.get(key), d1: about(run, id) },
    };
  });
}

function drainedText(run: ScriptedRun): string {
  const open = run.fates.stuck + run.fates.lost;
  if (open > 0) return `no: ${open} accepted events never reached an outcome`;
  return run.drainedMs === null ? "yes (time not measured)" : `yes, ${(run.drainedMs / 1000).toFixed(0)} s after the last send`;
}

function report(name: string, run: ScriptedRun, baseline: ScriptedRun | null): void {
  const rows: Array<[string, string]> = [
    [
      "webhook deliveries",
      `${run.delivery.requests} requests, ${run.delivery.eventCopies} event copies; ${run.delivery.non2xx} non-2xx, ${run.delivery.timeouts} timed out, ${run.delivery.gaveUp} given up`,
    ],
    ...describeFates(run.fates),
    ["what the engines did (CRM)", effectsOf(run.state)],
    ...apiRows(run),
    ["memory", memorySummary(run.memory, run.startedAt)],
    ["backlog drained", drainedText(run)],
  ];
  if (baseline) {
    const diff = diffStates(baseline.state, run.state);
    const twice = appliedTwice(baseline.state, run.state);
    if (diff.differing > 0) dumpDifferences(name, diff.keys, run, baseline);
    rows.push(
      [
        "final CRM state vs fault-free run",
        diff.differing === 0 ? `identical (${run.state.size} records)` : `${diff.differing} of ${run.state.size} records differ`,
      ],
      ...differenceRows(diff.keys, baseline.state, run.state, run.d1),
      ["side effects applied twice (CRM)", `${twice.writes} property writes, ${twice.notes} notes, ${twice.tasks} tasks`],
      ...twice.examples.map((e): [string, string] => ["  twice", e]),
    );
  }
  rows.push(...run.notes.map((n): [string, string] => ["note", n]));
  printTable(name, rows);
}

export async function run(args: string[]): Promise<void> {
  const scenario = arg(args, "scenario", "all");
  const chosen = scenario === "all" ? [...SCENARIOS] : scenario.split(",");
  for (const s of chosen)
    if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`unknown scenario ${s}: ${SCENARIOS.join(", ")} or all`);
  const log = arg(args, "log", "");
  const dump = arg(args, "dump", "");
  const common = {
    scale: Number(arg(args, "scale", "1")),
    latency: { minMs: 20, maxMs: 120 },
    burstMs: Number(arg(args, "burst-seconds", "8")) * 1000,
    drainMs: Number(arg(args, "drain-minutes", "10")) * 60_000,
    ...(log ? { log } : {}),
  };
  const scripted = (o: Pick<ScriptedOptions, "plan" | "faults" | "restart">) => runScripted({ ...common, ...o });

  let baseline: ScriptedRun | null = null;
  if (chosen.some((s) => s !== "soak")) {
    process.stderr.write("reliability: fault-free run of the script (the reference)...\n");
    baseline = await scripted({ plan: "in-order", faults: false, restart: false });
    printTable(
      "event mix of the script (per run)",
      baseline.mix.map(([k, v]) => [k, String(v)]),
    );
    report("reference: fault-free, delivered once in order", baseline, null);
  }
  if (chosen.includes("faults")) {
    process.stderr.write("reliability: faults...\n");
    report(
      "faults: 429 / 5xx / hang / slow / lost-reply bursts, deletes and merges before the read",
      await scripted({ plan: "in-order", faults: true, restart: false }),
      baseline,
    );
  }
  if (chosen.includes("redelivery")) {
    process.stderr.write("reliability: redelivery...\n");
    report(
      "redelivery: every event 2–3 times, shuffled, some after processing",
      await scripted({ plan: "redeliver", faults: false, restart: false }),
      baseline,
    );
  }
  if (chosen.includes("restart")) {
    process.stderr.write("reliability: restart (takes over 2 minutes: the backfill waits for its grace period)...\n");
    report(
      "restart: Worker stopped mid-backlog, started on the same state, backfill cron",
      await scripted({ plan: "in-order", faults: false, restart: true }),
      baseline,
    );
  }
  if (dump && Object.keys(dumps).length > 0) {
    writeFileSync(dump, JSON.stringify(dumps, null, 1));
    process.stderr.write(`differences written to ${dump}\n`);
  }
  if (chosen.includes("soak")) {
    const o = {
      minutes: Number(arg(args, "minutes", "1")),
      rate: Number(arg(args, "rate", "200")),
      newRate: Number(arg(args, "new-rate", "20")),
      pool: Number(arg(args, "pool", "2000")),
      latency: common.latency,
      drainMs: common.drainMs,
      ...(log ? { log } : {}),
    };
    process.stderr.write(`reliability: soak ${o.minutes} min at ${o.rate} events/s...\n`);
    const soak = await runSoak(o);
    const made = soak.made.creations + soak.made.changes;
    const first = soak.backlog[0];
    const last = soak.backlog.at(-1);
    printTable(`soak: ${o.rate} events/s for ${o.minutes} min (new contacts ≤ ${o.newRate}/s, the rest property changes)`, [
      [
        "events made by people",
        `${made} in ${soak.made.seconds.toFixed(0)} s (${(made / soak.made.seconds).toFixed(0)}/s): ${soak.made.creations} new contacts, ${soak.made.changes} property changes`,
      ],
      [
        "webhook deliveries",
        `${soak.delivery.requests} requests, ${soak.delivery.eventCopies} event copies; ${soak.delivery.non2xx} non-2xx, ${soak.delivery.timeouts} timed out`,
      ],
      ...describeFates(soak.fates),
      [
        "side effects applied twice (CRM)",
        `${soak.doubles.owners} owner writes, ${soak.doubles.fixes} fixes beyond one per value people entered`,
      ],
      ...soak.doubles.examples.map((e): [string, string] => ["  twice", e]),
      ...apiRows(soak),
      ["memory", memorySummary(soak.memory, soak.startedAt)],
      [
        "backlog (accepted − processed) every 10 s",
        soak.backlog.map((b) => `${((b.at - soak.startedAt) / 1000).toFixed(0)}s ${b.accepted - b.processed}`).join(", "),
      ],
      [
        "processed per second while loading",
        first && last && last.at > first.at ? ((last.processed - first.processed) / ((last.at - first.at) / 1000)).toFixed(0) : "–",
      ],
      [
        "backlog drained",
        soak.drainedMs === null
          ? `no, not within ${o.drainMs / 60_000} min after the load stopped`
          : `yes, ${(soak.drainedMs / 1000).toFixed(0)} s after the load stopped`,
      ],
    ]);
  }
}
