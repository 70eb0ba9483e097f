import { Hono } from "hono";
import { CrmEngine } from "./crm/records.ts";
import type { ExtraProperties } from "./crm/validate.ts";
import { associationRoutes } from "./http/association-routes.ts";
import { batchRoutes } from "./http/batch-routes.ts";
import { controlRoutes } from "./http/control-routes.ts";
import { type ControlState, DEFAULT_RATE_LIMITS, type Faults, type Latency, type RateLimits } from "./http/control-state.ts";
import { hubspotError } from "./http/errors.ts";
import { authentication, faultInjection, rateLimiting } from "./http/guards.ts";
import { journalRoutes } from "./http/journal-routes.ts";
import { oauthRoutes } from "./http/oauth-routes.ts";
import { objectRoutes } from "./http/object-routes.ts";
import { portalRoutes } from "./http/portal-routes.ts";
import { RateLimiter } from "./http/rate-limiter.ts";
import type { Env, Runtime } from "./http/runtime.ts";
import { PortalStore } from "./store/portal-store.ts";
import { memoryPersistence, type Persistence } from "./store/types.ts";
import { type JournalOptions, WebhooksJournal } from "./webhooks/journal.ts";
import { type WebhookOptions, WebhookSender } from "./webhooks/sender.ts";

export type LocalHubspotOptions = {
  /** Storage; default in memory (the Node server passes `sqlitePersistence(dbPath)`). */
  persistence?: Persistence;
  portalId?: number;
  /** The app's id: writes made with its tokens carry it as `sourceId`. */
  appId?: string | number;
  latencyMs?: Latency;
  faults?: Faults;
  rateLimit?: Partial<RateLimits>;
  /** Default true: any bearer token is the app's private-app token; false accepts only tokens from `/oauth/v3/token`. */
  acceptAnyToken?: boolean;
  oauth?: { clientId?: string; clientSecret?: string };
  tokenTtlSeconds?: number;
  /** Custom properties the portal defines, beyond HubSpot's standard ones. */
  extraProperties?: ExtraProperties;
  webhook?: WebhookOptions;
  /** The Webhooks Journal (`/webhooks-journal/journal-local/2026-03`): on by default, 3-day retention. */
  journal?: JournalOptions;
  random?: () => number;
};

export type LocalHubspot = { app: Hono<Env>; runtime: Runtime; close(): void };

/** The HubSpot-compatible API as a hono app over one portal; runs anywhere `fetch` does (Node, workerd, msw). */
export function createLocalHubspot(options: LocalHubspotOptions = {}): LocalHubspot {
  const store = new PortalStore(options.persistence ?? memoryPersistence());
  const appId = String(options.appId ?? "424242");
  const portalId = options.portalId ?? 880_001;
  const journal = new WebhooksJournal(options.journal);
  const webhooks = new WebhookSender({ ...options.webhook, appId, portalId }, (event) => journal.append(event));
  const engine = new CrmEngine(store, { extraProperties: options.extraProperties ?? {}, onChange: (change) => webhooks.enqueue(change) });
  const control: ControlState = {
    latency: options.latencyMs ?? 0,
    faults: { ...options.faults },
    rateLimit: { ...DEFAULT_RATE_LIMITS, ...options.rateLimit },
  };
  const runtime: Runtime = {
    store,
    engine,
    webhooks,
    journal,
    control,
    limiter: new RateLimiter(() => control.rateLimit),
    config: {
      portalId,
      appId,
      acceptAnyToken: options.acceptAnyToken ?? true,
      oauth: options.oauth ?? {},
      tokenTtlSeconds: options.tokenTtlSeconds ?? 1800,
    },
    random: options.random ?? Math.random,
  };

  const app = new Hono<Env>({ strict: false });
  app.route("/__control", controlRoutes(runtime));
  app.get("/healthz", (c) => c.json({ ok: true, portalId }));
  app.use("/oauth/*", faultInjection(runtime));
  app.route("/", oauthRoutes(runtime));
  app.use("/crm/*", faultInjection(runtime), authentication(runtime), rateLimiting(runtime));
  // The journal is exempt from the rate limits (HubSpot's spec: x-hubspot-rate-limit-exemptions); its files need no token.
  app.use("/webhooks-journal/*", authentication(runtime));
  app.route("/", journalRoutes(runtime));
  app.route("/crm/v3/objects", batchRoutes(runtime));
  app.route("/crm/v3/objects", objectRoutes(runtime));
  app.route("/", portalRoutes(runtime));
  app.route("/", associationRoutes(runtime));
  app.notFound((c) =>
    hubspotError(c, { status: 404, category: "OBJECT_NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}` }),
  );
  app.onError((error, c) => hubspotError(c, { status: 500, category: "INTERNAL_ERROR", message: error.message }));

  return {
    app,
    runtime,
    close() {
      webhooks.stop();
      store.persistence.close();
    },
  };
}
