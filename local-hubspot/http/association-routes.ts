import { type Context, Hono } from "hono";
import { z } from "zod";
import { associate, associationsOf, associationType, defaultAssociationType, dissociate } from "../crm/associations.ts";
import { OBJECT_TYPES, type ObjectTypeName, resolveObjectType } from "../crm/object-types.ts";
import { notFound } from "../crm/records.ts";
import { hubspotError, validationError } from "./errors.ts";
import { parseBody } from "./parse.ts";
import { batchTimes } from "./render.ts";
import type { Env, Runtime } from "./runtime.ts";

const Spec = z.object({ associationCategory: z.string(), associationTypeId: z.number().int() });
const Id = z.object({ id: z.union([z.string(), z.number()]).transform(String) });

function labelled(rt: Runtime, from: ObjectTypeName, fromId: string, to: ObjectTypeName) {
  return associationsOf(rt.store, from, fromId, to).map((a) => ({
    toObjectId: a.id,
    associationTypes: a.typeIds.map((typeId) => {
      const label = associationType(typeId)?.label;
      return { category: "HUBSPOT_DEFINED", typeId, ...(label ? { label } : {}) };
    }),
  }));
}

function types(c: Context, fromName: string, toName: string) {
  const from = resolveObjectType(fromName);
  const to = resolveObjectType(toName);
  if (!from || !to)
    return { ok: false as const, response: hubspotError(c, validationError(`Unknown object type: ${from ? toName : fromName}`)) };
  return { ok: true as const, from, to };
}

/** Associations v4: list, create (labelled or default), remove, and the batch forms. */
export function associationRoutes(rt: Runtime): Hono<Env> {
  const app = new Hono<Env>({ strict: false });
  const base = "/crm/v4/objects/:objectType/:objectId/associations";

  app.get(`${base}/:toObjectType`, (c) => {
    const t = types(c, c.req.param("objectType"), c.req.param("toObjectType"));
    if (!t.ok) return t.response;
    const record = rt.store.get(t.from, c.req.param("objectId"));
    if (!record) return hubspotError(c, notFound(t.from, c.req.param("objectId")).error);
    return c.json({ results: labelled(rt, t.from, record.id, t.to) });
  });

  const link = (c: Context, fromName: string, fromId: string, toName: string, toId: string, typeIds: number[] | "default") => {
    const t = types(c, fromName, toName);
    if (!t.ok) return t;
    const from = rt.store.get(t.from, fromId);
    const to = rt.store.get(t.to, toId);
    if (!from || !to) return { ok: false as const, response: hubspotError(c, notFound(from ? t.to : t.from, from ? toId : fromId).error) };
    const ids = typeIds === "default" ? [defaultAssociationType(t.from, t.to)?.typeId ?? 0] : typeIds;
    if (ids.some((id) => associationType(id)?.from !== t.from || associationType(id)?.to !== t.to)) {
      return {
        ok: false as const,
        response: hubspotError(c, validationError(`No association type ${ids.join(",")} from ${t.from} to ${t.to}`)),
      };
    }
    associate(rt.store, t.from, from.id, t.to, to.id, ids);
    return { ok: true as const, from: t.from, to: t.to, fromId: from.id, toId: to.id, typeIds: ids };
  };
  const pair = (l: { from: ObjectTypeName; to: ObjectTypeName; fromId: string; toId: string; typeIds: number[] }) => ({
    fromObjectTypeId: OBJECT_TYPES[l.from].typeId,
    fromObjectId: l.fromId,
    toObjectTypeId: OBJECT_TYPES[l.to].typeId,
    toObjectId: l.toId,
    labels: l.typeIds.map((id) => associationType(id)?.label).filter((x): x is string => Boolean(x)),
  });
  const defaultResult = (l: { fromId: string; toId: string; typeIds: number[] }) => ({
    from: { id: l.fromId },
    to: { id: l.toId },
    associationSpec: { associationCategory: "HUBSPOT_DEFINED", associationTypeId: l.typeIds[0] ?? 0 },
  });

  app.put(`${base}/default/:toObjectType/:toObjectId`, (c) => {
    const started = Date.now();
    const l = link(
      c,
      c.req.param("objectType"),
      c.req.param("objectId"),
      c.req.param("toObjectType"),
      c.req.param("toObjectId"),
      "default",
    );
    return l.ok ? c.json({ ...batchTimes(started), results: [defaultResult(l)] }) : l.response;
  });

  app.put(`${base}/:toObjectType/:toObjectId`, async (c) => {
    const body = await parseBody(c, z.array(Spec));
    if (!body.ok) return body.response;
    const ids = body.value.map((s) => s.associationTypeId);
    const l = link(c, c.req.param("objectType"), c.req.param("objectId"), c.req.param("toObjectType"), c.req.param("toObjectId"), ids);
    return l.ok ? c.json(pair(l), 201) : l.response;
  });

  app.delete(`${base}/:toObjectType/:toObjectId`, (c) => {
    const t = types(c, c.req.param("objectType"), c.req.param("toObjectType"));
    if (!t.ok) return t.response;
    dissociate(
      rt.store,
      t.from,
      rt.store.resolveId(t.from, c.req.param("objectId")),
      t.to,
      rt.store.resolveId(t.to, c.req.param("toObjectId")),
    );
    return c.body(null, 204);
  });

  const batch = "/crm/v4/associations/:fromObjectType/:toObjectType/batch";
  app.post(`${batch}/read`, async (c) => {
    const started = Date.now();
    const t = types(c, c.req.param("fromObjectType"), c.req.param("toObjectType"));
    if (!t.ok) return t.response;
    const body = await parseBody(c, z.object({ inputs: z.array(Id) }));
    if (!body.ok) return body.response;
    const results = body.value.inputs
      .map(({ id }) => rt.store.get(t.from, id))
      .filter((r) => r !== undefined)
      .map((r) => ({ from: { id: r.id }, to: labelled(rt, t.from, r.id, t.to) }));
    return c.json({ ...batchTimes(started), results });
  });

  app.post(`${batch}/create`, async (c) => {
    const started = Date.now();
    const body = await parseBody(c, z.object({ inputs: z.array(z.object({ from: Id, to: Id, types: z.array(Spec) })) }));
    if (!body.ok) return body.response;
    const results = [];
    for (const input of body.value.inputs) {
      const l = link(
        c,
        c.req.param("fromObjectType"),
        input.from.id,
        c.req.param("toObjectType"),
        input.to.id,
        input.types.map((s) => s.associationTypeId),
      );
      if (!l.ok) return l.response;
      results.push(pair(l));
    }
    return c.json({ ...batchTimes(started), results }, 201);
  });

  app.post(`${batch}/associate/default`, async (c) => {
    const started = Date.now();
    const body = await parseBody(c, z.object({ inputs: z.array(z.object({ from: Id, to: Id })) }));
    if (!body.ok) return body.response;
    const results = [];
    for (const input of body.value.inputs) {
      const l = link(c, c.req.param("fromObjectType"), input.from.id, c.req.param("toObjectType"), input.to.id, "default");
      if (!l.ok) return l.response;
      results.push(defaultResult(l));
    }
    return c.json({ ...batchTimes(started), results });
  });

  app.post(`${batch}/archive`, async (c) => {
    const t = types(c, c.req.param("fromObjectType"), c.req.param("toObjectType"));
    if (!t.ok) return t.response;
    const body = await parseBody(c, z.object({ inputs: z.array(z.object({ from: Id, to: z.array(Id) })) }));
    if (!body.ok) return body.response;
    for (const input of body.value.inputs) for (const to of input.to) dissociate(rt.store, t.from, input.from.id, t.to, to.id);
    return c.body(null, 204);
  });

  return app;
}
