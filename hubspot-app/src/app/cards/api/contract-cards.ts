/** Shapes of the record cards' requests and answers (see `contract.ts` for the endpoint map). Types only. */
import type { AutomationMode, ObjectType, Ref } from "./contract-common.ts";

export type Severity = "info" | "warning" | "error";
/** The score's parts; a part whose data is absent is left out and its weight re-spread by the engine. */
export type HygienePart = "completeness" | "validity" | "consistency" | "freshness" | "uniqueness";

/** One problem on the record, with the fix the engine suggests; `safe` fixes may be applied automatically. */
export type HygieneFinding = {
  /** Stable within the record, e.g. `phone_not_e164:phone`; what the Fix request names. */
  id: string;
  /** From the documented list (shared/hygiene), e.g. `phone_not_e164`. */
  code: string;
  field: string;
  /** The field's label as reps know it, e.g. "Phone number". */
  fieldLabel: string;
  severity: Severity;
  message: string;
  fix: { value: string | null; label: string; safe: boolean } | null;
};

/** GET /api/cards/hygiene */
export type HygieneCardResponse = {
  objectType: ObjectType;
  objectId: string;
  /** 0–100, or null when nothing on the record can be scored yet. */
  score: number | null;
  breakdown: Array<{ part: HygienePart; score: number; weight: number }>;
  findings: HygieneFinding[];
  /** `observe`: the hygiene automation is off (or the kill switch is on) and only suggests; `auto`: it applies safe fixes. */
  mode: AutomationMode;
  /** Why the automation only observes, e.g. "Kill switch is on"; null in `auto`. */
  modeReason: string | null;
  permissions: { canFix: boolean };
  scoredAt: string;
};

/** POST /api/cards/hygiene/fix: named findings, or every safe one. */
export type HygieneFixRequest = { findingIds: string[] } | { allSafe: true };
export type HygieneFixResponse = {
  applied: Array<{ findingId: string; field: string; before: string | null; after: string | null; auditId: string }>;
  refused: Array<{ findingId: string; reason: string }>;
  /** The card after the fixes, so it re-renders without another request. */
  card: HygieneCardResponse;
};

/** One field's contribution to a duplicate pair's score. */
export type DuplicateEvidence = {
  field: string;
  fieldLabel: string;
  /** Agreement level, e.g. `exact`, `nickname`, `phonetic`, `different`. */
  level: string;
  /** log2 likelihood ratio the field added; negative is evidence against. */
  weight: number;
  thisValue: string;
  otherValue: string;
};

/** What a merge would leave on the surviving record, field by field. */
export type MergePreview = {
  /** The record that survives (this one or the other) and why. */
  primaryId: string;
  primaryReason: string;
  fields: Array<{
    field: string;
    fieldLabel: string;
    thisValue: string | null;
    otherValue: string | null;
    survivingValue: string | null;
    /** The survivorship rule that chose it, e.g. `most_recent_non_empty`, `keep_all`. */
    rule: string;
    /** Which record the surviving value comes from. */
    from: "this" | "other" | "both" | "neither";
  }>;
};

export type DuplicateCandidate = {
  pairId: string;
  other: Ref & { email: string | null; company: string | null };
  /** Match probability in [0, 1]. */
  score: number;
  decision: "merge" | "review";
  evidence: DuplicateEvidence[];
  /** Why this pair must never merge automatically, if anything says so. */
  veto: string | null;
  preview: MergePreview;
};

/** GET /api/cards/duplicates */
export type DuplicatesCardResponse = {
  objectId: string;
  candidates: DuplicateCandidate[];
  mode: AutomationMode;
  modeReason: string | null;
  permissions: { canMerge: boolean };
};

/** POST /api/cards/duplicates/merge: the pair and the survivor the rep saw in the preview. */
export type DuplicateMergeRequest = { pairId: string; otherId: string; primaryId: string };
export type DuplicateMergeResponse = {
  /** `queued`: the merge waits for the portal's API budget and will appear in the audit log. */
  status: "merged" | "queued" | "refused";
  message: string;
  auditId: string | null;
  /** The CRM's id of the merged record (HubSpot makes a new one). */
  newObjectId: string | null;
};

/** POST /api/cards/duplicates/dismiss: "Not a duplicate", remembered so the pair is never suggested again. */
export type DuplicateDismissRequest = { pairId: string; otherId: string };
export type DuplicateDismissResponse = { dismissed: true; pairId: string };
