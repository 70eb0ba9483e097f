import { app } from "./app.ts";
import { getAccessToken } from "./auth/token-store.ts";
import { dedupeEngine } from "./engines/dedupe-engine.ts";
import { hygieneEngine } from "./engines/hygiene-engine.ts";
import { routingEngine } from "./engines/routing-engine.ts";
import { stageGatesEngine } from "./engines/stage-gates-engine.ts";
import type { Engine } from "./engines/types.ts";
import { consumeDeadLetters, consumeEvents } from "./queue/consumer.ts";
import { runScheduled } from "./queue/scheduled.ts";

export { PortalDurableObject } from "./portal/portal-durable-object.ts";

/** The engines every processed event goes through, in order. */
export const ENGINES: readonly Engine[] = [hygieneEngine, dedupeEngine, routingEngine, stageGatesEngine];

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    if (batch.queue.endsWith("-dlq")) return consumeDeadLetters(batch, env);
    return consumeEvents(batch, env, { engines: ENGINES, tokens: getAccessToken });
  },
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller.cron, env, getAccessToken));
  },
} satisfies ExportedHandler<Env, unknown>;
