// Test support for the workers project; imported only by *.test.ts files, never by the Worker.
import { FetchInterceptor } from "@mswjs/interceptors/fetch";
import { Hono } from "hono";
import type { AnyHandler } from "msw";
import { defineNetwork, InterceptorSource } from "msw/experimental";
import type { AppEnv } from "../app.ts";
import { respondWithError } from "../http/errors.ts";
import type { Logger } from "../lib/logger.ts";

/**
 * msw for outbound `fetch` inside workerd. `setupServer` from `msw/node` cannot load there (its ClientRequest
 * interceptor reads llhttp.wasm from disk at import), so this defines the same network with the fetch interceptor
 * only. Unhandled requests fail the call, so a test cannot silently reach the internet.
 */
export function mockOutbound(...handlers: AnyHandler[]) {
  return defineNetwork({
    sources: [new InterceptorSource({ interceptors: [new FetchInterceptor()] })],
    handlers,
    onUnhandledFrame: "error",
    context: { quiet: true },
  });
}

const silentLogger: Logger = { info() {}, warn() {}, error() {}, child: () => silentLogger };

/** A Hono app shaped like the Worker's (a logger, onError → JSON problem), with `mount` applied. */
export function testApp(mount: (app: Hono<AppEnv>) => void): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(async function attachTestLogger(c, next) {
    c.set("log", silentLogger);
    await next();
  });
  app.onError((e, c) => respondWithError(e, c));
  mount(app);
  return app;
}
