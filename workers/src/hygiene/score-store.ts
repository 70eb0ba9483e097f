import type { PortalKey } from "../../../shared/domain/types.ts";
import type { HygieneReport } from "../../../shared/hygiene/types.ts";
import type { HygieneObject } from "./fields.ts";

/** What is kept of a report: enough for the card (breakdown, findings with fixes) without the CRM. */
export type StoredReport = Pick<HygieneReport, "parts" | "findings" | "skipped">;
export type StoredScore = { objectType: HygieneObject; objectId: string; score: number; report: StoredReport; scoredAt: number };

/** The portal's daily average is refreshed at most this often by the pipeline (the scan refreshes it at its end). */
const TREND_REFRESH_MS = 10 * 60_000;

/**
 * Stores the latest score of each record, one statement per record in one round trip. The first score seen is kept;
 * `firstScores` gives it for records seen now whose stored score is already after our fix.
 */
export async function saveScores(
  db: D1Database,
  portalKey: PortalKey,
  reports: readonly HygieneReport[],
  now: number,
  firstScores: ReadonlyMap<string, number> = new Map(),
): Promise<void> {
  if (reports.length === 0) return;
  const sql = `INSERT INTO hygiene_scores (portal_key, object_type, object_id, score, report, scored_at, first_score, first_scored_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT DO UPDATE SET score = excluded.score, report = excluded.report, scored_at = excluded.scored_at`;
  const statements = reports.map((r) => {
    const report: StoredReport = { parts: r.parts, findings: r.findings, skipped: r.skipped };
    return db.prepare(sql).bind(portalKey, r.objectType, r.id, r.score, JSON.stringify(report), now, firstScores.get(r.id) ?? r.score, now);
  });
  // The average is recomputed over the portal's scores at most every few minutes per isolate, not on every save.
  const stale = ([...new Set(reports.map((r) => r.objectType))] as HygieneObject[]).filter(
    (t) => now - (trendRefreshedAt.get(`${portalKey}|${t}`) ?? 0) >= TREND_REFRESH_MS,
  );
  for (const t of stale) trendRefreshedAt.set(`${portalKey}|${t}`, now);
  await db.batch([...statements, ...stale.map((t) => trendStatement(db, portalKey, t, now, TREND_REFRESH_MS))]);
}

const trendRefreshedAt = new Map<string, number>();

/** Today's portal average, recomputed unless it was refreshed within `minAgeMs`. */
export function trendStatement(db: D1Database, portalKey: PortalKey, objectType: HygieneObject, now: number, minAgeMs: number) {
  const day = new Date(now).toISOString().slice(0, 10);
  return db
    .prepare(
      `INSERT INTO hygiene_trend (portal_key, object_type, day, average, records, updated_at)
SELECT ?, ?, ?, AVG(score), COUNT(*), ? FROM hygiene_scores WHERE portal_key = ? AND object_type = ?
  AND NOT EXISTS (SELECT 1 FROM hygiene_trend WHERE portal_key = ? AND object_type = ? AND day = ? AND updated_at > ?)
HAVING COUNT(*) > 0
ON CONFLICT DO UPDATE SET average = excluded.average, records = excluded.records, updated_at = excluded.updated_at`,
    )
    .bind(portalKey, objectType, day, now, portalKey, objectType, portalKey, objectType, day, now - minAgeMs);
}

/** One record's latest stored score, or null when it was never scored. */
export async function loadScore(
  db: D1Database,
  portalKey: PortalKey,
  objectType: HygieneObject,
  objectId: string,
): Promise<StoredScore | null> {
  const row = await db
    .prepare("SELECT score, report, scored_at FROM hygiene_scores WHERE portal_key = ? AND object_type = ? AND object_id = ?")
    .bind(portalKey, objectType, objectId)
    .first<{ score: number; report: string; scored_at: number }>();
  if (!row) return null;
  return { objectType, objectId, score: row.score, report: JSON.parse(row.report) as StoredReport, scoredAt: row.scored_at };
}

/** The dashboard's buckets (as the app shows them). */
export const SCORE_BUCKETS = [
  { bucket: "0–19", min: 0, max: 19 },
  { bucket: "20–39", min: 20, max: 39 },
  { bucket: "40–59", min: 40, max: 59 },
  { bucket: "60–79", min: 60, max: 79 },
  { bucket: "80–100", min: 80, max: 100 },
] as const;

export type ScoreSummary = {
  records: number;
  /** Mean latest score, and the mean of each record's first score (before our fixes): the before/after figure. */
  average: number | null;
  firstAverage: number | null;
  distribution: Array<{ bucket: string; count: number }>;
};

/** Distribution and averages of the portal's latest scores, from the score index (no CRM call). */
export async function scoreSummary(db: D1Database, portalKey: PortalKey, objectType: HygieneObject): Promise<ScoreSummary> {
  const [buckets, totals] = await db.batch<Record<string, number | null>>([
    db
      .prepare("SELECT MIN(score / 20, 4) AS b, COUNT(*) AS n FROM hygiene_scores WHERE portal_key = ? AND object_type = ? GROUP BY b")
      .bind(portalKey, objectType),
    db
      .prepare(
        "SELECT COUNT(*) AS n, AVG(score) AS avg, AVG(first_score) AS first FROM hygiene_scores WHERE portal_key = ? AND object_type = ?",
      )
      .bind(portalKey, objectType),
  ]);
  const counts = new Map((buckets?.results ?? []).map((r) => [Number(r.b), Number(r.n)]));
  const t = totals?.results[0] ?? {};
  const round = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);
  return {
    records: Number(t.n ?? 0),
    average: round(t.avg),
    firstAverage: round(t.first),
    distribution: SCORE_BUCKETS.map((b, i) => ({ bucket: b.bucket, count: counts.get(i) ?? 0 })),
  };
}

/** The daily average score between two ISO days (inclusive), for the dashboard's trend. */
export async function scoreTrend(
  db: D1Database,
  portalKey: PortalKey,
  objectType: HygieneObject,
  from: string,
  to: string,
): Promise<Array<{ date: string; average: number }>> {
  const rows = await db
    .prepare("SELECT day, average FROM hygiene_trend WHERE portal_key = ? AND object_type = ? AND day BETWEEN ? AND ? ORDER BY day")
    .bind(portalKey, objectType, from, to)
    .all<{ day: string; average: number }>();
  return rows.results.map((r) => ({ date: r.day, average: Math.round(r.average * 10) / 10 }));
}
