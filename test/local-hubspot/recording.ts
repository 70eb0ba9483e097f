import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createLocalHubspot, type LocalHubspotOptions } from "../../local-hubspot/app.ts";

export type Exchange = { method: string; path: string; requestBody: unknown; status: number; responseBody: unknown };

const parse = (text: string): unknown => {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Serves the local HubSpot on a free port and records every request and response, for checking against the specs. */
export async function recordingLocalHubspot(options: LocalHubspotOptions = {}) {
  const local = createLocalHubspot(options);
  const exchanges: Exchange[] = [];
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      {
        port: 0,
        hostname: "127.0.0.1",
        fetch: async (request) => {
          const requestText = await request.clone().text();
          const response = await local.app.fetch(request);
          const responseText = await response.clone().text();
          const url = new URL(request.url);
          const form = (request.headers.get("content-type") ?? "").includes("form-urlencoded");
          exchanges.push({
            method: request.method,
            path: url.pathname,
            requestBody: form ? undefined : parse(requestText),
            status: response.status,
            responseBody: parse(responseText),
          });
          return response;
        },
      },
      () => resolve(s),
    );
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    local,
    exchanges,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        local.close();
      }),
  };
}
