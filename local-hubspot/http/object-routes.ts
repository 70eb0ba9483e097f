import { Hono } from "hono";
import type { z } from "zod";
import { associate, associationType } from "../crm/associations.ts";
import type { ObjectTypeName } from "../crm/object-types.ts";
import { notFound, type Outcome } from "../crm/records.ts";
import { SEARCH_LIMITS, searchRecords } from "../crm/search.ts";
import type { StoredRecord } from "../store/types.ts";
import { hubspotError, validationError } from "./errors.ts";
import { findRecord, objectTypeOf, parseBody } from "./parse.ts";
import { listParam, renderRecord } from "./render.ts";
import type { Env, Runtime } from "./runtime.ts";
import { CreateSchema, MergeSchema, SearchSchema, UpdateSchema } from "./schemas.ts";

type AssociationInput = NonNullable<z.output<typeof CreateSchema>["associations"]>[number];

/** Checks association inputs of a create against HubSpot's type ids and existing records. */
export function checkAssociations(
  rt: Runtime,
  type: ObjectTypeName,
  inputs: AssociationInput[],
): Outcome<{ to: ObjectTypeName; id: string; typeIds: number[] }[]> {
  const out: { to: ObjectTypeName; id: string; typeIds: number[] }[] = [];
  for (const input of inputs) {
    for (const spec of input.types) {
      const known = associationType(spec.associationTypeId);
      if (!known || known.from !== type)
        return { ok: false, error: validationError(`${spec.associationTypeId} is not a valid association type id from ${type}`) };
      if (!rt.store.get(known.to, input.to.id)) return notFound(known.to, input.to.id);
      out.push({ to: known.to, id: rt.store.resolveId(known.to, input.to.id), typeIds: [spec.associationTypeId] });
    }
  }
  return { ok: true, value: out };
}

export function createWithAssociations(
  rt: Runtime,
  type: ObjectTypeName,
  input: z.output<typeof CreateSchema>,
  source: Env["Variables"]["source"],
): Outcome<StoredRecord> {
  const links = checkAssociations(rt, type, input.associations ?? []);
  if (!links.ok) return links;
  const created = rt.engine.create(type, input.properties, source);
  if (created.ok) for (const l of links.value) associate(rt.store, type, created.value.id, l.to, l.id, l.typeIds);
  return created;
}

/** `/crm/v3/objects/{objectType}`: get, list, create, update, archive, search, merge. */
export function objectRoutes(rt: Runtime): Hono<Env> {
  const app = new Hono<Env>({ strict: false });

  app.get("/:objectType", (c) => {
    const type = objectTypeOf(c);
    if (!type.ok) return type.response;
    const limit = Math.min(Number(c.req.query("limit") ?? 10) || 10, 100);
    const after = Number(c.req.query("after") ?? 0) || 0;
    const rows = rt.store.live(type.value).filter((r) => Number(r.id) > after);
    const page = rows.slice(0, limit);
    const options = {
      properties: listParam(c.req.queries("properties")),
      propertiesWithHistory: listParam(c.req.queries("propertiesWithHistory")),
      associations: listParam(c.req.queries("associations")),
    };
    const last = page.at(-1);
    const paging = rows.length > limit && last ? { paging: { next: { after: last.id, link: `?after=${last.id}` } } } : {};
    return c.json({ results: page.map((r) => renderRecord(rt.store, r, options)), ...paging });
  });

  app.post("/:objectType/search", async (c) => {
    const type = objectTypeOf(c);
    if (!type.ok) return type.response;
    const body = await parseBody(c, SearchSchema);
    if (!body.ok) return body.response;
    const request = body.value;
    const filters = request.filterGroups.reduce((n, g) => n + g.filters.length, 0);
    if (
      request.filterGroups.length > SEARCH_LIMITS.maxGroups ||
      request.filterGroups.some((g) => g.filters.length > SEARCH_LIMITS.maxFiltersPerGroup) ||
      filters > SEARCH_LIMITS.maxFilters
    ) {
      return hubspotError(
        c,
        validationError(
          `Search allows at most ${SEARCH_LIMITS.maxGroups} filterGroups with ${SEARCH_LIMITS.maxFiltersPerGroup} filters each (${SEARCH_LIMITS.maxFilters} in total)`,
        ),
      );
    }
    if (request.limit > SEARCH_LIMITS.maxPageSize)
      return hubspotError(c, validationError(`limit must be less than or equal to ${SEARCH_LIMITS.maxPageSize}`));
    const offset = Number(request.after ?? 0) || 0;
    if (offset >= SEARCH_LIMITS.maxResults) {
      return hubspotError(
        c,
        validationError(
          `Search results are limited to ${SEARCH_LIMITS.maxResults} records; 'after' must be lower than ${SEARCH_LIMITS.maxResults}`,
        ),
      );
    }
    const matches = searchRecords(type.value, rt.store.live(type.value), request);
    const end = Math.min(offset + request.limit, SEARCH_LIMITS.maxResults);
    const page = matches.slice(offset, end);
    const more = end < Math.min(matches.length, SEARCH_LIMITS.maxResults);
    return c.json({
      total: matches.length,
      results: page.map((r) => renderRecord(rt.store, r, { properties: request.properties })),
      ...(more ? { paging: { next: { after: String(end), link: `?after=${end}` } } } : {}),
    });
  });

  app.post("/:objectType/merge", async (c) => {
    const type = objectTypeOf(c);
    if (!type.ok) return type.response;
    const body = await parseBody(c, MergeSchema);
    if (!body.ok) return body.response;
    const merged = rt.engine.merge(type.value, body.value.primaryObjectId, body.value.objectIdToMerge, c.get("source"));
    return merged.ok ? c.json(renderRecord(rt.store, merged.value)) : hubspotError(c, merged.error);
  });

  app.post("/:objectType", async (c) => {
    const type = objectTypeOf(c);
    if (!type.ok) return type.response;
    const body = await parseBody(c, CreateSchema);
    if (!body.ok) return body.response;
    const created = createWithAssociations(rt, type.value, body.value, c.get("source"));
    return created.ok ? c.json(renderRecord(rt.store, created.value), 201) : hubspotError(c, created.error);
  });

  app.get("/:objectType/:objectId", (c) => {
    const type = objectTypeOf(c);
    if (!type.ok) return type.response;
    const id = c.req.param("objectId");
    const record = findRecord(rt.store, type.value, id, c.req.query("idProperty"));
    if (!record) return hubspotError(c, notFound(type.value, id).error);
    const options = {
      properties: listParam(c.req.queries("properties")),
      propertiesWithHistory: listParam(c.req.queries("propertiesWithHistory")),
      associations: listParam(c.req.queries("associations")),
    };
    return c.json(renderRecord(rt.store, record, options));
  });

  app.patch("/:objectType/:objectId", async (c) => {
    const type = objectTypeOf(c);
    if (!type.ok) return type.response;
    const body = await parseBody(c, UpdateSchema);
    if (!body.ok) return body.response;
    const id = c.req.param("objectId");
    const record = findRecord(rt.store, type.value, id, c.req.query("idProperty"));
    if (!record) return hubspotError(c, notFound(type.value, id).error);
    const updated = rt.engine.update(type.value, record.id, body.value.properties, c.get("source"));
    return updated.ok ? c.json(renderRecord(rt.store, updated.value)) : hubspotError(c, updated.error);
  });

  app.delete("/:objectType/:objectId", (c) => {
    const type = objectTypeOf(c);
    if (!type.ok) return type.response;
    rt.engine.archive(type.value, c.req.param("objectId"), c.get("source"));
    return c.body(null, 204);
  });

  return app;
}
