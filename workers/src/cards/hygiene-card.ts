import type { Context } from "hono";
import { z } from "zod";
import type { HygieneCardResponse, HygieneFixResponse } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import type { CardEnv } from "../auth/middleware.ts";
import { ApiError } from "../http/errors.ts";
import { hygieneCardView } from "../hygiene/card-view.ts";
import { extraProperties, type HygieneObject } from "../hygiene/fields.ts";
import { applyManualFixes, FixUnavailable } from "../hygiene/manual-fix.ts";
import { scoreRecord } from "../hygiene/plan.ts";
import { scoringContexts } from "../hygiene/record-context.ts";
import { loadScore, type StoredScore, saveScores } from "../hygiene/score-store.ts";
import { installedBy, mayDo } from "../settings/permissions.ts";
import { cardDeps, signedObjectId } from "./card-context.ts";
import type { CardDeps } from "./deal-gates-card.ts";
import { snapshotFor } from "./record-snapshots.ts";

/** One hygiene card request: the signed portal, user and record, and what the user may press. */
export type HygieneRequest = { deps: CardDeps; objectType: HygieneObject; objectId: string; userId: string; canFix: boolean };

const OBJECT_TYPE_IDS: Record<string, HygieneObject> = { "0-1": "contacts", "0-2": "companies" };

/** Reads the request's identity from the signed query only (objectType too: the whole query is signed). */
export async function hygieneRequest(c: Context<CardEnv>): Promise<HygieneRequest> {
  const card = c.get("card");
  const named = c.req.query("objectType") ?? (card.objectTypeId ? (OBJECT_TYPE_IDS[card.objectTypeId] ?? card.objectTypeId) : "contacts");
  if (named !== "contacts" && named !== "companies")
    throw new ApiError(400, "unsupported_object", `The hygiene card scores contacts and companies, not ${named}`);
  const deps = await cardDeps(c);
  const canFix = mayDo(deps.settings, await installedBy(deps.db, deps.portalKey), card.userId, "fix");
  return { deps, objectType: named, objectId: signedObjectId(c), userId: card.userId, canFix };
}

/**
 * The record's score, breakdown and findings with their fixes, from the score D1 keeps (no CRM call). A record the
 * pipeline has not scored yet is scored from its snapshot, or read once from the CRM, and kept for next time.
 */
export async function hygieneCard(req: HygieneRequest): Promise<HygieneCardResponse> {
  const stored = (await loadScore(req.deps.db, req.deps.portalKey, req.objectType, req.objectId)) ?? (await scoreNow(req));
  return hygieneCardView(stored, req.deps.settings, req.canFix);
}

async function scoreNow({ deps, objectType, objectId }: HygieneRequest): Promise<StoredScore> {
  const snapshot = await snapshotFor(deps.db, deps.portalKey, objectType, objectId, {
    properties: extraProperties(objectType, deps.settings.hygiene),
    crm: deps.crm,
    now: deps.now,
  }).catch((cause: unknown) => {
    throw new ApiError(502, "crm_unavailable", cause instanceof Error ? cause.message : String(cause));
  });
  if (!snapshot || snapshot.record.id !== objectId)
    throw new ApiError(404, "not_found", `Record ${objectId} does not exist in this portal`);
  const contexts = await scoringContexts(deps.db, deps.portalKey, objectType, [snapshot.record], deps.now);
  const report = scoreRecord(objectType, snapshot.record, deps.settings.hygiene, contexts.get(objectId) ?? { now: deps.now });
  await saveScores(deps.db, deps.portalKey, [report], deps.now);
  return { objectType, objectId, score: report.score, report, scoredAt: deps.now };
}

const FixRequestSchema = z.union([
  z.object({ findingIds: z.array(z.string().min(1).max(200)).min(1).max(50) }).strict(),
  z.object({ allSafe: z.literal(true) }).strict(),
]);

/** "Fix" / "Fix all safe" on the card: through the CRM in one write, audited as the user, then the card as it is now. */
export async function fixHygiene(req: HygieneRequest, body: unknown): Promise<HygieneFixResponse> {
  const parsed = FixRequestSchema.safeParse(body);
  if (!parsed.success) throw new ApiError(400, "invalid_request", 'Send { "findingIds": ["code:field", ...] } or { "allSafe": true }');
  if (!req.canFix) throw new ApiError(403, "forbidden", "Your user is not allowed to apply fixes here; ask a portal admin");
  const crm = await req.deps.crm();
  if (!crm) throw new ApiError(409, "not_installed", "This portal has not connected the app");
  const { deps } = req;
  try {
    const outcome = await applyManualFixes(req.objectType, req.objectId, parsed.data, { ...deps, crm, userId: req.userId });
    if (!outcome.report) throw new ApiError(404, "not_found", `Record ${req.objectId} does not exist in this portal`);
    const stored = { objectType: req.objectType, objectId: req.objectId, score: outcome.report.score, report: outcome.report };
    return {
      applied: outcome.applied,
      refused: outcome.refused,
      card: hygieneCardView({ ...stored, scoredAt: deps.now }, deps.settings, req.canFix),
    };
  } catch (cause) {
    if (cause instanceof FixUnavailable) throw new ApiError(502, "crm_unavailable", cause.message);
    throw cause;
  }
}
