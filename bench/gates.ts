/**
 * `npm run bench gates [--deals N]`: time of `evaluateStageMove` per deal on a realistic rule set (required
 * properties, several predicates, associations and a MEDDPICC minimum), for one-stage moves and skips; also
 * `nextStageChecklist` per deal and a whole `dryRun`.
 */
import type { RecordHistory } from "../shared/crm-port.ts";
import type { Deal } from "../shared/domain/types.ts";
import { nextStageChecklist } from "../shared/stage-gates/checklist.ts";
import { dryRun } from "../shared/stage-gates/dry-run.ts";
import { evaluateStageMove } from "../shared/stage-gates/evaluate.ts";
import { historyOf, NOW, SALES_PIPELINE } from "../shared/stage-gates/fixtures.ts";
import { parseStageGateSettings } from "../shared/stage-gates/settings.ts";
import type { DealAssociations } from "../shared/stage-gates/types.ts";

const RULES = {
  pipelines: {
    default: {
      mode: "enforce",
      allowBackward: false,
      exemptions: { teamIds: ["t-ops"], userIds: ["1"] },
      stages: {
        appointmentscheduled: { required: ["hs_next_step", "dealtype"], associations: [{ kind: "contacts_at_least", min: 1 }] },
        qualifiedtobuy: {
          required: ["amount", "closedate"],
          predicates: [
            { op: "number_at_least", property: "amount", min: 1000 },
            { op: "date_in_future", property: "closedate" },
            { op: "one_of", property: "dealtype", values: ["newbusiness", "existingbusiness"] },
          ],
          qualification: [{ framework: "BANT", minScore: 75 }],
        },
        presentationscheduled: {
          predicates: [
            { op: "changed_since_stage_entered", property: "hs_next_step" },
            { op: "date_in_past", property: "demo_date" },
          ],
          associations: [{ kind: "contact_with_role", role: "Decision Maker" }, { kind: "company" }],
        },
        decisionmakerboughtin: {
          qualification: [{ framework: "MEDDPICC", minScore: 70 }],
          predicates: [{ op: "not_empty", property: "hs_priority" }],
        },
        contractsent: {
          predicates: [{ op: "equals", property: "legal_review", value: "done" }],
          qualification: [{ framework: "MEDDPICC", minScore: 90 }],
        },
      },
    },
  },
};

const OPEN = ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent"];
const MEDDPICC = [
  "metrics",
  "economic_buyer",
  "decision_criteria",
  "decision_process",
  "paper_process",
  "identified_pain",
  "champion",
  "competition",
];

type Sample = { deal: Deal; from: string; to: string; history: RecordHistory; associations: DealAssociations };

/** A deterministic deal: about two thirds of each property filled, a stage history and a next-step history. */
function sample(i: number): Sample {
  const r = (k: number) => ((i * 2654435761 + k * 40503) >>> 0) % 100;
  const fromIdx = i % OPEN.length;
  const toIdx = Math.min(OPEN.length, fromIdx + 1 + (r(1) < 20 ? 2 : 0));
  const props: Record<string, string | null> = {
    amount: r(2) < 70 ? String(500 + r(3) * 100) : null,
    closedate: r(4) < 70 ? (r(5) < 80 ? "2026-06-30" : "2026-01-15") : null,
    dealtype: r(6) < 70 ? "newbusiness" : null,
    hs_next_step: r(7) < 70 ? "Send proposal" : null,
    demo_date: r(8) < 60 ? "2026-02-20" : null,
    hs_priority: r(9) < 70 ? "high" : null,
    legal_review: r(10) < 50 ? "done" : "pending",
    bant_budget: r(11) < 70 ? "yes" : null,
    bant_authority: r(12) < 70 ? "CFO" : "unknown",
    bant_need: r(13) < 70 ? "Reporting" : null,
    bant_timeline: r(14) < 70 ? "Q2" : null,
  };
  MEDDPICC.forEach((e, k) => {
    props[`meddpicc_${e}`] = r(20 + k) < 70 ? "documented" : null;
  });
  const from = OPEN[fromIdx] as string;
  const to = OPEN[toIdx] ?? "closedwon";
  const deal: Deal = {
    id: String(i),
    name: `Deal ${i}`,
    pipelineId: "default",
    stageId: to,
    amount: null,
    closeDate: null,
    ownerId: "7",
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: null,
    properties: { dealstage: to, ...props },
  };
  const history = historyOf({
    dealstage: [
      ["2026-01-01T00:00:00Z", "appointmentscheduled"],
      ["2026-02-01T00:00:00Z", from],
      ["2026-03-10T11:59:00Z", to],
    ],
    hs_next_step: [
      ["2026-01-05T00:00:00Z", "Book demo"],
      ["2026-01-20T00:00:00Z", "Demo"],
      [r(30) < 50 ? "2026-02-15T00:00:00Z" : "2026-01-25T00:00:00Z", props.hs_next_step ?? null],
    ],
  });
  const contacts =
    r(31) < 80
      ? [
          { id: "c1", labels: r(32) < 60 ? ["Decision Maker"] : ["Influencer"] },
          { id: "c2", labels: [] },
        ]
      : [];
  return { deal, from, to, history, associations: { contacts, companies: r(33) < 80 ? [{ id: "co1" }] : [] } };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function report(name: string, times: Float64Array, totalMs: number) {
  const sorted = times.slice().sort();
  const f = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(
    `${name.padEnd(26)} n=${times.length}  p50 ${f(percentile(sorted, 0.5))}  p99 ${f(percentile(sorted, 0.99))}  max ${f(sorted[sorted.length - 1] ?? 0)}  ${Math.round((times.length / totalMs) * 1000).toLocaleString("en-US")} deals/s`,
  );
}

export async function run(args: string[]): Promise<void> {
  const n = Number(args[args.indexOf("--deals") + 1]) || 20_000;
  const parsed = parseStageGateSettings(RULES);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const settings = parsed.value;
  const samples = Array.from({ length: n }, (_, i) => sample(i));
  const actor = { userId: "42", teamIds: ["t-sales"] };
  const evaluate = (s: Sample) =>
    evaluateStageMove({
      deal: s.deal,
      fromStageId: s.from,
      toStageId: s.to,
      pipeline: SALES_PIPELINE,
      settings,
      associations: s.associations,
      history: s.history,
      actor,
      now: NOW,
    });
  for (const s of samples.slice(0, 2_000)) evaluate(s); // warm-up
  const verdicts = new Map<string, number>();
  const times = new Float64Array(n);
  const start = performance.now();
  samples.forEach((s, i) => {
    const t0 = performance.now();
    const d = evaluate(s);
    times[i] = performance.now() - t0;
    const v = d.ok ? d.value.verdict : "error";
    verdicts.set(v, (verdicts.get(v) ?? 0) + 1);
  });
  console.log(`stage gates, ${n} deals, ${process.version}; verdicts ${JSON.stringify(Object.fromEntries(verdicts))}`);
  report("evaluateStageMove", times, performance.now() - start);

  const listTimes = new Float64Array(n);
  const listStart = performance.now();
  samples.forEach((s, i) => {
    const t0 = performance.now();
    nextStageChecklist({ ...s.deal, stageId: s.from }, SALES_PIPELINE, settings, {
      history: s.history,
      associations: s.associations,
      now: NOW,
    });
    listTimes[i] = performance.now() - t0;
  });
  report("nextStageChecklist", listTimes, performance.now() - listStart);

  const t0 = performance.now();
  const dry = dryRun(
    RULES,
    samples.map((s) => ({ deal: { ...s.deal, stageId: s.from }, history: s.history, associations: s.associations })),
    { pipelines: [SALES_PIPELINE], now: NOW },
  );
  const ms = performance.now() - t0;
  console.log(`dryRun (whole portal)      ${n} deals in ${ms.toFixed(0)} ms, ${dry.ok ? dry.value.hits.length : "error"} would be blocked`);
}
