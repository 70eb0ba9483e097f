import type { ActivityInput, CrmError, CrmPort, CrmResult } from "../../../shared/crm-port.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { PlannedChange } from "./types.ts";

export type Activity = Exclude<PlannedChange, { kind: "update" } | { kind: "merge" }> & { changeKey: string };

/** A week: long past the queue's retries and a day-late redelivery. */
export const ACTIVITY_ATTEMPT_RETENTION_MS = 7 * 86_400_000;

/**
 * The reference a note or task carries at the end of its text, derived from its change key (no PII, stable across
 * retries): how a create whose reply was lost is recognised on the record.
 */
export async function activityRef(changeKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(changeKey));
  const hex = [...new Uint8Array(digest).slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `autopilot-${hex}`;
}

const withRef = (text: string, ref: string) => `${text}\n\nRef: ${ref}`;

/** Notes and tasks of one kind in one batch call when the CRM can, else one call each; each text ends with its ref. */
export async function createActivities(
  crm: CrmPort,
  activities: readonly Activity[],
  refs: ReadonlyMap<string, string>,
): Promise<{ outcome: CrmResult<string[]>; calls: number }> {
  const inputs: ActivityInput[] = activities.map((c) => {
    const body = withRef(c.body, refs.get(c.changeKey) ?? "");
    return c.kind === "note"
      ? { kind: "note", objectType: c.objectType, objectId: c.objectId, body }
      : { kind: "task", objectType: c.objectType, objectId: c.objectId, subject: c.subject, body, ownerId: c.ownerId, dueAt: c.dueAt };
  });
  if (crm.createActivities) {
    const kinds = new Set(inputs.map((i) => i.kind)).size;
    return { outcome: await crm.createActivities(inputs), calls: kinds * Math.ceil(inputs.length / 100) };
  }
  const ids: string[] = [];
  for (const input of inputs) {
    const r =
      input.kind === "note"
        ? await crm.createNote(input.objectType, input.objectId, input.body)
        : await crm.createTask(input.objectType, input.objectId, {
            subject: input.subject,
            body: input.body,
            ownerId: input.ownerId,
            dueAt: input.dueAt,
          });
    if (!r.ok) return { outcome: r, calls: ids.length + 1 };
    ids.push(r.value.id);
  }
  return { outcome: { ok: true, value: ids }, calls: ids.length };
}

/** Which of these changes are audited as applied, and which we have asked the CRM to make before (one round trip). */
export async function priorAttempts(
  db: D1Database,
  portalKey: PortalKey,
  keys: readonly string[],
): Promise<{ applied: Set<string>; attempted: Set<string> }> {
  const applied = new Set<string>();
  const attempted = new Set<string>();
  if (keys.length === 0) return { applied, attempted };
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < keys.length; i += 90) {
    const chunk = keys.slice(i, i + 90);
    const marks = chunk.map(() => "?").join(", ");
    statements.push(
      db
        .prepare(`SELECT event_key AS k FROM audit_log WHERE portal_key = ? AND status = 'applied' AND event_key IN (${marks})`)
        .bind(portalKey, ...chunk),
      db
        .prepare(`SELECT change_key AS k FROM activity_attempts WHERE portal_key = ? AND change_key IN (${marks})`)
        .bind(portalKey, ...chunk),
    );
  }
  const results = await db.batch<{ k: string }>(statements);
  results.forEach((r, i) => {
    for (const row of r.results) (i % 2 === 0 ? applied : attempted).add(row.k);
  });
  return { applied, attempted };
}

/** Records that we are about to ask the CRM for these activities, before asking. */
export async function recordAttempts(db: D1Database, portalKey: PortalKey, keys: readonly string[], now: number): Promise<void> {
  if (keys.length === 0) return;
  const sql =
    "INSERT INTO activity_attempts (portal_key, change_key, attempted_at) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET attempted_at = excluded.attempted_at";
  await db.batch(keys.map((k) => db.prepare(sql).bind(portalKey, k, now)));
}

export async function pruneActivityAttempts(db: D1Database, now: number): Promise<number> {
  const result = await db
    .prepare("DELETE FROM activity_attempts WHERE attempted_at < ?")
    .bind(now - ACTIVITY_ATTEMPT_RETENTION_MS)
    .run();
  return result.meta.changes ?? 0;
}

/**
 * Looks on their records for activities asked for before but never acknowledged: the id of each one found (by its
 * ref), per change key. A CRM that cannot look (no `findActivities`, or a refusal for good) finds nothing, so the
 * activity is made again rather than never; a retryable failure is returned for the caller to retry later.
 */
export async function findUnacknowledged(
  crm: CrmPort,
  activities: readonly Activity[],
  refs: ReadonlyMap<string, string>,
): Promise<{ made: Map<string, string>; calls: number; retryLater?: CrmError }> {
  const made = new Map<string, string>();
  if (activities.length === 0 || !crm.findActivities) return { made, calls: 0 };
  let calls = 0;
  const groups = new Map<string, Activity[]>();
  for (const a of activities) {
    const key = `${a.kind}|${a.objectType}`;
    const list = groups.get(key);
    if (list) list.push(a);
    else groups.set(key, [a]);
  }
  for (const list of groups.values()) {
    const first = list[0] as Activity;
    const ids = [...new Set(list.map((a) => a.objectId))];
    const found = await crm.findActivities(first.kind, first.objectType, ids);
    calls += 2 * Math.ceil(ids.length / 100);
    if (!found.ok) {
      if (found.error.retryable) return { made, calls, retryLater: found.error };
      continue;
    }
    for (const a of list) {
      const ref = refs.get(a.changeKey);
      const hit = ref ? found.value.find((f) => f.objectId === a.objectId && f.text.includes(ref)) : undefined;
      if (hit) made.set(a.changeKey, hit.id);
    }
  }
  return { made, calls };
}
