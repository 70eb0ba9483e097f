import type { CrmError, CrmPort, CrmResult } from "../../../shared/crm-port.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import { ok } from "../../../shared/result.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { newestFirst } from "../../../shared/stage-gates/path.ts";
import type { PlannedChange, StageMoveGuard } from "../engines/types.ts";
import { type RecordLease, releaseRecordLeases, takeRecordLeases } from "../lib/record-locks.ts";
import { findDecisions, moveKeyOf, recordDecisions } from "./decisions.ts";

/** Longer than any holder works (a read, an update, two activity calls); a crashed holder's deals wait this long. */
const LEASE_MS = 60_000;
/** How long a batch waits for another batch to finish with a deal before it asks to be retried later. */
const WAIT_MS = 20_000;
const POLL_MS = 25;

type Guarded = PlannedChange & { changeKey: string; guard: StageMoveGuard };
type Ctx = { portalKey: PortalKey; settings: PortalSettings; crm: CrmPort; db: D1Database; now: number };

/**
 * Applies guarded stage-move changes deal by deal under each deal's lock (D1 leases, so any consumer invocation takes its
 * turn): re-reads the deals' stage history, keeps only the changes of moves that are still the deal's latest entry and
 * not yet recorded, applies them with `apply`, then records their decisions. A stale plan (the deal moved on; that move
 * has its own event) or a duplicate (another batch already acted) is dropped. Returns the CRM read calls it made, or a
 * retryable error when the read failed or another batch held a deal too long.
 */
export async function applyGuardedStageMoves(
  changes: readonly Guarded[],
  ctx: Ctx,
  apply: (kept: Guarded[]) => Promise<void>,
): Promise<CrmResult<{ apiCalls: number }>> {
  const byDeal = new Map<string, Guarded[]>();
  for (const c of changes) byDeal.set(c.objectId, [...(byDeal.get(c.objectId) ?? []), c]);
  const lease: RecordLease = { portalKey: ctx.portalKey, objectType: "deals", holder: crypto.randomUUID() };
  const deadline = Date.now() + WAIT_MS;
  let waiting = [...byDeal.keys()];
  let apiCalls = 0;
  while (waiting.length > 0) {
    const held = await takeRecordLeases(ctx.db, lease, waiting, Date.now(), LEASE_MS);
    if (held.length === 0) {
      if (Date.now() >= deadline) return busy(waiting.length);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));
      continue;
    }
    try {
      const groups = held.map((id) => byDeal.get(id) ?? []);
      const current = await stillCurrent(groups, ctx);
      if (!current.ok) return current;
      apiCalls += current.value.apiCalls;
      await apply(current.value.kept);
      await recordDecisions(ctx.db, ctx.portalKey, current.value.decisions, ctx.now);
    } finally {
      await releaseRecordLeases(ctx.db, lease, held);
    }
    waiting = waiting.filter((id) => !held.includes(id));
  }
  return ok({ apiCalls });
}

/** Keeps the groups whose move is still the deal's latest stage entry and has no recorded decision. */
async function stillCurrent(groups: readonly Guarded[][], ctx: Ctx) {
  const ids = groups.flatMap((g) => (g[0] ? [g[0].objectId] : []));
  const stageProperty = ctx.settings.stageGates.stageProperty;
  const [fresh, recorded] = await Promise.all([
    ctx.crm.read("deals", ids, { historyFor: [stageProperty] }),
    findDecisions(
      ctx.db,
      ctx.portalKey,
      groups.flatMap((g) => (g[0] ? [{ objectId: g[0].objectId, moveKeys: [...new Set(g.map((c) => c.guard.moveKey))] }] : [])),
    ),
  ]);
  if (!fresh.ok && fresh.error.retryable) return fresh;
  const kept: Guarded[] = [];
  for (const group of groups) {
    const first = group[0];
    if (!first) continue;
    // A deal the CRM no longer returns (deleted, merged away) is not ours to write.
    const latest = fresh.ok ? newestFirst(fresh.value.get(first.objectId)?.history[stageProperty])[0] : undefined;
    if (!latest || moveKeyOf(latest) !== first.guard.moveKey || recorded.has(`${first.objectId}|${first.guard.moveKey}`)) continue;
    kept.push(...group);
  }
  const decisions = [...new Map(kept.map((c) => [`${c.objectId}|${c.guard.moveKey}`, c.guard.decision])).values()];
  return ok({ kept, decisions, apiCalls: Math.ceil(ids.length / 100) });
}

function busy(deals: number) {
  const error: CrmError = {
    code: "timeout",
    message: `${deals} deal(s) still being judged by another batch after ${WAIT_MS / 1000} s`,
    retryable: true,
    retryAfterMs: 5_000,
  };
  return { ok: false as const, error };
}
