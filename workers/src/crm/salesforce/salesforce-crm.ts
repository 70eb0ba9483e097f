import { Buffer } from "node:buffer";
import type { Connection } from "jsforce/core";
import type { ActivityInput, CrmPort, CrmResult, FoundActivity, PropertyUpdate, ReadOptions } from "../../../../shared/crm-port.ts";
import type { ObjectType, Owner, Pipeline } from "../../../../shared/domain/types.ts";
import { readLinks } from "./associations.ts";
import { type ApiUsage, connectSalesforce, type SalesforceConnectionOptions } from "./connection.ts";
import { recordErrorsToCrmError, SalesforceResultError, toSalesforceCrmError } from "./errors.ts";
import {
  type OpportunityStageRecord,
  personSObject,
  salesforceStagesToPipeline,
  salesforceUserToOwner,
  type UserRecord,
} from "./mapping.ts";
import { modifiedPage } from "./modified-since.ts";
import { readFieldValues, readRecords } from "./read-records.ts";
import { queryAll, type SaveResult, sendJson } from "./rest.ts";
import { chunks, inList, isSalesforceId } from "./soql.ts";

/** sObject Collections take 200 records per call. */
export const RECORDS_PER_UPDATE = 200;
const TYPE_OF: Record<Exclude<ObjectType, "contacts">, string> = { companies: "Account", deals: "Opportunity" };
const sObjectOf = (objectType: ObjectType, id: string) => (objectType === "contacts" ? personSObject(id) : TYPE_OF[objectType]);

type CompositeResponse = { compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string }> };
type MergeResult = { success: boolean; id: string; errors?: SaveResult["errors"] | SaveResult["errors"][number] };

/** CrmPort over a Salesforce org through jsforce (REST, sObject Collections, composite, SOAP merge). */
export class SalesforceCrm implements CrmPort {
  readonly crm = "salesforce" as const;
  private readonly conn: Connection;
  private usage: ApiUsage | null = null;

  constructor(options: SalesforceConnectionOptions) {
    this.conn = connectSalesforce({
      ...options,
      onApiUsage: (usage) => {
        this.usage = usage;
        options.onApiUsage?.(usage);
      },
    });
  }

  /** The org's daily API usage as of the last answer that reported it (`Sforce-Limit-Info`). */
  get apiUsage(): ApiUsage | null {
    return this.usage;
  }

  read<T extends ObjectType>(objectType: T, ids: readonly string[], options: ReadOptions = {}) {
    return attempt(() => readRecords(this.conn, objectType, ids, options));
  }

  readProperties(objectType: ObjectType, ids: readonly string[], names: readonly string[]) {
    return attempt(() => readFieldValues(this.conn, objectType, ids, names));
  }

  /** Writes with sObject Collections, all-or-none within each call of 200 (null clears a field). */
  update(objectType: ObjectType, updates: readonly PropertyUpdate[]) {
    return attempt(async () => {
      for (const batch of chunks(updates, RECORDS_PER_UPDATE)) {
        const records = batch.map((u) => ({ attributes: { type: sObjectOf(objectType, u.id) }, ...u.properties, Id: u.id }));
        const results = await sendJson<SaveResult[]>(this.conn, "PATCH", "/composite/sobjects", { allOrNone: true, records });
        const failed = results.filter((r) => !r.success);
        if (failed.length > 0)
          throw new SalesforceResultError(
            recordErrorsToCrmError(
              failed.flatMap((r) => r.errors),
              "Update refused",
            ),
          );
      }
    });
  }

  modifiedSince(objectType: ObjectType, sinceMs: number, after?: string) {
    return attempt(() => modifiedPage(this.conn, objectType, sinceMs, after));
  }

  readAssociations(fromType: ObjectType, toType: ObjectType, ids: readonly string[]) {
    return attempt(() => readLinks(this.conn, fromType, toType, ids));
  }

  /**
   * Tasks on records (WhoId for people, WhatId otherwise), with subject and description: how a task create whose
   * reply was lost is found before making it again. Notes (ContentNote bodies are files, not queryable text) are not
   * looked for: such a note is made again.
   */
  findActivities(kind: ActivityInput["kind"], objectType: ObjectType, objectIds: readonly string[]) {
    return attempt(async (): Promise<FoundActivity[]> => {
      if (kind === "note") return [];
      const field = objectType === "contacts" ? "WhoId" : "WhatId";
      const found: FoundActivity[] = [];
      for (const ids of chunks(objectIds.filter(isSalesforceId), 200)) {
        const tasks = await queryAll<{ Id: string; WhoId?: string; WhatId?: string; Subject?: string; Description?: string }>(
          this.conn,
          `SELECT Id, ${field}, Subject, Description FROM Task WHERE ${field} IN ${inList(ids)}`,
        );
        for (const t of tasks)
          found.push({ id: t.Id, objectId: String(t[field] ?? ""), text: `${t.Subject ?? ""}\n${t.Description ?? ""}` });
      }
      return found;
    });
  }

  /** Standard (licensed) users, active and not: inactive users still own records, so they come back archived. */
  listOwners() {
    return attempt(async (): Promise<Owner[]> => {
      const users = await queryAll<UserRecord>(
        this.conn,
        "SELECT Id, Email, FirstName, LastName, IsActive, UserRoleId FROM User WHERE UserType = 'Standard' ORDER BY Id",
      );
      return users.map(salesforceUserToOwner);
    });
  }

  /** Active Opportunity stages (OpportunityStage) as one pipeline, in the org's sort order. */
  listDealPipelines() {
    return attempt(async (): Promise<Pipeline[]> => {
      const stages = await queryAll<OpportunityStageRecord>(
        this.conn,
        "SELECT ApiName, MasterLabel, SortOrder, IsClosed, IsWon, DefaultProbability FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder",
      );
      return [salesforceStagesToPipeline(stages)];
    });
  }

  /**
   * A ContentNote linked to the record, both created in one composite call (one API call). Notes rather than
   * Tasks: a Task would move the record's LastActivityDate and show up in reps' activity lists.
   */
  createNote(_objectType: ObjectType, objectId: string, body: string) {
    return attempt(async () => {
      const note = { Title: noteTitle(body), Content: Buffer.from(noteHtml(body), "utf8").toString("base64") };
      const link = { ContentDocumentId: "@{note.id}", LinkedEntityId: objectId, ShareType: "I" };
      const base = `/services/data/v${this.conn.version}/sobjects`;
      const res = await sendJson<CompositeResponse>(this.conn, "POST", "/composite", {
        allOrNone: true,
        compositeRequest: [
          { method: "POST", url: `${base}/ContentNote`, referenceId: "note", body: note },
          { method: "POST", url: `${base}/ContentDocumentLink`, referenceId: "link", body: link },
        ],
      });
      const failed = res.compositeResponse.filter((r) => r.httpStatusCode >= 400);
      if (failed.length > 0) {
        const errors = failed.flatMap((r) => (Array.isArray(r.body) ? r.body : [])).filter((e) => e.errorCode !== "PROCESSING_HALTED");
        throw new SalesforceResultError(recordErrorsToCrmError(errors, "Note refused"));
      }
      const created = res.compositeResponse.find((r) => r.referenceId === "note")?.body as SaveResult | undefined;
      return { id: created?.id ?? "" };
    });
  }

  /** A Task on the person (WhoId) or the account/opportunity (WhatId), due on `dueAt`'s UTC date. */
  createTask(objectType: ObjectType, objectId: string, task: { subject: string; body: string; ownerId: string | null; dueAt: number }) {
    return attempt(async () => {
      const record: Record<string, string> = {
        Subject: task.subject.slice(0, 255),
        Description: task.body,
        ActivityDate: new Date(task.dueAt).toISOString().slice(0, 10),
        Status: "Not Started",
        Priority: "High",
        [objectType === "contacts" ? "WhoId" : "WhatId"]: objectId,
      };
      if (task.ownerId) record.OwnerId = task.ownerId;
      return created(await sendJson<SaveResult>(this.conn, "POST", "/sobjects/Task", record), "Task refused");
    });
  }

  /** SOAP merge of one Contact (or Lead) into another; the master keeps its id. Set surviving values first. */
  mergeContacts(primaryId: string, mergedId: string) {
    return attempt(async () => {
      const type = personSObject(primaryId);
      if (personSObject(mergedId) !== type) {
        throw new SalesforceResultError({
          code: "bad_request",
          message: "Salesforce merges a Lead only with Leads and a Contact only with Contacts",
          retryable: false,
        });
      }
      const result = (await this.conn.soap.merge({ masterRecord: { type, Id: primaryId }, recordToMergeIds: [mergedId] })) as MergeResult;
      if (!result.success) {
        const errors = Array.isArray(result.errors) ? result.errors : result.errors ? [result.errors] : [];
        throw new SalesforceResultError(recordErrorsToCrmError(errors, "Merge refused"));
      }
      return { id: result.id || primaryId };
    });
  }

  /** Creates a Contact (LastName is required by Salesforce). */
  createContact(properties: Record<string, string | null>) {
    return attempt(async () => created(await sendJson<SaveResult>(this.conn, "POST", "/sobjects/Contact", properties), "Contact refused"));
  }
}

function created(result: SaveResult, what: string): { id: string } {
  if (!result.success || !result.id) throw new SalesforceResultError(recordErrorsToCrmError(result.errors, what));
  return { id: result.id };
}

/** The note's first line, as its title (ContentNote titles are at most 255 characters). */
const noteTitle = (body: string) => (body.split("\n")[0]?.trim() || "Note").slice(0, 255);

/** ContentNote content is HTML: escape the text and keep its line breaks. */
const noteHtml = (body: string) =>
  body
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .split("\n")
    .map((line) => `<p>${line}</p>`)
    .join("");

async function attempt<T>(op: () => Promise<T>): Promise<CrmResult<T>> {
  try {
    return { ok: true, value: await op() };
  } catch (cause) {
    return { ok: false, error: toSalesforceCrmError(cause) };
  }
}
