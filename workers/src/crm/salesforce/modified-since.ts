import type { Connection } from "jsforce/core";
import { z } from "zod";
import type { ObjectType } from "../../../../shared/domain/types.ts";
import { SalesforceResultError } from "./errors.ts";
import { type SObjectName, sObjectsFor } from "./mapping.ts";
import { queryAll } from "./rest.ts";
import { quote, soqlDatetime } from "./soql.ts";

export const MODIFIED_PAGE_SIZE = 200;

/**
 * Where each sObject's listing stands: the last (LastModifiedDate, Id) returned, or "done". Keyset paging rather
 * than a query locator, because locators expire after 15 idle minutes and the backfill resumes on a later run.
 */
const cursorSchema = z.record(
  z.string(),
  z.union([z.literal("done"), z.object({ t: z.number(), id: z.string().regex(/^[A-Za-z0-9]{15,18}$/) })]),
);
type Cursor = z.infer<typeof cursorSchema>;
type Row = { Id: string; LastModifiedDate: string };
type Tagged = { sObject: SObjectName; id: string; ms: number };

function whereFor(sinceMs: number, position: Cursor[string] | undefined): string {
  if (position === undefined || position === "done") return `LastModifiedDate >= ${soqlDatetime(sinceMs)}`;
  const t = soqlDatetime(position.t);
  return `(LastModifiedDate > ${t} OR (LastModifiedDate = ${t} AND Id > ${quote(position.id)}))`;
}

function parseCursor(after: string | undefined): Cursor {
  if (after === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(after);
  } catch {
    json = null;
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success)
    throw new SalesforceResultError({ code: "bad_request", message: "Unreadable modifiedSince cursor", retryable: false });
  return parsed.data;
}

/**
 * One page of ids modified since `sinceMs`, oldest first. Contacts list Contacts and Leads together: both are
 * queried from their own position and merged by time, so a page never skips the other sObject's rows.
 */
export async function modifiedPage(conn: Connection, objectType: ObjectType, sinceMs: number, after?: string) {
  const cursor = parseCursor(after);
  const fetched: Tagged[] = [];
  const full = new Set<SObjectName>();
  for (const sObject of sObjectsFor(objectType)) {
    if (cursor[sObject] === "done") continue;
    const soql = `SELECT Id, LastModifiedDate FROM ${sObject} WHERE ${whereFor(sinceMs, cursor[sObject])} ORDER BY LastModifiedDate, Id LIMIT ${MODIFIED_PAGE_SIZE}`;
    const rows = await queryAll<Row>(conn, soql);
    if (rows.length === MODIFIED_PAGE_SIZE) full.add(sObject);
    for (const row of rows)
      fetched.push({ sObject, id: row.Id, ms: Date.parse(row.LastModifiedDate.replace(/([+-]\d{2})(\d{2})$/, "$1:$2")) });
  }
  // Stable sort keeps each sObject's own (time, Id) order, which Salesforce defined.
  const page = fetched.sort((a, b) => a.ms - b.ms).slice(0, MODIFIED_PAGE_SIZE);
  const next: Cursor = { ...cursor };
  for (const sObject of sObjectsFor(objectType)) {
    if (cursor[sObject] === "done") continue;
    const taken = page.filter((r) => r.sObject === sObject);
    const last = taken[taken.length - 1];
    const untaken = fetched.some((r) => r.sObject === sObject && !page.includes(r));
    if (last) next[sObject] = { t: last.ms, id: last.id };
    if (!full.has(sObject) && !untaken) next[sObject] = "done";
  }
  const more = sObjectsFor(objectType).some((s) => next[s] !== "done");
  return { ids: page.map((r) => r.id), modifiedAt: page.map((r) => r.ms), ...(more ? { next: JSON.stringify(next) } : {}) };
}
