import type { ReviewQueueItem, ReviewQueueResponse } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import type { DedupeSettings } from "../../../shared/dedupe/settings.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import { contactName, contactsFromD1, evidenceView, mergePreview } from "./merge-preview.ts";
import { fromRow, suggestionPage } from "./suggestions.ts";

const PAGE = 25;

/** The portal's open duplicate suggestions, strongest first, 25 per page (cursor = offset), from D1 only. */
export async function reviewQueue(
  db: D1Database,
  portalKey: PortalKey,
  settings: DedupeSettings,
  cursor: string | undefined,
): Promise<ReviewQueueResponse> {
  const offset = cursor && /^\d{1,9}$/.test(cursor) ? Number(cursor) : 0;
  const { rows, total } = await suggestionPage(db, portalKey, offset, PAGE);
  const records = await contactsFromD1(
    db,
    portalKey,
    rows.flatMap((r) => [r.id_a, r.id_b]),
  );
  const items: ReviewQueueItem[] = [];
  for (const row of rows) {
    const a = records.get(row.id_a);
    const b = records.get(row.id_b);
    if (!a || !b) continue;
    const s = fromRow(row, row.id_a);
    items.push({
      pairId: s.pairId,
      a: { id: a.id, name: contactName(a), email: a.email },
      b: { id: b.id, name: contactName(b), email: b.email },
      score: s.score,
      evidence: evidenceView(s.evidence),
      preview: mergePreview(a, b, settings),
      suggestedAt: new Date(s.suggestedAt).toISOString(),
    });
  }
  return { items, total, nextCursor: offset + PAGE < total ? String(offset + PAGE) : null };
}
