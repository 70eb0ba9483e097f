import type { Company } from "../domain/types.ts";

export type Severity = "error" | "warning" | "info";
/** The five parts of a score; each finding belongs to one. */
export type ScorePart = "completeness" | "validity" | "consistency" | "freshness" | "uniqueness";

/** A value to write instead of the current one; `safe` when it only reformats what is there (no meaning changes). */
export type Fix = { readonly value: string | null; readonly safe: boolean };

/** One problem on one field. `code` is from the documented list in `codes.ts` (and README.md beside it). */
export type Finding = {
  readonly code: FindingCode;
  readonly field: string;
  readonly severity: Severity;
  readonly message: string;
  readonly fix: Fix | null;
};

export type FindingCode =
  | "missing_required"
  | "whitespace"
  | "email_invalid"
  | "email_not_normalized"
  | "email_role"
  | "email_disposable"
  | "phone_invalid"
  | "phone_unverified"
  | "phone_not_e164"
  | "name_casing"
  | "name_invalid"
  | "name_full_in_first"
  | "company_casing"
  | "country_unknown"
  | "country_not_canonical"
  | "state_unknown"
  | "state_not_canonical"
  | "website_invalid"
  | "domain_not_normalized"
  | "number_invalid"
  | "date_invalid"
  | "amount_invalid"
  | "close_date_passed"
  | "close_date_before_created"
  | "phone_country_mismatch"
  | "email_domain_mismatch"
  | "domain_website_mismatch"
  | "stale"
  | "duplicate_suspected";

/** One part's contribution: `weight` is after re-spreading over the parts that had data (weights sum to 1). */
export type PartScore = { readonly part: ScorePart; readonly score: number; readonly weight: number; readonly reasons: readonly string[] };

/** A part left out because the record has no data for it, with why. */
export type SkippedPart = { readonly part: ScorePart; readonly reason: string };

/** A record's score (0–100) with its breakdown, findings and the normalised value of each field looked at. */
export type HygieneReport = {
  readonly objectType: "contacts" | "companies" | "deals";
  readonly id: string;
  readonly score: number;
  readonly parts: readonly PartScore[];
  readonly skipped: readonly SkippedPart[];
  readonly findings: readonly Finding[];
  /** By field: the value as the checks normalised it (E.164 phone, ISO country and state codes, registrable domain…). */
  readonly normalized: Readonly<Record<string, string | null>>;
};

/** What the core cannot know from the record alone; every part that needs a missing piece is skipped. */
export type HygieneContext = {
  /** Epoch ms used as "now" for freshness and close dates. */
  readonly now: number;
  /** How many other records the duplicate finder suspects of being this one; absent = not checked. */
  readonly duplicateSuspects?: number;
  /** The contact's associated company, for the email-domain check. */
  readonly company?: Company | null;
  /** Whether the deal sits in a closed stage (a past close date is then fine). */
  readonly dealIsClosed?: boolean;
};
