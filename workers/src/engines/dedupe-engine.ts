import type { CandidateMatch } from "../../../shared/dedupe/incremental.ts";
import { ADDITIONAL_EMAILS, planMerge } from "../../../shared/dedupe/merge-plan.ts";
import { prepareContact } from "../../../shared/dedupe/prepare.ts";
import type { Contact } from "../../../shared/domain/types.ts";
import type { RecordEvents } from "../../../shared/events/coalesce.ts";
import { contactToDedupe, MATCHING_PROPERTIES } from "../dedupe/contact-fields.ts";
import { forgetContacts, journalMerge, matchAndIndexBatch, mergedAway } from "../dedupe/index-repository.ts";
import { mayAutoMerge } from "../dedupe/merge-executor.ts";
import { suggestionStatements } from "../dedupe/suggestions.ts";
import { RetryableCrmError } from "./executor.ts";
import type { Engine, EngineContext, PlannedChange } from "./types.ts";

const REINDEXING_EVENTS = new Set(["created", "merged", "restored"]);

/** The ids a group's merge events retired, and the id each became. */
function retiredIds(group: RecordEvents): Array<{ olds: string[]; newId: string }> {
  return group.events
    .filter((e) => e.kind === "merged")
    .map((e) => {
      const newId = e.newObjectId ?? e.primaryObjectId ?? group.objectId;
      const olds = [e.primaryObjectId, ...(e.mergedObjectIds ?? []), e.objectId].filter((id): id is string => !!id && id !== newId);
      return { olds: [...new Set(olds)], newId };
    });
}

async function retire(group: RecordEvents, ctx: EngineContext): Promise<void> {
  for (const { olds, newId } of retiredIds(group)) {
    await journalMerge(ctx.db, ctx.portalKey, olds, newId, ctx.now, null);
    await forgetContacts(ctx.db, ctx.portalKey, olds);
  }
}

/**
 * Contact deduplication on the event pipeline: keeps the portal's D1 index current (creations, matching-field
 * changes, merges, deletions), stores review- and merge-level pairs as suggestions, and plans a merge for the
 * strongest merge-level pair (applied only when the automation and auto-merge are both on).
 */
export const dedupeEngine: Engine = {
  name: "dedupe",
  wants: (g) =>
    g.objectType === "contacts" &&
    (g.created ||
      g.events.some((e) => REINDEXING_EVENTS.has(e.kind) || e.origin === "backfill" || e.origin === "replay") ||
      [...g.changedProperties].some((p) => MATCHING_PROPERTIES.has(p))),
  // HubSpot's multi-valued email property, so a merge keeps the primary's other addresses (Salesforce has none).
  propertiesFor: (objectType, _settings, crm) => (objectType === "contacts" && crm === "hubspot" ? [ADDITIONAL_EMAILS] : []),

  async plan(group, ctx) {
    return (await planGroups([group], ctx))[0] ?? [];
  },

  planBatch: planGroups,

  async forget(group, ctx) {
    if (group.objectType !== "contacts") return;
    if (group.events.some((e) => e.kind === "deleted" || e.kind === "privacy_deleted")) {
      await forgetContacts(ctx.db, ctx.portalKey, [group.objectId]);
    }
    await retire(group, ctx);
  },
};

/**
 * Matches and indexes a batch of contacts in order (as if one after another: a contact sees the batch's earlier
 * contacts), with the index reads, index writes, retired-candidate check and suggestion writes each one D1 round trip.
 */
async function planGroups(groups: readonly RecordEvents[], ctx: EngineContext): Promise<PlannedChange[][]> {
  const out: PlannedChange[][] = groups.map(() => []);
  const due: Array<{ k: number; contact: Contact }> = [];
  for (const [k, group] of groups.entries()) {
    await retire(group, ctx);
    const contact = ctx.records.get("contacts", group.objectId)?.record;
    if (!contact) continue;
    if (contact.id !== group.objectId) {
      // The CRM answered with the record this id was merged into: its own events index it.
      await journalMerge(ctx.db, ctx.portalKey, [group.objectId], contact.id, ctx.now, null);
      await forgetContacts(ctx.db, ctx.portalKey, [group.objectId]);
      continue;
    }
    due.push({ k, contact });
  }
  if (due.length === 0) return out;
  const found = await matchAndIndexBatch(
    ctx.db,
    ctx.portalKey,
    due.map((d) => prepareContact(contactToDedupe(d.contact))),
    ctx.settings.dedupe.thresholds,
    ctx.now,
  );
  const retired = await mergedAway(ctx.db, ctx.portalKey, [...new Set(found.flat().map((m) => m.id))]);
  if (retired.size > 0) await forgetContacts(ctx.db, ctx.portalKey, [...retired.keys()]);
  const matches = found.map((ms) => ms.filter((m) => !retired.has(m.id)));
  for (const [i, { k, contact }] of due.entries()) {
    const best = matches[i]?.find((m) => m.decision === "merge");
    if (best) out[k] = await planAutoMerge(contact, best, ctx);
  }
  // The review queue and cards read the suggestions, nothing later in this batch: written while the CRM is — unless a
  // merge is planned, whose executor forgets the merged-away contact's suggestions and must come after this write.
  const write = ctx.db.batch(due.flatMap((d, i) => suggestionStatements(ctx.db, ctx.portalKey, d.contact.id, matches[i] ?? [], ctx.now)));
  if (ctx.deferWrite && out.every((changes) => changes.length === 0)) ctx.deferWrite(write);
  else await write;
  return out;
}

async function planAutoMerge(contact: Contact, best: CandidateMatch, ctx: EngineContext): Promise<PlannedChange[]> {
  const other = await otherContact(best.id, ctx, mayAutoMerge(ctx.settings));
  if (!other) return [];
  const plan = planMerge(contact, other, ctx.settings.dedupe);
  if (!plan.ok) return [];
  const fields = best.evidence
    .filter((e) => e.weight > 0)
    .map((e) => `${e.field} ${e.level}`)
    .join(", ");
  return [
    {
      kind: "merge",
      automation: "dedupe",
      objectType: "contacts",
      objectId: plan.value.primaryId,
      plan: plan.value,
      score: best.score,
      rule: "dedupe:auto-merge",
      reason: `Match probability ${best.score.toFixed(4)} reaches the merge threshold ${ctx.settings.dedupe.thresholds.merge} (${fields}); ${plan.value.primaryId} survives by ${plan.value.primaryReason}`,
    },
  ];
}

/**
 * The other record of a merge-level pair: read from the CRM when the merge will be applied (it must be current);
 * when it is only observed, the card snapshot in D1 is enough and costs no API call.
 */
async function otherContact(id: string, ctx: EngineContext, applying: boolean): Promise<Contact | null> {
  if (!applying) {
    const row = await ctx.db
      .prepare("SELECT record FROM record_snapshots WHERE portal_key = ? AND object_type = 'contacts' AND object_id = ?")
      .bind(ctx.portalKey, id)
      .first<{ record: string }>();
    if (row) return JSON.parse(row.record) as Contact;
  }
  const read = await ctx.crm.read("contacts", [id], { properties: [ADDITIONAL_EMAILS] });
  if (!read.ok && read.error.retryable) throw new RetryableCrmError(read.error);
  const other = read.ok ? read.value.get(id)?.record : undefined;
  if (!read.ok) return null;
  if (!other || other.id !== id) {
    await forgetContacts(ctx.db, ctx.portalKey, [id]);
    return null;
  }
  return other;
}
