import type { PropertyHistoryEntry, RecordHistory } from "../../../../shared/crm-port.ts";
import { type Flat, isoOrNull, type SObjectName } from "./mapping.ts";
import { inList, isSalesforceId } from "./soql.ts";

/** Field history objects and the field naming the record each row belongs to. */
const FIELD_HISTORY: Record<SObjectName, { object: string; parent: string }> = {
  Contact: { object: "ContactHistory", parent: "ContactId" },
  Lead: { object: "LeadHistory", parent: "LeadId" },
  Account: { object: "AccountHistory", parent: "AccountId" },
  Opportunity: { object: "OpportunityFieldHistory", parent: "OpportunityId" },
};

/** History rows name a change of `OwnerId` as `Owner`. */
const historyFieldName = (field: string) => (field === "OwnerId" ? "Owner" : field);

export type FieldHistoryRow = {
  Field: string;
  OldValue: unknown;
  NewValue: unknown;
  CreatedDate: string;
  CreatedById: string;
} & Record<string, unknown>;
export type StageHistoryRow = { OpportunityId: string; StageName: string | null; CreatedDate: string; CreatedById: string };

/**
 * Opportunity stages come from OpportunityHistory, which Salesforce always keeps (a row at creation and at every
 * stage, amount or close-date change); field history only covers fields an admin chose to track.
 */
export const usesStageHistory = (sObject: SObjectName, field: string) => sObject === "Opportunity" && field === "StageName";

export function fieldHistoryQuery(sObject: SObjectName, ids: readonly string[], fields: readonly string[]): string {
  const { object, parent } = FIELD_HISTORY[sObject];
  const names = [...new Set(fields.map(historyFieldName))];
  return `SELECT ${parent}, Field, OldValue, NewValue, CreatedDate, CreatedById FROM ${object} WHERE ${parent} IN ${inList(ids)} AND Field IN ${inList(names)} ORDER BY CreatedDate DESC`;
}

export function stageHistoryQuery(ids: readonly string[]): string {
  return `SELECT OpportunityId, StageName, CreatedDate, CreatedById FROM OpportunityHistory WHERE OpportunityId IN ${inList(ids)} ORDER BY CreatedDate DESC`;
}

const historyValue = (v: unknown): string | null => (v === null || v === undefined || v === "" ? null : String(v));

/**
 * One record's history of `field`, newest first like HubSpot's: each change's new value, then the value the
 * record was created with (the oldest change's old value, at CreatedDate). No change rows: the current value,
 * held since creation.
 */
export function fieldHistoryFor(
  sObject: SObjectName,
  record: Flat,
  field: string,
  rows: readonly FieldHistoryRow[],
): PropertyHistoryEntry[] {
  const { parent } = FIELD_HISTORY[sObject];
  const name = historyFieldName(field);
  // A lookup change is logged twice, once with ids and once with names: keep the ids.
  const mine = rows.filter(
    (r) => r[parent] === record.Id && r.Field === name && (field !== "OwnerId" || [r.NewValue, r.OldValue].every(isIdOrEmpty)),
  );
  const entries: PropertyHistoryEntry[] = mine.map((r) => ({
    value: historyValue(r.NewValue),
    timestamp: isoOrNull(r.CreatedDate) ?? r.CreatedDate,
    sourceType: "USER",
    sourceId: r.CreatedById,
  }));
  const initial = mine.length > 0 ? historyValue(mine[mine.length - 1]?.OldValue) : (record[field] ?? null);
  entries.push({
    value: initial,
    timestamp: isoOrNull(record.CreatedDate) ?? "",
    sourceType: "CREATED",
    sourceId: record.CreatedById ?? null,
  });
  return entries;
}

const isIdOrEmpty = (v: unknown) => v === null || v === undefined || (typeof v === "string" && isSalesforceId(v));

/** One opportunity's stages, newest first: OpportunityHistory snapshots where the stage changed. */
export function stageHistoryFor(opportunityId: string, rows: readonly StageHistoryRow[]): PropertyHistoryEntry[] {
  const mine = rows.filter((r) => r.OpportunityId === opportunityId);
  const entries: PropertyHistoryEntry[] = [];
  mine.forEach((row, i) => {
    const older = mine[i + 1];
    if (older && older.StageName === row.StageName) return;
    entries.push({
      value: row.StageName,
      timestamp: isoOrNull(row.CreatedDate) ?? row.CreatedDate,
      sourceType: older ? "USER" : "CREATED",
      sourceId: row.CreatedById,
    });
  });
  return entries;
}

/** Assembles a record's RecordHistory from the rows fetched for its sObject. */
export function recordHistory(
  sObject: SObjectName,
  record: Flat,
  fields: readonly string[],
  rows: { field: readonly FieldHistoryRow[]; stage: readonly StageHistoryRow[] },
): RecordHistory {
  const out: RecordHistory = {};
  for (const field of fields) {
    out[field] = usesStageHistory(sObject, field)
      ? stageHistoryFor(record.Id ?? "", rows.stage)
      : fieldHistoryFor(sObject, record, field, rows.field);
  }
  return out;
}
