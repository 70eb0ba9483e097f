import type { RecordHistory } from "../../../shared/crm-port.ts";
import type { RecordEvents } from "../../../shared/events/coalesce.ts";
import type { HygieneReport } from "../../../shared/hygiene/types.ts";
import { mayWrite } from "../../../shared/settings/portal-settings.ts";
import { saveSnapshots } from "../cards/record-snapshots.ts";
import { autoFixProperties, extraProperties, type HygieneObject, judgedProperties, mayBeJudged } from "../hygiene/fields.ts";
import { type HygieneRecord, planRecordAutoFix, scoreRecord, withValues } from "../hygiene/plan.ts";
import { scoringContexts, undoneProperties } from "../hygiene/record-context.ts";
import { saveScores } from "../hygiene/score-store.ts";
import type { Engine, EngineContext, PlannedChange } from "./types.ts";

/** Events after which the record is judged whole: a merge survivor is a record no event described yet. */
const RESCORING_EVENTS = new Set(["created", "restored", "merged"]);

const isHygieneObject = (t: string): t is HygieneObject => t === "contacts" || t === "companies";

/**
 * Data hygiene on the event pipeline: scores contacts and companies when they are created or a judged property
 * changes, keeps the latest score in D1 for cards and the dashboard, and plans the fixes an admin set to `auto` as
 * one update per record (applied only with the automation on; never over a person's later edit).
 */
export const hygieneEngine: Engine = {
  name: "hygiene",
  wants(g: RecordEvents) {
    if (!isHygieneObject(g.objectType)) return false;
    const objectType = g.objectType;
    return rescoring(g) || [...g.changedProperties].some((p) => mayBeJudged(objectType, p));
  },
  // Hygiene fields are named as HubSpot names them; a Salesforce org is scored on the fields its adapter maps, and not
  // auto-fixed (see README), so nothing extra is read there.
  propertiesFor: (objectType, settings, crm) =>
    isHygieneObject(objectType) && crm === "hubspot" ? extraProperties(objectType, settings.hygiene) : [],
  historyFor: (objectType, settings, crm) =>
    isHygieneObject(objectType) && crm === "hubspot" ? autoFixProperties(objectType, settings.hygiene) : [],

  async plan(group, ctx) {
    return (await planGroups([group], ctx))[0] ?? [];
  },

  planBatch: planGroups,
};

type Scored = { group: number; objectType: HygieneObject; record: HygieneRecord; history: RecordHistory };

/** Scores every record of the batch that needs it, with one set of D1 reads and one batch of writes per object type. */
async function planGroups(groups: readonly RecordEvents[], ctx: EngineContext): Promise<PlannedChange[][]> {
  const out: PlannedChange[][] = groups.map(() => []);
  const due: Scored[] = [];
  groups.forEach((group, k) => {
    const objectType = group.objectType;
    if (!isHygieneObject(objectType)) return;
    const loaded = ctx.records.get(objectType, group.objectId);
    // A merged-away id answers with its survivor, whose own events score it.
    if (!loaded || loaded.record.id !== group.objectId) return;
    const judged = judgedProperties(objectType, ctx.settings.hygiene);
    if (!rescoring(group) && ![...group.changedProperties].some((p) => judged.has(p))) return;
    due.push({ group: k, objectType, record: loaded.record, history: loaded.history });
  });
  for (const objectType of ["contacts", "companies"] as const) {
    const mine = due.filter((d) => d.objectType === objectType);
    if (mine.length === 0) continue;
    const plans = await scoreAndPlan(objectType, mine, ctx);
    mine.forEach((d, i) => {
      out[d.group] = plans[i] ?? [];
    });
  }
  return out;
}

/** Creation, restore, merge, backfill and replay: the record is scored whatever changed. */
function rescoring(g: RecordEvents): boolean {
  return g.created || g.events.some((e) => RESCORING_EVENTS.has(e.kind) || e.origin === "backfill" || e.origin === "replay");
}

async function scoreAndPlan(objectType: HygieneObject, due: readonly Scored[], ctx: EngineContext): Promise<PlannedChange[][]> {
  const settings = ctx.settings.hygiene;
  const ids = due.map((d) => d.record.id);
  const [contexts, undone] = await Promise.all([
    scoringContexts(
      ctx.db,
      ctx.portalKey,
      objectType,
      due.map((d) => d.record),
      ctx.now,
    ),
    undoneProperties(ctx.db, ctx.portalKey, objectType, ids),
  ]);
  const reports: HygieneReport[] = [];
  const firstScores = new Map<string, number>();
  const fixedSnapshots = new Map<string, { record: HygieneRecord; history: RecordHistory }>();
  const plans = due.map(({ record, history }): PlannedChange[] => {
    const context = contexts.get(record.id) ?? { now: ctx.now };
    const report = scoreRecord(objectType, record, settings, context);
    // Fixes are written with HubSpot property names; a Salesforce org is scored only (see README).
    if (ctx.crm.crm !== "hubspot") {
      reports.push(report);
      return [];
    }
    const { change, updates } = planRecordAutoFix({
      objectType,
      record,
      history,
      report,
      settings,
      appId: ctx.appId,
      undoneProperties: undone.get(record.id) ?? new Set(),
    });
    if (!change || !mayWrite(ctx.settings, "hygiene")) {
      // First score before any fix of ours; the suggestion (observed) is audited by the executor.
      reports.push(report);
      return change ? [change] : [];
    }
    // The executor writes the fix in this batch: keep the score and snapshot of the record as it will be.
    const fixed = withValues(record, updates);
    const after = scoreRecord(objectType, fixed, settings, context);
    reports.push(after);
    firstScores.set(record.id, report.score);
    fixedSnapshots.set(record.id, { record: fixed, history });
    ctx.log.info("hygiene auto-fix planned", {
      objectType,
      objectId: record.id,
      rule: change.rule,
      before: report.score,
      after: after.score,
    });
    return [change];
  });
  await saveScores(ctx.db, ctx.portalKey, reports, ctx.now, firstScores);
  await saveSnapshots(ctx.db, ctx.portalKey, objectType, fixedSnapshots, ctx.now);
  return plans;
}
