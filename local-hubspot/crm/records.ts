import type { PortalStore } from "../store/portal-store.ts";
import type { HistoryEntry, StoredRecord } from "../store/types.ts";
import { moveAssociations } from "./associations.ts";
import { OBJECT_TYPES, type ObjectTypeName } from "./object-types.ts";
import { describePropertyErrors, type ExtraProperties, validateProperties } from "./validate.ts";

/** Who made a write: the app through its token (`INTEGRATION`), or a person in the CRM (`CRM_UI`). */
export type WriteSource = { kind: "integration"; appId: string } | { kind: "user"; userId: number };

/** A change the webhook sender turns into HubSpot events. */
export type RecordChange = { type: ObjectTypeName; objectId: string; source: WriteSource; occurredAt: number } & (
  | { kind: "creation" | "deletion" }
  | { kind: "propertyChange"; propertyName: string; propertyValue: string }
  | { kind: "merge"; primaryObjectId: string; mergedObjectIds: string[]; newObjectId: string; numberOfPropertiesMoved: number }
);

/** An API failure in HubSpot's terms; the HTTP layer renders it as HubSpot's error body. */
export type ApiError = { status: number; category: string; message: string; subCategory?: string; context?: Record<string, string[]> };
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const notFound = (type: ObjectTypeName, id: string): { ok: false; error: ApiError } => ({
  ok: false,
  error: {
    status: 404,
    category: "OBJECT_NOT_FOUND",
    message: `Object not found.  objectId are usually numeric.`,
    context: { id: [id], objectType: [type] },
  },
});

const sourceFields = (source: WriteSource, timestamp: number): HistoryEntry => ({
  value: "",
  timestamp,
  ...(source.kind === "integration"
    ? { sourceType: "INTEGRATION", sourceId: source.appId }
    : { sourceType: "CRM_UI", sourceId: `userId:${source.userId}`, updatedByUserId: source.userId }),
});

export type EngineOptions = { extraProperties?: ExtraProperties; onChange?: (change: RecordChange) => void; now?: () => number };

/** Creates, updates, archives and merges records the way HubSpot does, keeping history and emitting changes. */
export class CrmEngine {
  constructor(
    readonly store: PortalStore,
    readonly options: EngineOptions = {},
  ) {}

  now(): number {
    return this.options.now?.() ?? Date.now();
  }

  validate(type: ObjectTypeName, properties: Record<string, string>, current?: Record<string, string>): Outcome<void> {
    const problems = validateProperties(this.store, type, properties, current, this.options.extraProperties ?? {});
    if (problems.length === 0) return { ok: true, value: undefined };
    return { ok: false, error: { status: 400, category: "VALIDATION_ERROR", message: describePropertyErrors(problems) } };
  }

  /** Contacts are unique on email (case-insensitive), as in HubSpot. */
  conflict(type: ObjectTypeName, properties: Record<string, string>, selfId?: string): Outcome<void> {
    const email = properties.email?.toLowerCase();
    if (type !== "contacts" || !email) return { ok: true, value: undefined };
    const existing = this.store.live("contacts").find((r) => r.id !== selfId && r.properties.email?.toLowerCase() === email);
    if (!existing) return { ok: true, value: undefined };
    return { ok: false, error: { status: 409, category: "CONFLICT", message: `Contact already exists. Existing ID: ${existing.id}` } };
  }

  create(type: ObjectTypeName, properties: Record<string, string>, source: WriteSource): Outcome<StoredRecord> {
    const checked = this.validate(type, properties);
    if (!checked.ok) return checked;
    const unique = this.conflict(type, properties);
    if (!unique.ok) return unique;
    const now = this.now();
    const record: StoredRecord = {
      type,
      id: this.store.newId(),
      createdAt: now,
      updatedAt: now,
      archived: false,
      properties: {},
      history: {},
    };
    const info = OBJECT_TYPES[type];
    const initial = { [info.created]: new Date(now).toISOString(), ...properties, hs_object_id: record.id };
    this.apply(record, initial, source, now);
    this.store.save(record);
    this.emit({ kind: "creation", type, objectId: record.id, source, occurredAt: now });
    return { ok: true, value: record };
  }

  update(type: ObjectTypeName, id: string, properties: Record<string, string>, source: WriteSource): Outcome<StoredRecord> {
    const record = this.store.get(type, id);
    if (!record) return notFound(type, id);
    const checked = this.validate(type, properties, record.properties);
    if (!checked.ok) return checked;
    const unique = this.conflict(type, properties, record.id);
    if (!unique.ok) return unique;
    const now = this.now();
    const changed = this.apply(record, properties, source, now);
    this.store.save(record);
    for (const name of changed) {
      const propertyValue = record.properties[name] ?? "";
      this.emit({ kind: "propertyChange", type, objectId: record.id, propertyName: name, propertyValue, source, occurredAt: now });
    }
    return { ok: true, value: record };
  }

  archive(type: ObjectTypeName, id: string, source: WriteSource): Outcome<void> {
    const record = this.store.get(type, id);
    // HubSpot answers 204 for an id that is already gone.
    if (!record) return { ok: true, value: undefined };
    const now = this.now();
    record.archived = true;
    record.archivedAt = now;
    record.updatedAt = now;
    this.store.save(record);
    this.emit({ kind: "deletion", type, objectId: record.id, source, occurredAt: now });
    return { ok: true, value: undefined };
  }

  /** HubSpot's merge: a new record, primary values win, the secondary fills gaps, both old ids resolve to it. */
  merge(type: ObjectTypeName, primaryId: string, mergeId: string, source: WriteSource): Outcome<StoredRecord> {
    const primary = this.store.get(type, primaryId);
    const secondary = this.store.get(type, mergeId);
    if (!primary) return notFound(type, primaryId);
    if (!secondary) return notFound(type, mergeId);
    if (primary.id === secondary.id) {
      return { ok: false, error: { status: 400, category: "VALIDATION_ERROR", message: "Cannot merge an object with itself" } };
    }
    const now = this.now();
    const merged = mergeRecords(type, this.store.newId(), primary, secondary, now);
    this.store.persistence.transaction(() => {
      this.store.save(merged.record);
      for (const old of [primary, secondary]) {
        old.archived = true;
        old.archivedAt = now;
        this.store.save(old);
        this.store.alias(type, old.id, merged.record.id);
        moveAssociations(this.store, type, old.id, merged.record.id);
      }
    });
    const newObjectId = merged.record.id;
    this.emit({
      kind: "merge",
      type,
      objectId: newObjectId,
      primaryObjectId: primary.id,
      mergedObjectIds: [secondary.id],
      newObjectId,
      numberOfPropertiesMoved: merged.moved,
      source,
      occurredAt: now,
    });
    return { ok: true, value: merged.record };
  }

  /** Writes values with history and the server-maintained properties; returns the names whose value changed. */
  private apply(record: StoredRecord, properties: Record<string, string>, source: WriteSource, now: number): string[] {
    const changed: string[] = [];
    for (const [name, value] of Object.entries(properties)) {
      if ((record.properties[name] ?? "") === value) continue;
      if (value === "") delete record.properties[name];
      else record.properties[name] = value;
      record.history[name] = [{ ...sourceFields(source, now), value }, ...(record.history[name] ?? [])];
      changed.push(name);
    }
    const derived = deriveProperties(this.store, record);
    for (const [name, value] of Object.entries(derived)) {
      if ((record.properties[name] ?? "") === value) continue;
      record.properties[name] = value;
      record.history[name] = [{ value, timestamp: now, sourceType: "CALCULATED" }, ...(record.history[name] ?? [])];
    }
    const modified = OBJECT_TYPES[record.type].modified;
    record.properties[modified] = new Date(now).toISOString();
    record.history[modified] = [{ ...sourceFields(source, now), value: record.properties[modified] }];
    record.updatedAt = now;
    return changed;
  }

  private emit(change: RecordChange): void {
    this.options.onChange?.(change);
  }
}

/** Properties HubSpot calculates from others: the email domain and a deal's stage facts. */
function deriveProperties(store: PortalStore, record: StoredRecord): Record<string, string> {
  const p = record.properties;
  if (record.type === "contacts" && p.email) return { hs_email_domain: p.email.split("@")[1]?.toLowerCase() ?? "" };
  if (record.type === "deals" && p.dealstage) {
    const stage = store.pipelines.find((x) => x.id === (p.pipeline ?? "default"))?.stages.find((s) => s.id === p.dealstage);
    if (!stage) return {};
    const won = stage.isClosed && stage.probability >= 1;
    return { hs_deal_stage_probability: String(stage.probability), hs_is_closed: String(stage.isClosed), hs_is_closed_won: String(won) };
  }
  return {};
}

function mergeRecords(type: ObjectTypeName, id: string, primary: StoredRecord, secondary: StoredRecord, now: number) {
  const properties: Record<string, string> = { ...primary.properties };
  let moved = 0;
  for (const [name, value] of Object.entries(secondary.properties)) {
    if (properties[name] === undefined || properties[name] === "") {
      properties[name] = value;
      moved++;
    }
  }
  const extraEmail = secondary.properties.email;
  if (
    type === "contacts" &&
    extraEmail &&
    primary.properties.email &&
    extraEmail.toLowerCase() !== primary.properties.email.toLowerCase()
  ) {
    properties.hs_additional_emails = [properties.hs_additional_emails, extraEmail].filter(Boolean).join(";");
  }
  const info = OBJECT_TYPES[type];
  const createdAt = Math.min(primary.createdAt, secondary.createdAt);
  Object.assign(properties, {
    hs_object_id: id,
    hs_merged_object_ids: [primary.id, secondary.id].join(";"),
    [info.created]: new Date(createdAt).toISOString(),
    [info.modified]: new Date(now).toISOString(),
  });
  const history: Record<string, HistoryEntry[]> = {};
  for (const name of new Set([...Object.keys(primary.history), ...Object.keys(secondary.history)])) {
    const entries = [...(primary.history[name] ?? []), ...(secondary.history[name] ?? [])];
    history[name] = entries.sort((a, b) => b.timestamp - a.timestamp);
  }
  for (const [name, value] of Object.entries(properties)) {
    if (history[name]?.[0]?.value !== value) history[name] = [{ value, timestamp: now, sourceType: "MERGE" }, ...(history[name] ?? [])];
  }
  const record: StoredRecord = { type, id, createdAt, updatedAt: now, archived: false, properties, history };
  return { record, moved };
}
