import { associationsOf, v3AssociationName } from "../crm/associations.ts";
import { OBJECT_TYPES, type ObjectTypeName, resolveObjectType } from "../crm/object-types.ts";
import type { PortalStore } from "../store/portal-store.ts";
import type { StoredRecord } from "../store/types.ts";

export type RenderOptions = { properties?: string[]; propertiesWithHistory?: string[]; associations?: string[] };

const iso = (ms: number) => new Date(ms).toISOString();

/** A record as HubSpot's SimplePublicObject: default and requested properties (null when empty), history on request. */
export function renderRecord(store: PortalStore, record: StoredRecord, options: RenderOptions = {}): Record<string, unknown> {
  const names = new Set<string>([...OBJECT_TYPES[record.type].defaults, ...(options.properties ?? [])]);
  const properties: Record<string, string | null> = {};
  for (const name of [...names].sort()) properties[name] = record.properties[name] ?? null;
  const body: Record<string, unknown> = {
    id: record.id,
    properties,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    archived: record.archived,
  };
  if (record.archivedAt !== undefined && record.archived) body.archivedAt = iso(record.archivedAt);
  if (options.propertiesWithHistory?.length) {
    const history: Record<string, unknown[]> = {};
    for (const name of options.propertiesWithHistory) {
      history[name] = (record.history[name] ?? []).map((h) => ({
        value: h.value,
        timestamp: iso(h.timestamp),
        sourceType: h.sourceType,
        ...(h.sourceId !== undefined ? { sourceId: h.sourceId } : {}),
        ...(h.updatedByUserId !== undefined ? { updatedByUserId: h.updatedByUserId } : {}),
      }));
    }
    body.propertiesWithHistory = history;
  }
  const associations = renderAssociations(store, record, options.associations ?? []);
  if (associations) body.associations = associations;
  return body;
}

function renderAssociations(store: PortalStore, record: StoredRecord, wanted: string[]) {
  const out: Record<string, { results: { id: string; type: string }[] }> = {};
  for (const name of wanted) {
    const to = resolveObjectType(name);
    if (!to) continue;
    const results = associationsOf(store, record.type, record.id, to).flatMap((a) =>
      a.typeIds.map((typeId) => ({ id: a.id, type: v3AssociationName(record.type, to, typeId) })),
    );
    if (results.length > 0) out[name] = { results };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `properties=a,b&properties=c` → [a, b, c] (the api-client sends comma-separated lists). */
export function listParam(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Timestamps of a batch response. */
export function batchTimes(startedAt: number): { startedAt: string; completedAt: string; status: "COMPLETE" } {
  return { status: "COMPLETE", startedAt: iso(startedAt), completedAt: iso(Date.now()) };
}

/** One entry of a batch response's `errors`, in HubSpot's StandardError shape. */
export function batchError(category: string, message: string, context: Record<string, string[]>, status = "error") {
  return { status, category, message, context, errors: [], links: {} };
}

export type { ObjectTypeName };
