import type { Company, Contact, Deal } from "../domain/types.ts";
import { companyValue } from "./company.ts";
import { contactValue } from "./contact.ts";
import { dealValue } from "./deal.ts";
import { fixPolicyFor, type HygieneSettings } from "./settings.ts";
import type { FindingCode, HygieneReport } from "./types.ts";

/** One past value of a field: who set it (`ours` = this app, `user` = a person, `other` = imports, workflows, other apps). */
export type ValueChange = { readonly value: string | null; readonly timestamp: number; readonly source: "ours" | "user" | "other" };

export type SkipReason =
  | "policy_off"
  | "policy_suggest"
  | "not_safe"
  | "user_override"
  | "automation_override"
  | "already_planned"
  | "no_change";

export type PlannedChange = {
  readonly field: string;
  readonly code: FindingCode;
  readonly from: string | null;
  readonly to: string | null;
};

/** What to write in one batched property update, with the old values for the audit and undo, and what was left and why. */
export type AutoFixPlan = {
  readonly updates: Readonly<Record<string, string | null>>;
  readonly changes: readonly PlannedChange[];
  readonly skipped: readonly { readonly field: string; readonly code: FindingCode; readonly reason: SkipReason }[];
};

export type AutoFixInput = {
  readonly report: HygieneReport;
  readonly record: Contact | Company | Deal;
  readonly settings: HygieneSettings;
  /** Value history per field (any order); a field without history has never been fixed by us. */
  readonly history?: Readonly<Record<string, readonly ValueChange[]>>;
};

/**
 * Picks the report's fixes that may be applied without asking: the field's policy is `auto`, the fix is safe, it
 * changes the value, and nobody changed the field after our last fix to it (a person's or another automation's later
 * value is never rewritten: no tug of war). At most one fix per field. Pure: the edge writes `updates` in one call.
 */
export function planAutoFixes(input: AutoFixInput): AutoFixPlan {
  const { report, record } = input;
  const updates: Record<string, string | null> = {};
  const changes: PlannedChange[] = [];
  const skipped: { field: string; code: FindingCode; reason: SkipReason }[] = [];
  for (const f of report.findings) {
    if (f.fix === null) continue;
    const current = fieldValue(report.objectType, record, f.field);
    const reason = skipReason(f.field, f.fix, current, input, f.field in updates);
    if (reason !== null) {
      skipped.push({ field: f.field, code: f.code, reason });
      continue;
    }
    updates[f.field] = f.fix.value;
    changes.push({ field: f.field, code: f.code, from: current, to: f.fix.value });
  }
  return { updates, changes, skipped };
}

function skipReason(
  field: string,
  fix: { value: string | null; safe: boolean },
  current: string | null,
  input: AutoFixInput,
  planned: boolean,
): SkipReason | null {
  const policy = fixPolicyFor(input.settings, input.report.objectType, field);
  if (policy === "off") return "policy_off";
  if (policy === "suggest") return "policy_suggest";
  if (!fix.safe) return "not_safe";
  if (planned) return "already_planned";
  if (fix.value === current) return "no_change";
  return overriddenBy(input.history?.[field] ?? []);
}

/** Who changed the field after our last write to it, if anyone did. */
export function overriddenBy(history: readonly ValueChange[]): "user_override" | "automation_override" | null {
  const ordered = [...history].sort((a, b) => a.timestamp - b.timestamp);
  let ourLast = -1;
  for (let i = 0; i < ordered.length; i++) if (ordered[i]?.source === "ours") ourLast = i;
  if (ourLast < 0) return null;
  const later = ordered.slice(ourLast + 1);
  if (later.some((c) => c.source === "user")) return "user_override";
  if (later.some((c) => c.source === "other")) return "automation_override";
  return null;
}

function fieldValue(objectType: HygieneReport["objectType"], record: Contact | Company | Deal, field: string): string | null {
  if (objectType === "contacts") return contactValue(record as Contact, field);
  if (objectType === "companies") return companyValue(record as Company, field);
  return dealValue(record as Deal, field);
}
