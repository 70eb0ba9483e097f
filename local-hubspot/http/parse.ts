import type { Context } from "hono";
import type { z } from "zod";
import { OBJECT_TYPES, type ObjectTypeName, resolveObjectType } from "../crm/object-types.ts";
import type { PortalStore } from "../store/portal-store.ts";
import type { StoredRecord } from "../store/types.ts";
import { hubspotError, readJson, validationError } from "./errors.ts";
import { describeIssues } from "./schemas.ts";

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

/** Reads and checks a JSON body; a bad one gets HubSpot's 400 VALIDATION_ERROR. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<Parsed<z.output<S>>> {
  const json = await readJson(c);
  if (!json.ok) return json;
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) return { ok: false, response: hubspotError(c, validationError(`Invalid input: ${describeIssues(parsed.error)}`)) };
  return { ok: true, value: parsed.data };
}

/** The object type named in the path (`contacts`, `0-3`, ...), or HubSpot's 400 for an unknown one. */
export function objectTypeOf(c: Context): Parsed<ObjectTypeName> {
  const segment = c.req.param("objectType") ?? "";
  const type = resolveObjectType(segment);
  if (!type) return { ok: false, response: hubspotError(c, validationError(`Unable to infer object type from: ${segment}`)) };
  return { ok: true, value: type };
}

/** Finds a live record by id (following merges) or by a unique property such as `email`. */
export function findRecord(store: PortalStore, type: ObjectTypeName, id: string, idProperty?: string): StoredRecord | undefined {
  if (!idProperty || idProperty === "hs_object_id") return store.get(type, id);
  const wanted = id.toLowerCase();
  return store.live(type).find((r) => r.properties[idProperty]?.toLowerCase() === wanted);
}

/** Unique properties HubSpot accepts as `idProperty`. */
export function isUniqueProperty(type: ObjectTypeName, name: string): boolean {
  return name === "hs_object_id" || (type === "contacts" && name === "email") || (type === "companies" && name === "domain");
}

export const singularLabel = (type: ObjectTypeName) => OBJECT_TYPES[type].singular.toUpperCase();
