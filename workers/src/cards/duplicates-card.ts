import { z } from "zod";
import type {
  DuplicateCandidate,
  DuplicateDismissResponse,
  DuplicateMergeResponse,
  DuplicatesCardResponse,
} from "../../../hubspot-app/src/app/cards/api/contract.ts";
import { ADDITIONAL_EMAILS, planMerge } from "../../../shared/dedupe/merge-plan.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { forgetContacts, rememberNotDuplicate } from "../dedupe/index-repository.ts";
import { applyMerges, mayAutoMerge, RetryableMergeError } from "../dedupe/merge-executor.ts";
import { contactName, contactsFromD1, evidenceView, mergePreview } from "../dedupe/merge-preview.ts";
import { pairIdOf, suggestionByPair, suggestionsFor } from "../dedupe/suggestions.ts";
import { ApiError } from "../http/errors.ts";
import type { CardDeps } from "./deal-gates-card.ts";

/** Who is looking, from the signed query, and what they may press. */
export type Viewer = { userId: string; canMerge: boolean; canDismiss: boolean };

function modeOf(settings: PortalSettings): Pick<DuplicatesCardResponse, "mode" | "modeReason"> {
  if (mayAutoMerge(settings)) return { mode: "auto", modeReason: null };
  const modeReason = settings.killSwitch
    ? "The kill switch is on"
    : !settings.automations.dedupe
      ? "Deduplication is observe-only until an admin turns it on"
      : "Auto-merge is off: sure matches are suggested, not merged";
  return { mode: "observe", modeReason };
}

/** The contact card: its likely duplicates with score, decision, evidence and a merge preview, from D1 only. */
export async function duplicatesCard(contactId: string, deps: CardDeps, viewer: Viewer): Promise<DuplicatesCardResponse> {
  const suggestions = await suggestionsFor(deps.db, deps.portalKey, contactId);
  const records = await contactsFromD1(deps.db, deps.portalKey, [contactId, ...suggestions.map((s) => s.otherId)]);
  const self = records.get(contactId);
  const candidates: DuplicateCandidate[] = [];
  for (const s of suggestions) {
    const other = records.get(s.otherId);
    if (!self || !other) continue;
    candidates.push({
      pairId: s.pairId,
      other: { id: other.id, name: contactName(other), email: other.email, company: other.company },
      score: s.score,
      decision: s.decision,
      evidence: evidenceView(s.evidence),
      veto: s.veto,
      preview: mergePreview(self, other, deps.settings.dedupe),
    });
  }
  return { objectId: contactId, candidates, ...modeOf(deps.settings), permissions: { canMerge: viewer.canMerge } };
}

const digits = z.string().regex(/^[0-9A-Za-z]{1,40}$/);
const MergeRequestSchema = z.object({ pairId: z.string().max(100), otherId: digits, primaryId: digits });
const DismissRequestSchema = z.object({ pairId: z.string().max(100), otherId: digits });

/** The pair named by a request, checked against the signed contact and the portal's open suggestions. */
async function requestedPair(contactId: string, body: { pairId: string; otherId: string }, deps: CardDeps) {
  if (body.pairId !== pairIdOf(contactId, body.otherId)) {
    throw new ApiError(400, "invalid_pair", "pairId does not name this contact and otherId");
  }
  const row = await suggestionByPair(deps.db, deps.portalKey, contactId, body.otherId);
  if (!row) throw new ApiError(404, "not_found", "This portal has no open duplicate suggestion for that pair");
  return row;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ApiError(400, "invalid_request", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  return parsed.data;
}

/** "Merge" on the card: merges now through the CRM (survivor values first), audited with the person as actor. */
export async function mergeDuplicates(contactId: string, body: unknown, deps: CardDeps, viewer: Viewer): Promise<DuplicateMergeResponse> {
  const req = parse(MergeRequestSchema, body);
  if (!viewer.canMerge) throw new ApiError(403, "forbidden", "Your user is not allowed to merge here; ask a portal admin");
  const suggestion = await requestedPair(contactId, req, deps);
  const refused = (message: string): DuplicateMergeResponse => ({ status: "refused", message, auditId: null, newObjectId: null });
  if (deps.settings.killSwitch) return refused("The kill switch is on: no record is changed until an admin turns it off");
  const crm = await deps.crm();
  if (!crm) throw new ApiError(409, "not_installed", "This portal has not connected the app");
  const read = await crm.read("contacts", [contactId, req.otherId], { properties: [ADDITIONAL_EMAILS] });
  if (!read.ok) return refused(`HubSpot could not be read: ${read.error.message}`);
  const self = read.value.get(contactId)?.record;
  const other = read.value.get(req.otherId)?.record;
  if (!self || !other || self.id !== contactId || other.id !== req.otherId || self.id === other.id) {
    await forgetContacts(
      deps.db,
      deps.portalKey,
      [contactId, req.otherId].filter((id) => id !== self?.id && id !== other?.id),
    );
    return refused("One of the records was deleted or already merged; reload the card");
  }
  const plan = planMerge(self, other, deps.settings.dedupe);
  if (!plan.ok) return refused(plan.error.message);
  if (plan.value.primaryId !== req.primaryId)
    return refused("The records changed since the preview; reload the card to see the new survivor");
  const pairId = pairIdOf(contactId, req.otherId);
  const change = {
    kind: "merge" as const,
    automation: "dedupe" as const,
    objectType: "contacts" as const,
    objectId: plan.value.primaryId,
    plan: plan.value,
    score: suggestion.score,
    rule: "dedupe:manual-merge",
    reason: `Merged from the contact card by user ${viewer.userId} (match probability ${suggestion.score.toFixed(4)})`,
    changeKey: `manual:${pairId}:${deps.now}`,
  };
  try {
    const [outcome] = await applyMerges([change], { ...deps, crm }, `user:${viewer.userId}`);
    if (outcome?.status === "applied")
      return { status: "merged", message: outcome.message, auditId: outcome.auditId, newObjectId: outcome.newId };
    return refused(outcome?.message ?? "The merge was not made");
  } catch (cause) {
    if (cause instanceof RetryableMergeError) return refused(`HubSpot asked us to wait (${cause.crmError.message}); try again in a minute`);
    throw cause;
  }
}

/** "Not a duplicate": remembered for the pair, which is never suggested again. */
export async function dismissDuplicate(
  contactId: string,
  body: unknown,
  deps: CardDeps,
  viewer: Viewer,
): Promise<DuplicateDismissResponse> {
  const req = parse(DismissRequestSchema, body);
  if (!viewer.canDismiss) throw new ApiError(403, "forbidden", "Your user is not allowed to dismiss duplicates here; ask a portal admin");
  await requestedPair(contactId, req, deps);
  await rememberNotDuplicate(deps.db, deps.portalKey, contactId, req.otherId, `user:${viewer.userId}`, deps.now);
  return { dismissed: true, pairId: req.pairId };
}
