import type { PropertyHistoryEntry } from "../../../shared/crm-port.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { GateMode } from "../../../shared/stage-gates/settings.ts";
import type { Verdict } from "../../../shared/stage-gates/types.ts";

/** One judged stage move as `stage_gate_decisions` keeps it: the card's history and the anchor of later judgements. */
export type StageGateDecisionRow = {
  objectId: string;
  pipelineId: string;
  fromStageId: string | null;
  toStageId: string;
  verdict: Verdict;
  mode: GateMode;
  actorUserId: string | null;
  reasons: readonly string[];
  revertTo: string | null;
  /** The stage-history entry the move made (`moveKeyOf`): one decision per move however often it is delivered. */
  moveKey: string;
};

export type RecordedDecision = { verdict: Verdict; revertTo: string | null };

/** Names a move by the stage-history entry it made; the same in every read of the deal. */
export const moveKeyOf = (entry: PropertyHistoryEntry): string => `${entry.timestamp}:${entry.value ?? ""}`;

const INSERT_SQL = `INSERT INTO stage_gate_decisions (portal_key, object_id, decided_at, pipeline_id, from_stage, to_stage, verdict, mode, actor_user_id, reasons, revert_to, move_key)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;

/** Records judged moves; a move already recorded keeps its first decision. */
export async function recordDecisions(
  db: D1Database,
  portalKey: PortalKey,
  rows: readonly StageGateDecisionRow[],
  now: number,
): Promise<void> {
  if (rows.length === 0) return;
  await db.batch(
    rows.map((d) =>
      db
        .prepare(INSERT_SQL)
        .bind(
          portalKey,
          d.objectId,
          now,
          d.pipelineId,
          d.fromStageId,
          d.toStageId,
          d.verdict,
          d.mode,
          d.actorUserId,
          JSON.stringify(d.reasons),
          d.revertTo,
          d.moveKey,
        ),
    ),
  );
}

/** The recorded decisions among `moves`, keyed `objectId|moveKey`: one statement per deal, one round trip. */
export async function findDecisions(
  db: D1Database,
  portalKey: PortalKey,
  moves: ReadonlyArray<{ objectId: string; moveKeys: readonly string[] }>,
): Promise<Map<string, RecordedDecision>> {
  const found = new Map<string, RecordedDecision>();
  const asked = moves.filter((m) => m.moveKeys.length > 0);
  if (asked.length === 0) return found;
  const results = await db.batch<{ object_id: string; move_key: string; verdict: Verdict; revert_to: string | null }>(
    asked.map((m) =>
      db
        .prepare(
          `SELECT object_id, move_key, verdict, revert_to FROM stage_gate_decisions
           WHERE portal_key = ? AND object_id = ? AND move_key IN (${m.moveKeys.map(() => "?").join(", ")})`,
        )
        .bind(portalKey, m.objectId, ...m.moveKeys),
    ),
  );
  for (const r of results.flatMap((res) => res.results))
    found.set(`${r.object_id}|${r.move_key}`, { verdict: r.verdict, revertTo: r.revert_to });
  return found;
}
