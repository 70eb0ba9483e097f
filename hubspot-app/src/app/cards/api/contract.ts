/**
 * The card API contract: the one place both the Worker (`workers/`) and the cards import the shapes they exchange.
 * Types only, so the cards' bundle carries nothing from it.
 */
export type Severity = "info" | "warning" | "error";

export type HygieneFinding = {
  code: string;
  field: string;
  severity: Severity;
  message: string;
  fix: { value: string | null; safe: boolean } | null;
};

export type HygieneCardResponse = {
  objectType: "contacts" | "companies" | "deals";
  objectId: string;
  score: number | null;
  breakdown: Array<{ part: string; score: number; weight: number }>;
  findings: HygieneFinding[];
  mode: "observe" | "suggest" | "auto";
};

export type ApiErrorBody = { error: { code: string; message: string } };
