import type { DryRunResponse } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import type { RecordHistory } from "../../../shared/crm-port.ts";
import type { Deal, Pipeline, PortalKey } from "../../../shared/domain/types.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { dryRun } from "../../../shared/stage-gates/dry-run.ts";

const MAX_DEALS = 2_000;

/**
 * What a draft would do to the portal's deals before it is saved: the open deals (as last read into D1) that the
 * draft's stage exit criteria would stop or warn about on their next move. Only when the stage gates change.
 */
export async function stageGatesImpact(
  db: D1Database,
  portalKey: PortalKey,
  current: PortalSettings,
  draft: PortalSettings,
  pipelines: () => Promise<Pipeline[]>,
  now: number,
): Promise<DryRunResponse["impact"]> {
  if (JSON.stringify(current.stageGates) === JSON.stringify(draft.stageGates)) return [];
  const rows = await db
    .prepare("SELECT record, history FROM record_snapshots WHERE portal_key = ? AND object_type = 'deals' ORDER BY fetched_at DESC LIMIT ?")
    .bind(portalKey, MAX_DEALS)
    .all<{ record: string; history: string }>();
  const deals = rows.results.map((r) => ({ deal: JSON.parse(r.record) as Deal, history: JSON.parse(r.history) as RecordHistory }));
  const report = dryRun(draft.stageGates, deals, { pipelines: await pipelines(), now });
  if (!report.ok) return [];
  const blocked = report.value.hits.filter((h) => h.outcome === "blocked").length;
  return [
    {
      automation: "stageGates",
      summary: `${report.value.hits.length} of ${report.value.evaluated} open deals would not meet the exit criteria of their stage (${blocked} moved back, ${report.value.hits.length - blocked} warned)`,
      count: report.value.hits.length,
      examples: report.value.hits.slice(0, 5).map((h) => ({
        objectType: "deals" as const,
        objectId: h.dealId,
        name: h.dealName ?? `Deal ${h.dealId}`,
        detail: `${h.stageLabel}: ${h.missing.map((m) => m.label).join(", ")}`,
      })),
    },
  ];
}
