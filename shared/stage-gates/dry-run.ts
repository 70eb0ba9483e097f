import type { RecordHistory } from "../crm-port.ts";
import type { Deal, Pipeline } from "../domain/types.ts";
import { err, ok, type Result } from "../result.ts";
import { nextStageChecklist, type StageChecklist } from "./checklist.ts";
import { parseStageGateSettings, type SettingsProblem, type StageGateSettings } from "./settings.ts";
import type { CriterionResult, DealAssociations } from "./types.ts";

export type DryRunDeal = { deal: Deal; associations?: DealAssociations; history?: RecordHistory };

/** One open deal the draft rules would stop (enforce) or warn about (warn) when it moves to its next stage. */
export type DryRunHit = {
  dealId: string;
  dealName: string | null;
  pipelineId: string;
  stageId: string;
  stageLabel: string;
  nextStageId: string | null;
  outcome: "blocked" | "warned";
  missing: CriterionResult[];
};

export type DryRunReport = {
  /** Open deals checked. */
  evaluated: number;
  hits: DryRunHit[];
  /** Per stage with criteria: open deals in it and how many the rules would stop or warn about. */
  byStage: { pipelineId: string; stageId: string; stageLabel: string; open: number; hit: number }[];
  /** Deals not checked, and why (closed, no pipeline, unknown stage). */
  skipped: { dealId: string; reason: string }[];
};

export type DryRunOptions = { pipelines: readonly Pipeline[]; now: number; propertyLabels?: Readonly<Record<string, string>> };

/**
 * Checks a draft rule set (validated first) against open deals: which would be stopped moving forward, and what each
 * lacks. Exemptions are not applied, since no one is moving the deals.
 */
export function dryRun(
  rules: unknown,
  deals: readonly DryRunDeal[],
  options: DryRunOptions,
): Result<DryRunReport, "invalid_settings"> & { problems?: SettingsProblem[] } {
  const parsed = parseStageGateSettings(rules);
  if (!parsed.ok) return parsed;
  const settings = parsed.value;
  const pipelines = new Map(options.pipelines.map((p) => [p.id, p]));
  const report: DryRunReport = { evaluated: 0, hits: [], byStage: [], skipped: [] };
  const stageRows = new Map<string, DryRunReport["byStage"][number]>();
  for (const item of deals) {
    const checked = checkOpenDeal(item, pipelines, settings, options);
    if (!checked.ok) {
      report.skipped.push({ dealId: item.deal.id, reason: checked.error.message });
      continue;
    }
    const list = checked.value;
    report.evaluated++;
    if (list.items.length === 0) continue;
    const key = `${list.pipelineId}\u0000${list.stageId}`;
    const row = stageRows.get(key) ?? { pipelineId: list.pipelineId, stageId: list.stageId, stageLabel: list.stageLabel, open: 0, hit: 0 };
    stageRows.set(key, row);
    row.open++;
    if (list.ready) continue;
    row.hit++;
    report.hits.push({
      dealId: item.deal.id,
      dealName: item.deal.name,
      pipelineId: list.pipelineId,
      stageId: list.stageId,
      stageLabel: list.stageLabel,
      nextStageId: list.nextStageId,
      outcome: list.mode === "enforce" ? "blocked" : "warned",
      missing: list.items.filter((i) => !i.met),
    });
  }
  report.byStage = [...stageRows.values()];
  return ok(report);
}

/** The checklist of an open deal in a known pipeline; otherwise why it is skipped. */
function checkOpenDeal(
  { deal, associations, history }: DryRunDeal,
  pipelines: ReadonlyMap<string, Pipeline>,
  settings: StageGateSettings,
  options: DryRunOptions,
): Result<StageChecklist, "skipped"> {
  const pipeline = deal.pipelineId === null ? undefined : pipelines.get(deal.pipelineId);
  if (!pipeline) return err("skipped", `pipeline ${deal.pipelineId ?? "(none)"} is unknown`);
  if (pipeline.stages.find((s) => s.id === deal.stageId)?.isClosed) return err("skipped", "deal is closed");
  const checked = nextStageChecklist(deal, pipeline, settings, {
    associations,
    history,
    now: options.now,
    propertyLabels: options.propertyLabels,
  });
  return checked.ok ? checked : err("skipped", checked.error.message);
}
