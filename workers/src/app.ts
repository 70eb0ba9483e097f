import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { adminRoutes } from "./admin/routes.ts";
import { exportRoutes } from "./audit/export.ts";
import { requireAdminToken, requireCardSignature } from "./auth/middleware.ts";
import { authRoutes } from "./auth/routes.ts";
import { cardRoutes } from "./cards/routes.ts";
import { dedupeAdminRoutes } from "./dedupe/scan-consumer.ts";
import { ApiError, respondWithError } from "./http/errors.ts";
import { hygieneAdminRoutes } from "./hygiene/scan-routes.ts";
import { createLogger, type Logger, scrubPii } from "./lib/logger.ts";
import { settingsRoutes } from "./settings/routes.ts";
import { hubspotWebhooks } from "./webhooks/hubspot-intake.ts";
import { salesforceWebhooks } from "./webhooks/salesforce-intake.ts";

export type AppEnv = { Bindings: Env; Variables: { requestId: string; log: Logger } };

export const app = new Hono<AppEnv>();

app.use(requestId());
app.use(async function attachLogger(c, next) {
  c.set("log", createLogger({ requestId: c.get("requestId") }));
  await next();
});

app.get("/healthz", async function healthz(c) {
  try {
    const row = await c.env.DB.prepare("SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1").first<{ name: string }>();
    return c.json({ ok: true, schema: row?.name ?? null });
  } catch {
    return c.json({ ok: false, error: { code: "not_ready", message: "D1 migrations have not been applied" } }, 503);
  }
});

app.route("/", authRoutes);
app.route("/webhooks/hubspot", hubspotWebhooks);
app.route("/exports", exportRoutes);
app.route("/webhooks/salesforce", salesforceWebhooks);
app.use("/api/cards/*", requireCardSignature() as never);
app.route("/api/cards", cardRoutes as unknown as Hono<AppEnv>);
app.use("/api/settings/*", requireCardSignature() as never);
app.use("/api/settings", requireCardSignature() as never);
app.route("/api/settings", settingsRoutes as unknown as Hono<AppEnv>);
app.use("/api/admin/*", requireAdminToken());
app.route("/api/admin", adminRoutes);
app.route("/api/admin", dedupeAdminRoutes);
app.route("/api/admin", hygieneAdminRoutes);

app.notFound((c) => c.json({ error: { code: "not_found", message: `No route for ${c.req.method} ${c.req.path}` } }, 404));

app.onError((err, c) => {
  if (!(err instanceof ApiError)) c.get("log")?.error("unhandled error", { error: scrubPii(String(err)).slice(0, 500) });
  return respondWithError(err, c);
});
