import type { RecordHistory } from "../crm-port.ts";
import type { Deal, Pipeline } from "../domain/types.ts";
import { ok, type Result } from "../result.ts";
import { nextStageChecklist } from "./checklist.ts";
import { parseStageGateSettings, type SettingsProblem } from "./settings.ts";
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
  for (const { deal, associations, history } of deals) {
    const pipeline = deal.pipelineId === null ? undefined : pipelines.get(deal.pipelineId);
    if (!pipeline) {
      report.skipped.push({ dealId: deal.id, reason: `pipeline ${deal.pipelineId ?? "(none)"} is unknown` });
      continue;
    }
    if (pipeline.stages.find((s) => s.id === deal.stageId)?.isClosed) {
      report.skipped.push({ dealId: deal.id, reason: "deal is closed" });
      continue;
    }
    const checked = nextStageChecklist(deal, pipeline, settings, {
      associations,
      history,
      now: options.now,
      propertyLabels: options.propertyLabels,
    });
    if (!checked.ok) {
      report.skipped.push({ dealId: deal.id, reason: checked.error.message });
      continue;
    }
    const list = checked.value;
    report.evaluated++;
    if (list.items.length === 0) continue;
    const key = `${pipeline.id}\u0000${list.stageId}`;
    const row = stageRows.get(key) ?? { pipelineId: pipeline.id, stageId: list.stageId, stageLabel: list.stageLabel, open: 0, hit: 0 };
    stageRows.set(key, row);
    row.open++;
    if (list.ready) continue;
    row.hit++;
    report.hits.push({
      dealId: deal.id,
      dealName: deal.name,
      pipelineId: pipeline.id,
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
