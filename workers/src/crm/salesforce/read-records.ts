import type { Connection } from "jsforce/core";
import type { RecordHistory, RecordOf } from "../../../../shared/crm-port.ts";
import type { ObjectType } from "../../../../shared/domain/types.ts";
import { SalesforceResultError } from "./errors.ts";
import {
  type FieldHistoryRow,
  fieldHistoryQuery,
  recordHistory,
  type StageHistoryRow,
  stageHistoryQuery,
  usesStageHistory,
} from "./history.ts";
import { fieldsFor, flatten, personSObject, type SObjectName, type SObjectRecord, sObjectsFor, toDomainRecord } from "./mapping.ts";
import { queryAll } from "./rest.ts";
import { chunks, inList, isFieldPath, isSalesforceId } from "./soql.ts";

/** Ids per SOQL `IN` list: 200 ids keep the query URL far below Salesforce's 16,000-character limit. */
export const IDS_PER_QUERY = 200;

type Loaded<T extends ObjectType> = Map<string, { record: RecordOf<T>; history: RecordHistory }>;

/** Reads records by id (Leads and Contacts alike for contacts), with the history of `historyFor` fields. */
export async function readRecords<T extends ObjectType>(
  conn: Connection,
  objectType: T,
  ids: readonly string[],
  historyFor: readonly string[],
): Promise<Loaded<T>> {
  const badField = historyFor.find((f) => !isFieldPath(f));
  if (badField !== undefined) {
    throw new SalesforceResultError({
      code: "bad_request",
      message: `${JSON.stringify(badField)} is not a Salesforce field name`,
      retryable: false,
    });
  }
  const out: Loaded<T> = new Map();
  const valid = [...new Set(ids.filter(isSalesforceId))];
  for (const sObject of sObjectsFor(objectType)) {
    const mine = objectType === "contacts" ? valid.filter((id) => personSObject(id) === sObject) : valid;
    for (const batch of chunks(mine, IDS_PER_QUERY)) {
      const records = await queryAll(
        conn,
        `SELECT ${fieldsFor(sObject, historyFor).join(", ")} FROM ${sObject} WHERE Id IN ${inList(batch)}`,
      );
      const rows = await historyRows(
        conn,
        sObject,
        records.map((r) => r.Id),
        historyFor,
      );
      for (const raw of records) {
        out.set(raw.Id, {
          record: toDomainRecord(objectType, raw) as RecordOf<T>,
          history: recordHistory(sObject, flatten(raw), historyFor, rows),
        });
      }
    }
  }
  return out;
}

async function historyRows(conn: Connection, sObject: SObjectName, ids: string[], fields: readonly string[]) {
  const rows: { field: FieldHistoryRow[]; stage: StageHistoryRow[] } = { field: [], stage: [] };
  if (ids.length === 0 || fields.length === 0) return rows;
  const tracked = fields.filter((f) => !usesStageHistory(sObject, f));
  if (tracked.length > 0) rows.field = await queryAll<FieldHistoryRow>(conn, fieldHistoryQuery(sObject, ids, tracked));
  if (tracked.length < fields.length) rows.stage = await queryAll<StageHistoryRow>(conn, stageHistoryQuery(ids));
  return rows;
}

export type { SObjectRecord };
