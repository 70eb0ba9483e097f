import type {
  ActivityInput,
  AssociatedRecord,
  CrmError,
  CrmPort,
  CrmResult,
  FoundActivity,
  PropertyUpdate,
  ReadOptions,
  RecordHistory,
  RecordOf,
} from "../../../../shared/crm-port.ts";
import type { ObjectType, Owner, Pipeline } from "../../../../shared/domain/types.ts";
import { createHubspotApis, type HubspotApis } from "./apis.ts";
import {
  hubspotCompanyToCompany,
  hubspotContactToContact,
  hubspotDealToDeal,
  hubspotOwnerToOwner,
  hubspotPipelineToPipeline,
  propertiesFor,
} from "./mapping.ts";
import { CrmTransportError } from "./transport.ts";

const BATCH = 100;
/** HubSpot's association type ids from notes and tasks to contacts, companies and deals. */
const NOTE_ASSOCIATION = { contacts: 202, companies: 190, deals: 214 } as const;
const TASK_ASSOCIATION = { contacts: 204, companies: 192, deals: 216 } as const;

type RawObject = { id: string; properties: Record<string, string | null>; propertiesWithHistory?: Record<string, RawHistory[]> };
type RawHistory = { value: string; timestamp: Date | string; sourceType?: string; sourceId?: string };

/** CrmPort over HubSpot's v3 APIs through `@hubspot/api-client`'s generated modules. */
export class HubspotCrm implements CrmPort {
  readonly crm = "hubspot" as const;
  private readonly apis: HubspotApis;

  constructor(basePath: string, accessToken: string, send: (r: Request) => Promise<Response>) {
    this.apis = createHubspotApis(basePath, accessToken, send);
  }

  async read<T extends ObjectType>(objectType: T, ids: readonly string[], options: ReadOptions = {}) {
    return attempt(async () => {
      const out = new Map<string, { record: RecordOf<T>; history: RecordHistory }>();
      const history = [...(options.historyFor ?? [])];
      const properties = propertiesFor(objectType, [...history, ...(options.properties ?? [])]);
      for (let i = 0; i < ids.length; i += BATCH) {
        const inputs = ids.slice(i, i + BATCH).map((id) => ({ id }));
        const res = await this.apis.objectsBatch.read(objectType, {
          inputs,
          properties,
          propertiesWithHistory: history,
        });
        for (const raw of res.results as RawObject[])
          out.set(raw.id, { record: toRecord(objectType, raw) as RecordOf<T>, history: toHistory(raw) });
      }
      return out;
    });
  }

  async readProperties(objectType: ObjectType, ids: readonly string[], names: readonly string[]) {
    return attempt(async () => {
      const out = new Map<string, Record<string, string | null>>();
      for (let i = 0; i < ids.length; i += BATCH) {
        const inputs = ids.slice(i, i + BATCH).map((id) => ({ id }));
        const res = await this.apis.objectsBatch.read(objectType, { inputs, properties: [...names], propertiesWithHistory: [] });
        for (const raw of res.results as RawObject[]) {
          const values: Record<string, string | null> = {};
          for (const n of names)
            values[n] = raw.properties[n] === "" || raw.properties[n] === undefined ? null : (raw.properties[n] ?? null);
          out.set(raw.id, values);
        }
      }
      return out;
    });
  }

  async update(objectType: ObjectType, updates: readonly PropertyUpdate[]) {
    return attempt(async () => {
      for (let i = 0; i < updates.length; i += BATCH) {
        const inputs = updates.slice(i, i + BATCH).map((u) => ({ id: u.id, properties: nullsToEmpty(u.properties) }));
        await this.apis.objectsBatch.update(objectType, { inputs });
      }
    });
  }

  async modifiedSince(objectType: ObjectType, sinceMs: number, after?: string) {
    return attempt(async () => {
      const modified = objectType === "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate";
      const res = await this.apis.objectsSearch.doSearch(objectType, {
        filterGroups: [{ filters: [{ propertyName: modified, operator: "GTE" as never, value: String(sinceMs) }] }],
        sorts: [`${modified}`],
        properties: [modified],
        limit: 200,
        ...(after ? { after } : {}),
      });
      const results = res.results as RawObject[];
      const next = res.paging?.next?.after;
      return {
        ids: results.map((r) => r.id),
        modifiedAt: results.map((r) => Date.parse(r.properties[modified] ?? "") || sinceMs),
        ...(next ? { next } : {}),
      };
    });
  }

  async readAssociations(fromType: ObjectType, toType: ObjectType, ids: readonly string[]) {
    return attempt(async () => {
      const out = new Map<string, AssociatedRecord[]>();
      for (let i = 0; i < ids.length; i += BATCH) {
        const inputs = ids.slice(i, i + BATCH).map((id) => ({ id }));
        const res = await this.apis.associationsBatch.getPage(fromType, toType, { inputs });
        for (const r of res.results) {
          out.set(
            r._from.id,
            r.to.map((t) => ({ id: String(t.toObjectId), labels: t.associationTypes.flatMap((a) => (a.label ? [a.label] : [])) })),
          );
        }
      }
      return out;
    });
  }

  async listOwners() {
    return attempt(async () => {
      const owners: Owner[] = [];
      for (const archived of [false, true]) {
        let after: string | undefined;
        do {
          const page = await this.apis.owners.getPage(undefined, after, 500, archived);
          for (const o of page.results) owners.push(hubspotOwnerToOwner(o as never));
          after = page.paging?.next?.after;
        } while (after);
      }
      return owners;
    });
  }

  async listDealPipelines() {
    return attempt(async (): Promise<Pipeline[]> => {
      const res = await this.apis.pipelines.getAll("deals");
      return res.results.map((p) => hubspotPipelineToPipeline(p as never));
    });
  }

  async createActivities(items: readonly ActivityInput[]) {
    return attempt(async () => {
      const ids = new Array<string>(items.length).fill("");
      // Notes and tasks are two batch endpoints: both at once.
      await Promise.all(
        (["note", "task"] as const).map(async (kind) => {
          const indexed = items.map((item, index) => ({ item, index })).filter((x) => x.item.kind === kind);
          for (let i = 0; i < indexed.length; i += BATCH) {
            const chunk = indexed.slice(i, i + BATCH);
            const inputs = chunk.map(({ item }) => activityInput(item));
            const res = await this.apis.objectsBatch.create(kind === "note" ? "notes" : "tasks", { inputs });
            // Batch create answers in input order.
            res.results.forEach((r, k) => {
              const at = chunk[k]?.index;
              if (at !== undefined) ids[at] = r.id;
            });
          }
        }),
      );
      return ids;
    });
  }

  async findActivities(kind: ActivityInput["kind"], objectType: ObjectType, objectIds: readonly string[]) {
    return attempt(async () => {
      const activityType = kind === "note" ? "notes" : "tasks";
      const textProperties = kind === "note" ? ["hs_note_body"] : ["hs_task_subject", "hs_task_body"];
      const onRecord = new Map<string, string>();
      for (let i = 0; i < objectIds.length; i += BATCH) {
        const inputs = objectIds.slice(i, i + BATCH).map((id) => ({ id }));
        const res = await this.apis.associationsBatch.getPage(objectType, activityType, { inputs });
        for (const r of res.results) for (const t of r.to) onRecord.set(String(t.toObjectId), r._from.id);
      }
      const ids = [...onRecord.keys()];
      const found: FoundActivity[] = [];
      for (let i = 0; i < ids.length; i += BATCH) {
        const inputs = ids.slice(i, i + BATCH).map((id) => ({ id }));
        const res = await this.apis.objectsBatch.read(activityType, { inputs, properties: textProperties, propertiesWithHistory: [] });
        for (const raw of res.results as RawObject[]) {
          const text = textProperties.map((p) => raw.properties[p] ?? "").join("\n");
          found.push({ id: raw.id, objectId: onRecord.get(raw.id) ?? "", text });
        }
      }
      return found;
    });
  }

  async createNote(objectType: ObjectType, objectId: string, body: string) {
    return attempt(async () => {
      const res = await this.apis.objectsBasic.create("notes", {
        properties: { hs_note_body: body, hs_timestamp: new Date().toISOString() },
        associations: [association(objectId, NOTE_ASSOCIATION[objectType])],
      });
      return { id: res.id };
    });
  }

  async createTask(
    objectType: ObjectType,
    objectId: string,
    task: { subject: string; body: string; ownerId: string | null; dueAt: number },
  ) {
    return attempt(async () => {
      const properties: Record<string, string> = {
        hs_task_subject: task.subject,
        hs_task_body: task.body,
        hs_task_status: "NOT_STARTED",
        hs_task_priority: "HIGH",
        hs_timestamp: new Date(task.dueAt).toISOString(),
      };
      if (task.ownerId) properties.hubspot_owner_id = task.ownerId;
      const res = await this.apis.objectsBasic.create("tasks", {
        properties,
        associations: [association(objectId, TASK_ASSOCIATION[objectType])],
      });
      return { id: res.id };
    });
  }

  async mergeContacts(primaryId: string, mergedId: string) {
    return attempt(async () => {
      const res = await this.apis.contactsBasic.merge({ primaryObjectId: primaryId, objectIdToMerge: mergedId });
      return { id: res.id };
    });
  }

  async createContact(properties: Record<string, string | null>) {
    return attempt(async () => {
      const res = await this.apis.objectsBasic.create("contacts", { properties: nullsToEmpty(properties), associations: [] });
      return { id: res.id };
    });
  }
}

function activityInput(item: ActivityInput) {
  if (item.kind === "note") {
    return {
      properties: { hs_note_body: item.body, hs_timestamp: new Date().toISOString() },
      associations: [association(item.objectId, NOTE_ASSOCIATION[item.objectType])],
    };
  }
  const properties: Record<string, string> = {
    hs_task_subject: item.subject,
    hs_task_body: item.body,
    hs_task_status: "NOT_STARTED",
    hs_task_priority: "HIGH",
    hs_timestamp: new Date(item.dueAt).toISOString(),
  };
  if (item.ownerId) properties.hubspot_owner_id = item.ownerId;
  return { properties, associations: [association(item.objectId, TASK_ASSOCIATION[item.objectType])] };
}

function association(objectId: string, typeId: number) {
  return { to: { id: objectId }, types: [{ associationCategory: "HUBSPOT_DEFINED" as never, associationTypeId: typeId }] };
}

/** HubSpot clears a property when it is written as an empty string. */
function nullsToEmpty(props: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) out[k] = v ?? "";
  return out;
}

function toRecord(objectType: ObjectType, raw: RawObject) {
  if (objectType === "contacts") return hubspotContactToContact(raw.id, raw.properties);
  if (objectType === "companies") return hubspotCompanyToCompany(raw.id, raw.properties);
  return hubspotDealToDeal(raw.id, raw.properties);
}

function toHistory(raw: RawObject): RecordHistory {
  const out: RecordHistory = {};
  for (const [name, entries] of Object.entries(raw.propertiesWithHistory ?? {})) {
    out[name] = entries.map((e) => ({
      value: e.value === "" ? null : e.value,
      timestamp: e.timestamp instanceof Date ? e.timestamp.toISOString() : String(e.timestamp),
      sourceType: e.sourceType ?? null,
      sourceId: e.sourceId ?? null,
    }));
  }
  return out;
}

/** Runs one adapter operation, turning transport and HTTP failures into CrmErrors the consumer can act on. */
async function attempt<T>(op: () => Promise<T>): Promise<CrmResult<T>> {
  try {
    return { ok: true, value: await op() };
  } catch (cause) {
    return { ok: false, error: toCrmError(cause) };
  }
}

export function toCrmError(cause: unknown): CrmError {
  if (cause instanceof CrmTransportError) return cause.crmError;
  const status = (cause as { code?: unknown }).code;
  const body = (cause as { body?: unknown }).body;
  const category =
    typeof body === "object" && body !== null
      ? String((body as { category?: unknown; errorType?: unknown }).category ?? (body as { errorType?: unknown }).errorType ?? "")
      : "";
  const message =
    typeof body === "object" && body !== null && "message" in body ? String((body as { message: unknown }).message) : String(cause);
  if (typeof status !== "number") return { code: "server_error", message: `HubSpot call failed: ${message}`, retryable: true };
  if (status === 429)
    return { code: "rate_limited", message: `HubSpot rate limit (${category || "unknown policy"})`, retryable: true, retryAfterMs: 10_000 };
  if (status >= 500) return { code: "server_error", message: `HubSpot answered ${status}`, retryable: true };
  if (status === 404) return { code: "not_found", message, retryable: false };
  if (status === 401 || status === 403) return { code: "unauthorized", message, retryable: false };
  if (category === "VALIDATION_ERROR") return { code: "validation_error", message, retryable: false };
  return { code: "bad_request", message, retryable: false };
}
