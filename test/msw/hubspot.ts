import { http } from "msw";
import { createLocalHubspot, type LocalHubspot, type LocalHubspotOptions } from "../../local-hubspot/app.ts";

export type HubspotMock = LocalHubspot & {
  /** msw handlers answering every request under `baseUrl` from the local server's hono app. */
  handlers: ReturnType<typeof http.all>[];
  baseUrl: string;
};

/**
 * A faithful HubSpot for msw: the same implementation as the local server (`local-hubspot/app.ts`) over an in-memory
 * portal, so tests in Node or workerd get real search, merge, history, rate limits and signed webhooks.
 * Use `mock.runtime` to seed or inspect, `mock.runtime.webhooks.journal` for the events HubSpot would have sent.
 */
export function hubspotMock(options: LocalHubspotOptions & { baseUrl?: string } = {}): HubspotMock {
  const { baseUrl = "https://api.hubapi.com", ...rest } = options;
  const local = createLocalHubspot(rest);
  const origin = baseUrl.replace(/\/$/, "");
  const handlers = [
    http.all(`${origin}/*`, async ({ request }) => {
      // The app sees the full URL, as if it served that origin itself (journal entry file URLs are built from it).
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
      return local.app.request(request.url, {
        method: request.method,
        headers: request.headers,
        ...(body ? { body } : {}),
      });
    }),
  ];
  return { ...local, handlers, baseUrl: origin };
}
