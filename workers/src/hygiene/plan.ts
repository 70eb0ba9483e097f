import type { RecordHistory } from "../../../shared/crm-port.ts";
import type { Company, Contact } from "../../../shared/domain/types.ts";
import { planAutoFixes, scoreCompany, scoreContact } from "../../../shared/hygiene/index.ts";
import type { HygieneSettings } from "../../../shared/hygiene/settings.ts";
import type { FindingCode, HygieneContext, HygieneReport } from "../../../shared/hygiene/types.ts";
import type { PlannedChange } from "../engines/types.ts";
import { fieldHistory, fieldToProperty, type HygieneObject } from "./fields.ts";

export type HygieneRecord = Contact | Company;

/** Scores a contact or a company with the portal's hygiene settings. */
export function scoreRecord(
  objectType: HygieneObject,
  record: HygieneRecord,
  settings: HygieneSettings,
  context: HygieneContext,
): HygieneReport {
  return objectType === "contacts"
    ? scoreContact(record as Contact, settings, context)
    : scoreCompany(record as Company, settings, context);
}

/** The record as it will be once `updates` (by hygiene field name) are written. */
export function withValues<T extends HygieneRecord>(record: T, updates: Readonly<Record<string, string | null>>): T {
  const next = { ...record, extra: { ...record.extra } } as T;
  for (const [field, value] of Object.entries(updates)) {
    if (field in record && field !== "extra") (next as Record<string, unknown>)[field] = value;
    else next.extra[field] = value;
  }
  return next;
}

export type AutoFixOutcome = {
  /** One update for the record (automation `hygiene`, rule = the finding codes), or null when nothing may be written. */
  change: Extract<PlannedChange, { kind: "update" }> | null;
  /** The hygiene field values the change writes. */
  updates: Record<string, string | null>;
};

/**
 * The fixes an admin set to `auto` for this record, as one PlannedChange with CRM property names. A field someone
 * changed after our last fix (history), or whose earlier fix an admin undid on this record, is left alone.
 */
export function planRecordAutoFix(input: {
  objectType: HygieneObject;
  record: HygieneRecord;
  history: RecordHistory;
  report: HygieneReport;
  settings: HygieneSettings;
  appId: string | undefined;
  undoneProperties: ReadonlySet<string>;
}): AutoFixOutcome {
  const { objectType, record, report, settings } = input;
  const fields = report.findings.filter((f) => f.fix?.safe).map((f) => f.field);
  const history = fieldHistory(objectType, input.history, fields, input.appId);
  const plan = planAutoFixes({ report, record, settings, history });
  const changes = plan.changes.filter((c) => !input.undoneProperties.has(fieldToProperty(objectType, c.field)));
  if (changes.length === 0) return { change: null, updates: {} };
  const before: Record<string, string | null> = {};
  const after: Record<string, string | null> = {};
  const updates: Record<string, string | null> = {};
  for (const c of changes) {
    const property = fieldToProperty(objectType, c.field);
    before[property] = c.from;
    after[property] = c.to;
    updates[c.field] = c.to;
  }
  const codes = [...new Set(changes.map((c) => c.code))].sort() as FindingCode[];
  const described = changes.map((c) => `${c.field} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)} (${c.code})`).join("; ");
  return {
    change: {
      kind: "update",
      automation: "hygiene",
      objectType,
      objectId: record.id,
      before,
      after,
      rule: codes.join(","),
      reason: `Safe fixes on fields set to auto: ${described}`,
    },
    updates,
  };
}
