import { Hono } from "hono";
import { resolveObjectType } from "../crm/object-types.ts";
import type { Owner, Pipeline, PipelineStage } from "../store/types.ts";
import { hubspotError } from "./errors.ts";
import type { Env, Runtime } from "./runtime.ts";

const iso = (ms: number) => new Date(ms).toISOString();

function renderOwner(o: Owner) {
  return {
    id: o.id,
    email: o.email,
    type: "PERSON",
    firstName: o.firstName,
    lastName: o.lastName,
    userId: o.userId,
    userIdIncludingInactive: o.userId,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    archived: o.archived,
    teams: o.teams,
  };
}

function renderStage(s: PipelineStage, p: Pipeline) {
  return {
    id: s.id,
    label: s.label,
    displayOrder: s.displayOrder,
    metadata: { isClosed: String(s.isClosed), probability: String(s.probability) },
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
    archived: false,
    writePermissions: "CRM_PERMISSIONS_ENFORCEMENT",
  };
}

const renderPipeline = (p: Pipeline) => ({
  id: p.id,
  label: p.label,
  displayOrder: p.displayOrder,
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt),
  archived: false,
  stages: p.stages.map((s) => renderStage(s, p)),
});

/** `/crm/v3/owners` and `/crm/v3/pipelines/{objectType}` (deal pipelines; other object types have none here). */
export function portalRoutes(rt: Runtime): Hono<Env> {
  const app = new Hono<Env>({ strict: false });
  const notFound = (c: Parameters<typeof hubspotError>[0], what: string) =>
    hubspotError(c, { status: 404, category: "OBJECT_NOT_FOUND", message: `${what} not found` });

  app.get("/crm/v3/owners", (c) => {
    const archived = c.req.query("archived") === "true";
    const email = c.req.query("email")?.toLowerCase();
    const limit = Math.min(Number(c.req.query("limit") ?? 100) || 100, 500);
    const after = Number(c.req.query("after") ?? 0) || 0;
    const owners = rt.store.owners.filter((o) => o.archived === archived && (!email || o.email.toLowerCase() === email));
    const page = owners.slice(after, after + limit);
    const more = after + limit < owners.length;
    return c.json({
      results: page.map(renderOwner),
      ...(more ? { paging: { next: { after: String(after + limit), link: `?after=${after + limit}` } } } : {}),
    });
  });

  app.get("/crm/v3/owners/:ownerId", (c) => {
    const id = c.req.param("ownerId");
    const byUser = c.req.query("idProperty") === "userId";
    const owner = rt.store.owners.find(
      (o) => (byUser ? String(o.userId) === id : o.id === id) && o.archived === (c.req.query("archived") === "true"),
    );
    return owner ? c.json(renderOwner(owner)) : notFound(c, `Owner ${id}`);
  });

  const pipelinesOf = (segment: string) => (resolveObjectType(segment) === "deals" ? rt.store.pipelines : []);

  app.get("/crm/v3/pipelines/:objectType", (c) => c.json({ results: pipelinesOf(c.req.param("objectType")).map(renderPipeline) }));

  app.get("/crm/v3/pipelines/:objectType/:pipelineId", (c) => {
    const p = pipelinesOf(c.req.param("objectType")).find((x) => x.id === c.req.param("pipelineId"));
    return p ? c.json(renderPipeline(p)) : notFound(c, `Pipeline ${c.req.param("pipelineId")}`);
  });

  app.get("/crm/v3/pipelines/:objectType/:pipelineId/stages", (c) => {
    const p = pipelinesOf(c.req.param("objectType")).find((x) => x.id === c.req.param("pipelineId"));
    return p ? c.json({ results: p.stages.map((s) => renderStage(s, p)) }) : notFound(c, `Pipeline ${c.req.param("pipelineId")}`);
  });

  app.get("/crm/v3/pipelines/:objectType/:pipelineId/stages/:stageId", (c) => {
    const p = pipelinesOf(c.req.param("objectType")).find((x) => x.id === c.req.param("pipelineId"));
    const s = p?.stages.find((x) => x.id === c.req.param("stageId"));
    return p && s ? c.json(renderStage(s, p)) : notFound(c, `Stage ${c.req.param("stageId")}`);
  });

  return app;
}
