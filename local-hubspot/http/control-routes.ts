import { Hono } from "hono";
import { z } from "zod";
import type { ObjectTypeName } from "../crm/object-types.ts";
import type { ControlState } from "./control-state.ts";
import { issueToken } from "./oauth-routes.ts";
import { parseBody } from "./parse.ts";
import type { Env, Runtime } from "./runtime.ts";

const Latency = z.union([z.number().min(0), z.object({ minMs: z.number().min(0), maxMs: z.number().min(0) })]);
const Faults = z.object({
  next429: z.number().int().min(0).optional(),
  next5xx: z.number().int().min(0).optional(),
  nextHang: z.number().int().min(0).optional(),
  rate429: z.number().min(0).max(1).optional(),
  rate5xx: z.number().min(0).max(1).optional(),
  rateHang: z.number().min(0).max(1).optional(),
  slowRate: z.number().min(0).max(1).optional(),
  slowMs: z.number().min(0).optional(),
  hangMs: z.number().min(0).optional(),
  status5xx: z.number().int().min(500).max(599).optional(),
  nextLostReply: z.number().int().min(0).optional(),
  rateLostReply: z.number().min(0).max(1).optional(),
  paths: z.array(z.string().startsWith("/")).max(20).optional(),
});
const ControlUpdate = z.object({
  latency: Latency.optional(),
  faults: Faults.optional(),
  rateLimit: z
    .object({ perTenSeconds: z.number().int().positive().optional(), searchPerSecond: z.number().int().positive().optional() })
    .optional(),
  webhook: z
    .object({ targetUrl: z.string().url().optional(), clientSecret: z.string().optional(), properties: z.array(z.string()).optional() })
    .optional(),
  journal: z.object({ available: z.boolean() }).optional(),
});

/** Applies a runtime change of latency, faults (replaced whole), rate limits or webhook target. */
export function applyControl(rt: Runtime, update: z.output<typeof ControlUpdate>): ControlState {
  if (update.latency !== undefined) rt.control.latency = update.latency;
  if (update.faults !== undefined) rt.control.faults = { ...update.faults };
  if (update.rateLimit) rt.control.rateLimit = { ...rt.control.rateLimit, ...update.rateLimit };
  if (update.webhook) rt.webhooks.configure(update.webhook);
  if (update.journal) rt.journal.available = update.journal.available;
  return rt.control;
}

/** `/__control`: the test and benchmark knobs (no auth: the server is local only). */
export function controlRoutes(rt: Runtime): Hono<Env> {
  const app = new Hono<Env>({ strict: false });
  const counts = () =>
    Object.fromEntries((["contacts", "companies", "deals", "notes", "tasks"] as ObjectTypeName[]).map((t) => [t, rt.store.live(t).length]));

  app.get("/", (c) =>
    c.json({
      ...rt.control,
      webhook: { targetUrl: rt.webhooks.config.targetUrl ?? null, stats: rt.webhooks.stats },
      journal: rt.journal.stats,
      counts: counts(),
    }),
  );

  app.post("/", async (c) => {
    const body = await parseBody(c, ControlUpdate);
    if (!body.ok) return body.response;
    return c.json(applyControl(rt, body.value));
  });

  app.post("/reset-rate-limits", (c) => {
    rt.limiter.reset();
    return c.body(null, 204);
  });

  app.post("/tokens", async (c) => {
    const body = await parseBody(c, z.object({ expiresInSeconds: z.number().int().optional(), scopes: z.array(z.string()).default([]) }));
    if (!body.ok) return body.response;
    const t = issueToken(rt, body.value.scopes, body.value.expiresInSeconds);
    return c.json({ accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt });
  });

  app.get("/webhooks", (c) => {
    const limit = Number(c.req.query("limit") ?? 100) || 100;
    return c.json({
      stats: rt.webhooks.stats,
      deliveries: rt.webhooks.deliveries.slice(-limit),
      journal: rt.webhooks.journal.slice(-limit),
    });
  });

  app.post("/webhooks/idle", async (c) => {
    const timeoutMs = Number(c.req.query("timeoutMs") ?? 10_000) || 10_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = await Promise.race([
      rt.webhooks.idle().then(() => true),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return c.json({ idle, stats: rt.webhooks.stats });
  });

  return app;
}
