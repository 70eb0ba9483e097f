import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createLocalHubspot, type LocalHubspotOptions } from "./app.ts";
import type { Runtime } from "./http/runtime.ts";
import { sqlitePersistence } from "./store/sqlite-persistence.ts";
import type { WebhookOptions } from "./webhooks/sender.ts";

export type StartOptions = Omit<LocalHubspotOptions, "persistence" | "webhook" | "appId" | "portalId"> & {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** SQLite file (e.g. `.data/local-hubspot.sqlite`) or `:memory:` (the default). */
  dbPath?: string;
  webhook?: WebhookOptions & { appId?: string | number; portalId?: number };
};

export type RunningLocalHubspot = {
  url: string;
  port: number;
  runtime: Runtime;
  /** Same as `fetch(url + path)` without the network, for in-process callers. */
  request: (path: string, init?: RequestInit) => Promise<Response>;
  stop: () => Promise<void>;
};

/** Starts the local HubSpot-compatible server in this process (Node 22: storage in `node:sqlite`). */
export async function startLocalHubspot(options: StartOptions = {}): Promise<RunningLocalHubspot> {
  const { port = 0, host = "127.0.0.1", dbPath = ":memory:", webhook, ...rest } = options;
  const local = createLocalHubspot({
    ...rest,
    persistence: sqlitePersistence(dbPath),
    ...(webhook?.appId !== undefined ? { appId: webhook.appId } : {}),
    ...(webhook?.portalId !== undefined ? { portalId: webhook.portalId } : {}),
    ...(webhook ? { webhook } : {}),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: local.app.fetch, port, hostname: host }, () => resolve(s));
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host}:${address.port}`;
  return {
    url,
    port: address.port,
    runtime: local.runtime,
    request: (path, init) => Promise.resolve(local.app.request(path, init)),
    stop: async () => {
      local.runtime.webhooks.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open keep-alive connections would hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      local.close();
    },
  };
}
