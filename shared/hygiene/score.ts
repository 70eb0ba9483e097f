import type { ReportBuilder } from "./builder.ts";
import { fixPolicyFor, type HygieneSettings } from "./settings.ts";
import type { HygieneReport, PartScore, ScorePart, SkippedPart } from "./types.ts";

const DAY_MS = 86_400_000;

/** One part's raw outcome before weighting: a 0..1 score with reasons, or why it was left out. */
export type PartOutcome = { part: ScorePart; score: number; reasons: string[] } | { part: ScorePart; skipped: string };

/** Weighted completeness over the required fields; run after the format checks (an unusable value counts as empty). */
export function completeness(b: ReportBuilder, required: Record<string, number>, present: (field: string) => boolean): PartOutcome {
  const fields = Object.entries(required).filter(([, w]) => w > 0);
  const total = fields.reduce((s, [, w]) => s + w, 0);
  if (total === 0) return { part: "completeness", skipped: "no required fields are configured" };
  let have = 0;
  const missing: string[] = [];
  const unusable: string[] = [];
  for (const [field, w] of fields) {
    // A value with an error finding (unreadable phone, invalid email) is filled but not usable: it counts as empty.
    if (present(field) && b.validity.get(field) === 0) unusable.push(field);
    else if (present(field)) have += w;
    else {
      missing.push(field);
      b.add("missing_required", field, "This required field is empty.");
    }
  }
  const reasons = [
    ...(missing.length > 0 ? [`missing: ${missing.join(", ")}`] : []),
    ...(unusable.length > 0 ? [`unusable: ${unusable.join(", ")}`] : []),
  ];
  if (reasons.length === 0) reasons.push("every required field is filled");
  return { part: "completeness", score: have / total, reasons };
}

/** Mean validity of the fields whose format was checked. */
export function validity(b: ReportBuilder): PartOutcome {
  if (b.validity.size === 0) return { part: "validity", skipped: "no field with a checkable format has a value" };
  let sum = 0;
  const flawed: string[] = [];
  for (const [field, v] of b.validity) {
    sum += v;
    if (v < 1) flawed.push(field);
  }
  const reasons = flawed.length === 0 ? [`${b.validity.size} fields well-formed`] : [`problems in: ${flawed.join(", ")}`];
  return { part: "validity", score: sum / b.validity.size, reasons };
}

/** Share of the consistency checks that held. */
export function consistency(b: ReportBuilder): PartOutcome {
  if (b.consistency.length === 0) return { part: "consistency", skipped: "no pair of fields to cross-check" };
  const failed = b.consistency.filter((c) => c.score < 1).map((c) => c.check);
  const score = b.consistency.reduce((s, c) => s + c.score, 0) / b.consistency.length;
  return { part: "consistency", score, reasons: failed.length === 0 ? ["cross-checks hold"] : [`failed: ${failed.join(", ")}`] };
}

/** Linear from 1 (touched now) to 0 (untouched for the horizon); `stale` once past it. */
export function freshness(b: ReportBuilder, field: string, at: number | null, now: number, horizonDays: number): PartOutcome {
  if (at === null) return { part: "freshness", skipped: "no activity or modification date" };
  const days = Math.max(0, (now - at) / DAY_MS);
  if (days >= horizonDays) b.add("stale", field, `Untouched for ${Math.floor(days)} days (horizon ${horizonDays}).`);
  return { part: "freshness", score: Math.max(0, 1 - days / horizonDays), reasons: [`last touched ${Math.floor(days)} days ago`] };
}

/** 1 with no suspected duplicate, 0.3 with one, 0 with more. */
export function uniqueness(b: ReportBuilder, suspects: number | undefined): PartOutcome {
  if (suspects === undefined) return { part: "uniqueness", skipped: "duplicates were not checked" };
  if (suspects > 0) b.add("duplicate_suspected", "id", `${suspects} other record${suspects === 1 ? "" : "s"} may be the same.`);
  const score = suspects === 0 ? 1 : suspects === 1 ? 0.3 : 0;
  return { part: "uniqueness", score, reasons: [suspects === 0 ? "no suspected duplicate" : `${suspects} suspected duplicates`] };
}

/** Weights the parts that had data (re-spreading the others' weight) into a 0–100 score with its breakdown. */
export function composeReport(
  objectType: HygieneReport["objectType"],
  id: string,
  b: ReportBuilder,
  outcomes: PartOutcome[],
  settings: HygieneSettings,
): HygieneReport {
  const scored = outcomes.filter((o): o is Extract<PartOutcome, { score: number }> => "score" in o && settings.partWeights[o.part] > 0);
  const skipped: SkippedPart[] = outcomes.flatMap((o) =>
    "skipped" in o
      ? [{ part: o.part, reason: o.skipped }]
      : settings.partWeights[o.part] > 0
        ? []
        : [{ part: o.part, reason: "weight is 0" }],
  );
  const total = scored.reduce((s, o) => s + settings.partWeights[o.part], 0);
  const parts: PartScore[] = scored.map((o) => ({
    part: o.part,
    score: Math.round(o.score * 100),
    weight: settings.partWeights[o.part] / total,
    reasons: o.reasons,
  }));
  // Nothing to judge is not evidence of quality: such a record scores 0 and says why in `skipped`.
  const score = total === 0 ? 0 : Math.round((scored.reduce((s, o) => s + o.score * settings.partWeights[o.part], 0) / total) * 100);
  // A field whose policy is "off" still shows its problems, without a fix to press.
  const findings = b.findings.map((f) =>
    f.fix !== null && fixPolicyFor(settings, objectType, f.field) === "off" ? { ...f, fix: null } : f,
  );
  return { objectType, id, score, parts, skipped, findings, normalized: b.normalized };
}

/** Epoch ms from an ISO date/time or an epoch-ms string; `null` when absent or unreadable. */
export function parseInstant(raw: string | null | undefined): number | null {
  if (raw == null) return null;
  const s = raw.trim();
  if (s === "") return null;
  if (/^\d{10,14}$/.test(s)) return Number(s);
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}
