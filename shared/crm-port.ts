import type { Company, Contact, Deal, ObjectType, Owner, Pipeline } from "./domain/types.ts";
import type { Result } from "./result.ts";

/** Why a CRM call failed; `retryable` failures are retried with backoff, the others are dead-lettered. */
export type CrmErrorCode =
  | "rate_limited"
  | "budget_exhausted"
  | "server_error"
  | "timeout"
  | "not_found"
  | "validation_error"
  | "unauthorized"
  | "bad_request"
  | "not_installed";

export type CrmError = { code: CrmErrorCode; message: string; retryable: boolean; retryAfterMs?: number };
export type CrmResult<T> = Result<T, CrmErrorCode> & ({ ok: true } | { ok: false; error: CrmError });

export type PropertyHistoryEntry = { value: string | null; timestamp: string; sourceType: string | null; sourceId: string | null };
export type RecordHistory = Record<string, PropertyHistoryEntry[]>;

export type RecordOf<T extends ObjectType> = T extends "contacts" ? Contact : T extends "companies" ? Company : Deal;
export type ActivityInput =
  | { kind: "note"; objectType: ObjectType; objectId: string; body: string }
  | { kind: "task"; objectType: ObjectType; objectId: string; subject: string; body: string; ownerId: string | null; dueAt: number };
export type AssociatedRecord = { id: string; labels: string[] };
/** A note or task found on a record, with its text (a note's body; a task's subject and body). */
export type FoundActivity = { id: string; objectId: string; text: string };
export type PropertyUpdate = { id: string; properties: Record<string, string | null> };
/** Extra properties to read beyond the adapter's standard set, and the properties whose history to read. */
export type ReadOptions = { properties?: readonly string[]; historyFor?: readonly string[] };

/** The CRM as the core sees it: domain records in, domain decisions out. One implementation per vendor. */
export interface CrmPort {
  readonly crm: "hubspot" | "salesforce";
  /** Reads up to any number of records (batched by the adapter); ids that no longer exist are absent from the map. */
  read<T extends ObjectType>(
    objectType: T,
    ids: readonly string[],
    options?: ReadOptions,
  ): Promise<CrmResult<Map<string, { record: RecordOf<T>; history: RecordHistory }>>>;
  /** Raw values of the named CRM properties (by their CRM names), for property-level work such as undo. */
  readProperties(
    objectType: ObjectType,
    ids: readonly string[],
    names: readonly string[],
  ): Promise<CrmResult<Map<string, Record<string, string | null>>>>;
  /** Writes property values in batches; every id either succeeds or the whole call fails. */
  update(objectType: ObjectType, updates: readonly PropertyUpdate[]): Promise<CrmResult<void>>;
  /** Ids of records modified since `sinceMs`, oldest first, one page at a time (for the backfill). */
  modifiedSince(
    objectType: ObjectType,
    sinceMs: number,
    after?: string,
  ): Promise<CrmResult<{ ids: string[]; modifiedAt: number[]; next?: string }>>;
  /** Each record's associated records of `toType`, with the association labels (roles), batched by the adapter. */
  readAssociations(fromType: ObjectType, toType: ObjectType, ids: readonly string[]): Promise<CrmResult<Map<string, AssociatedRecord[]>>>;
  listOwners(): Promise<CrmResult<Owner[]>>;
  listDealPipelines(): Promise<CrmResult<Pipeline[]>>;
  createNote(objectType: ObjectType, objectId: string, body: string): Promise<CrmResult<{ id: string }>>;
  createTask(
    objectType: ObjectType,
    objectId: string,
    task: { subject: string; body: string; ownerId: string | null; dueAt: number },
  ): Promise<CrmResult<{ id: string }>>;
  /**
   * Creates many notes and tasks in as few calls as the CRM allows (HubSpot: 100 per batch call), each attached to
   * its record; returns the new ids in input order. Optional: without it, callers create them one by one.
   */
  createActivities?(items: readonly ActivityInput[]): Promise<CrmResult<string[]>>;
  /**
   * The notes or tasks attached to records, with their text: how a create whose reply never came (a timeout, a 5xx
   * after the CRM may have applied it) is looked for before making it again. Optional: without it, such a create is
   * repeated.
   */
  findActivities?(kind: ActivityInput["kind"], objectType: ObjectType, objectIds: readonly string[]): Promise<CrmResult<FoundActivity[]>>;
  /** Merges `mergedId` into `primaryId`; returns the surviving record's id (HubSpot makes a new one). */
  mergeContacts(primaryId: string, mergedId: string): Promise<CrmResult<{ id: string }>>;
  createContact(properties: Record<string, string | null>): Promise<CrmResult<{ id: string }>>;
}
