import type { Connection } from "jsforce/core";
import type { ReadOptions, RecordHistory, RecordOf } from "../../../../shared/crm-port.ts";
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

/** Reads records by id (Leads and Contacts alike for contacts), with extra properties and the history of `historyFor`. */
export async function readRecords<T extends ObjectType>(
  conn: Connection,
  objectType: T,
  ids: readonly string[],
  options: ReadOptions,
): Promise<Loaded<T>> {
  const historyFor = options.historyFor ?? [];
  const extra = [...(options.properties ?? []), ...historyFor];
  checkFieldNames(extra);
  const out: Loaded<T> = new Map();
  for (const [sObject, batch] of batchesBySObject(objectType, ids)) {
    const records = await queryAll(conn, `SELECT ${fieldsFor(sObject, extra).join(", ")} FROM ${sObject} WHERE Id IN ${inList(batch)}`);
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
  return out;
}

/** The named fields' raw values by record id (relationship paths like `Account.Name` included). */
export async function readFieldValues(conn: Connection, objectType: ObjectType, ids: readonly string[], names: readonly string[]) {
  checkFieldNames(names);
  const out = new Map<string, Record<string, string | null>>();
  for (const [sObject, batch] of batchesBySObject(objectType, ids)) {
    const fields = [...new Set(["Id", ...names])].join(", ");
    for (const raw of await queryAll(conn, `SELECT ${fields} FROM ${sObject} WHERE Id IN ${inList(batch)}`)) {
      const flat = flatten(raw);
      out.set(raw.Id, Object.fromEntries(names.map((n) => [n, flat[n] ?? null])));
    }
  }
  return out;
}

/** Valid, distinct ids grouped by the sObject that holds them (Leads apart from Contacts), 200 per batch. */
function batchesBySObject(objectType: ObjectType, ids: readonly string[]): Array<[SObjectName, string[]]> {
  const valid = [...new Set(ids.filter(isSalesforceId))];
  return sObjectsFor(objectType).flatMap((sObject) => {
    const mine = objectType === "contacts" ? valid.filter((id) => personSObject(id) === sObject) : valid;
    return chunks(mine, IDS_PER_QUERY).map((batch): [SObjectName, string[]] => [sObject, batch]);
  });
}

function checkFieldNames(names: readonly string[]) {
  const bad = names.find((f) => !isFieldPath(f));
  if (bad !== undefined) {
    throw new SalesforceResultError({
      code: "bad_request",
      message: `${JSON.stringify(bad)} is not a Salesforce field name`,
      retryable: false,
    });
  }
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
