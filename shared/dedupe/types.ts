/** A contact as the dedupe engine reads it: the CLI's columns, `null` when empty or absent. */
export type DedupeContact = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  jobTitle: string | null;
  street: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
};

/** Compact comparison fields of one contact, canonicalised once; "" means missing. Stored as-is in the D1 index. */
export type PreparedContact = {
  id: string;
  /** Given name: accent-folded, lower-case letters only; a bare initial is kept as one letter. */
  first: string;
  last: string;
  /** Double-metaphone primary codes of first and last name. */
  firstCode: string;
  lastCode: string;
  /** Canonical email: lower-case, `+tag` removed, Gmail dots removed, googlemail → gmail. */
  email: string;
  emailLocal: string;
  emailDomain: string;
  /** The address is a role mailbox (info@, sales@…) shared by many people: weak evidence of identity. */
  emailRole: boolean;
  /** The domain is a free mail provider (gmail, yahoo…): the local part is all that identifies the person. */
  emailFree: boolean;
  /** E.164 when parseable, otherwise the bare digits (at least 7). */
  phone: string;
  /** Company name with case, accents, punctuation and legal suffixes removed. */
  company: string;
  title: string;
  /** Street with number, lower-case, common abbreviations expanded. */
  street: string;
  city: string;
  postal: string;
  country: string;
};

/** One field's contribution to a pair's score, shown to reps. */
export type FieldEvidence = {
  field: "name" | "first_name" | "last_name" | "email" | "phone" | "company" | "address" | "job_title";
  level: string;
  /** log2 likelihood ratio this field added (negative: evidence against). */
  weight: number;
  a: string;
  b: string;
};

export type MatchDecision = "merge" | "review" | "distinct";

/** A scored pair: the match probability, its decision before clustering and the evidence behind it. */
export type ScoredPair = {
  a: number;
  b: number;
  /** Match probability in [0, 1]. */
  score: number;
  evidence: FieldEvidence[];
  /** Why this pair may never be merged automatically (e.g. first names that name different people), if any. */
  veto: string | null;
};
