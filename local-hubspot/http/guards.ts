import type { MiddlewareHandler } from "hono";
import { decideFault, latencyMs } from "./control-state.ts";
import { hubspotError, rateLimitResponse } from "./errors.ts";
import { type Env, type Runtime, UI_USER_HEADER } from "./runtime.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Configured latency and injected faults, before anything else answers. */
export function faultInjection(rt: Runtime): MiddlewareHandler<Env> {
  return async function injectFaults(c, next) {
    const delay = latencyMs(rt.control.latency, rt.random);
    if (delay > 0) await sleep(delay);
    const fault = decideFault(rt.control.faults, rt.random, c.req.path, c.req.method);
    if (fault.kind === "429") return rateLimitResponse(c, "TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.");
    if (fault.kind === "5xx")
      return hubspotError(c, { status: fault.status, category: "INTERNAL_ERROR", message: "internal error (injected fault)" });
    if (fault.kind === "hang") {
      await sleep(fault.ms);
      return hubspotError(c, { status: 504, category: "GATEWAY_TIMEOUT", message: "gateway timeout (injected hang)" });
    }
    if (fault.kind === "slow") await sleep(fault.ms);
    await next();
    if (fault.kind === "lostReply") {
      // The write took effect; the caller only sees a gateway timeout, late.
      await sleep(fault.ms);
      c.res = hubspotError(c, {
        status: 504,
        category: "GATEWAY_TIMEOUT",
        message: "gateway timeout (injected: reply lost after the write)",
      });
    }
  };
}

/** Bearer tokens as HubSpot checks them; sets who writes (the app, or a UI user through the test header). */
export function authentication(rt: Runtime): MiddlewareHandler<Env> {
  return async function authenticate(c, next) {
    const token = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
    if (!token) {
      return hubspotError(c, {
        status: 401,
        category: "INVALID_AUTHENTICATION",
        message: "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
      });
    }
    const issued = rt.store.tokens.find((t) => t.accessToken === token);
    if (issued && issued.expiresAt <= Date.now()) {
      const minutes = Math.ceil((Date.now() - issued.expiresAt) / 60_000);
      return hubspotError(c, {
        status: 401,
        category: "EXPIRED_AUTHENTICATION",
        message: `The OAuth token used to make this call expired ${minutes} minute(s) ago.`,
      });
    }
    if (!issued && !rt.config.acceptAnyToken) {
      return hubspotError(c, { status: 401, category: "INVALID_AUTHENTICATION", message: "Authentication credentials are invalid." });
    }
    const user = Number(c.req.header(UI_USER_HEADER));
    c.set("token", token);
    c.set("source", Number.isInteger(user) && user > 0 ? { kind: "user", userId: user } : { kind: "integration", appId: rt.config.appId });
    await next();
  };
}

/** The per-token rolling limits, with HubSpot's rate-limit headers. */
export function rateLimiting(rt: Runtime): MiddlewareHandler<Env> {
  return async function limitRate(c, next) {
    const isSearch = c.req.method === "POST" && c.req.path.replace(/\/$/, "").endsWith("/search");
    const verdict = rt.limiter.check(c.get("token"), isSearch, Date.now());
    if (!verdict.ok) return rateLimitResponse(c, verdict.policyName, verdict.message);
    await next();
    if (!isSearch) {
      c.header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
      c.header("X-HubSpot-RateLimit-Max", String(rt.control.rateLimit.perTenSeconds));
      c.header("X-HubSpot-RateLimit-Remaining", String(verdict.remaining));
    }
  };
}
