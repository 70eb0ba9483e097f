import { Hono } from "hono";
import type { ObjectTypeName } from "../crm/object-types.ts";
import type { ApiError } from "../crm/records.ts";
import type { StoredRecord } from "../store/types.ts";
import { hubspotError, validationError } from "./errors.ts";
import { createWithAssociations } from "./object-routes.ts";
import { findRecord, isUniqueProperty, objectTypeOf, parseBody, singularLabel } from "./parse.ts";
import { batchError, batchTimes, renderRecord } from "./render.ts";
import type { Env, Runtime } from "./runtime.ts";
import { BatchCreateSchema, BatchIdsSchema, BatchReadSchema, BatchUpdateSchema, BatchUpsertSchema } from "./schemas.ts";

const MAX_INPUTS = 100;

function checkInputs(inputs: readonly object[]): ApiError | undefined {
  if (inputs.length > MAX_INPUTS) return validationError(`Batch input exceeds the maximum of ${MAX_INPUTS} inputs (got ${inputs.length})`);
  const ids = inputs.map((i) => (i as { id?: string }).id).filter((id): id is string => id !== undefined);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dupes.length > 0)
    return validationError(`Duplicate IDs found in batch input: [${[...new Set(dupes)].join(", ")}]. IDs must be unique`);
  return undefined;
}

/** Runs every write of a batch only when all pass validation, as HubSpot rejects a batch with one invalid input. */
function preflight(
  rt: Runtime,
  type: ObjectTypeName,
  inputs: { properties: Record<string, string>; current?: StoredRecord }[],
): ApiError | undefined {
  for (const input of inputs) {
    const checked = rt.engine.validate(type, input.properties, input.current?.properties);
    if (!checked.ok) return checked.error;
    const unique = rt.engine.conflict(type, input.properties, input.current?.id);
    if (!unique.ok) return unique.error;
  }
  return undefined;
}

/** `/crm/v3/objects/{objectType}/batch/*`: read, create, update, upsert, archive (100 inputs per call). */
export function batchRoutes(rt: Runtime): Hono<Env> {
  const app = new Hono<Env>({ strict: false });
  const notFoundError = (type: ObjectTypeName, ids: string[]) =>
    batchError(
      "OBJECT_NOT_FOUND",
      `Could not get some ${singularLabel(type)} objects, they may be deleted or not exist. Check that ids are valid.`,
      { ids },
    );

  app.post("/:objectType/batch/read", async (c) => {
    const started = Date.now();
    const type = objectTypeOf(c);
    if (!type.ok) return type.response;
    const body = await parseBody(c, BatchReadSchema);
    if (!body.ok) return body.response;
    const invalid = checkInputs(body.value.inputs);
    if (invalid) return hubspotError(c, invalid);
    const found = new Map<string, StoredRecord>();
    const missing: string[] = [];
    for (const { id } of body.value.inputs) {
      const record = findRecord(rt.store, type.value, id, body.value.idProperty);
      if (record) found.set(record.id, record);
      else missing.push(id);
    }
    const results = [...found.values()].map((r) => renderRecord(rt.store, r, body.value));
    if (missing.length === 0) return c.json({ ...batchTimes(started), results });
    return c.json({ ...batchTimes(started), results, numErrors: 1, errors: [notFoundError(type.value, missing)] }, 207);
  });

  app.post("/:objectType/batch/create", async (c) => {
    const started = Date.now();
    const type = objectTypeOf(c);
    if (!type.ok) return type.response;
    const body = await parseBody(c, BatchCreateSchema);
    if (!body.ok) return body.response;
    const invalid = checkInputs(body.value.inputs) ?? preflight(rt, type.value, body.value.inputs);
    if (invalid) return hubspotError(c, invalid);
    const emails = body.value.inputs.map((i) => i.properties.email?.toLowerCase()).filter(Boolean);
    if (type.value === "contacts" && new Set(emails).size !== emails.length)
      return hubspotError(c, validationError("Duplicate email addresses found in batch input"));
    const results: StoredRecord[] = [];
    for (const input of body.value.inputs) {
      const created = rt.store.persistence.transaction(() => createWithAssociations(rt, type.value, input, c.get("source")));
      if (!created.ok) return hubspotError(c, created.error);
      results.push(created.value);
    }
    return c.json({ ...batchTimes(started), results: results.map((r) => renderRecord(rt.store, r)) }, 201);
  });

  app.post("/:objectType/batch/update", async (c) => {
    const started = Date.now();
    const type = objectTypeOf(c);
    if (!type.ok) return type.response;
    const body = await parseBody(c, BatchUpdateSchema);
    if (!body.ok) return body.response;
    const invalid = checkInputs(body.value.inputs);
    if (invalid) return hubspotError(c, invalid);
    const targets = body.value.inputs.map((i) => ({ ...i, current: findRecord(rt.store, type.value, i.id, i.idProperty) }));
    const failed = preflight(
      rt,
      type.value,
      targets.filter((t) => t.current),
    );
    if (failed) return hubspotError(c, failed);
    const missing = targets.filter((t) => !t.current).map((t) => t.id);
    const results: StoredRecord[] = [];
    rt.store.persistence.transaction(() => {
      for (const t of targets) {
        if (!t.current) continue;
        const updated = rt.engine.update(type.value, t.current.id, t.properties, c.get("source"));
        if (updated.ok) results.push(updated.value);
      }
    });
    const rendered = results.map((r) => renderRecord(rt.store, r));
    if (missing.length === 0) return c.json({ ...batchTimes(started), results: rendered });
    return c.json({ ...batchTimes(started), results: rendered, numErrors: 1, errors: [notFoundError(type.value, missing)] }, 207);
  });

  app.post("/:objectType/batch/upsert", async (c) => {
    const started = Date.now();
    const type = objectTypeOf(c);
    if (!type.ok) return type.response;
    const body = await parseBody(c, BatchUpsertSchema);
    if (!body.ok) return body.response;
    const invalid = checkInputs(body.value.inputs);
    if (invalid) return hubspotError(c, invalid);
    const bad = body.value.inputs.find((i) => !i.idProperty || !isUniqueProperty(type.value, i.idProperty));
    if (bad)
      return hubspotError(c, validationError(`idProperty must be a unique property of ${type.value}; got ${bad.idProperty ?? "(none)"}`));
    const targets = body.value.inputs.map((i) => ({ ...i, current: findRecord(rt.store, type.value, i.id, i.idProperty) }));
    const withKeys = targets.map((t) => ({
      ...t,
      properties: t.current || t.idProperty === "hs_object_id" ? t.properties : { ...t.properties, [t.idProperty ?? ""]: t.id },
    }));
    const failed = preflight(rt, type.value, withKeys);
    if (failed) return hubspotError(c, failed);
    const results: Record<string, unknown>[] = [];
    const outcome = rt.store.persistence.transaction(() => {
      for (const t of withKeys) {
        const written = t.current
          ? rt.engine.update(type.value, t.current.id, t.properties, c.get("source"))
          : rt.engine.create(type.value, t.properties, c.get("source"));
        if (!written.ok) return written;
        results.push({ ...renderRecord(rt.store, written.value), new: !t.current });
      }
      return undefined;
    });
    if (outcome) return hubspotError(c, outcome.error);
    return c.json({ ...batchTimes(started), results });
  });

  app.post("/:objectType/batch/archive", async (c) => {
    const type = objectTypeOf(c);
    if (!type.ok) return type.response;
    const body = await parseBody(c, BatchIdsSchema);
    if (!body.ok) return body.response;
    const invalid = checkInputs(body.value.inputs);
    if (invalid) return hubspotError(c, invalid);
    rt.store.persistence.transaction(() => {
      for (const { id } of body.value.inputs) rt.engine.archive(type.value, id, c.get("source"));
    });
    return c.body(null, 204);
  });

  return app;
}
