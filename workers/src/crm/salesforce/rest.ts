import type { Connection } from "jsforce/core";
import type { SObjectRecord } from "./mapping.ts";

type QueryPage<T> = { totalSize: number; done: boolean; records: T[]; nextRecordsUrl?: string };

/**
 * Every row a SOQL query selects, following `nextRecordsUrl` page by page (one API call each). Paging by hand
 * keeps jsforce's Query event machinery out of the way; jsforce still sends, authorises and parses errors.
 */
export async function queryAll<T = SObjectRecord>(conn: Connection, soql: string): Promise<T[]> {
  let page = await conn.request<QueryPage<T>>(`/query?q=${encodeURIComponent(soql)}`);
  const records = [...page.records];
  while (!page.done && page.nextRecordsUrl) {
    page = await conn.request<QueryPage<T>>(page.nextRecordsUrl);
    records.push(...page.records);
  }
  return records;
}

/** A JSON request to a path under `/services/data/vXX.X`. */
export function sendJson<R>(conn: Connection, method: "POST" | "PATCH", path: string, body: unknown): Promise<R> {
  return conn.request<R>({ method, url: path, body: JSON.stringify(body), headers: { "content-type": "application/json" } });
}

/** The result of creating or updating one record (REST create, sObject Collections, composite bodies). */
export type SaveResult = {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode?: string; errorCode?: string; message?: string; fields?: string[] }>;
};
