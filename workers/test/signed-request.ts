import { env } from "cloudflare:workers";
import { signHubspotRequest } from "../src/auth/hubspot-signature.ts";

/** Builds a request signed as HubSpot signs webhooks and card requests (v3), with a chosen timestamp. */
export async function signedRequest(
  url: string,
  body: string,
  options: { method?: string; timestamp?: number; secret?: string } = {},
): Promise<Request> {
  const method = options.method ?? "POST";
  const timestamp = options.timestamp ?? Date.now();
  const signature = await signHubspotRequest({ clientSecret: options.secret ?? env.HUBSPOT_CLIENT_SECRET, method, url, body, timestamp });
  return new Request(url, {
    method,
    headers: { "content-type": "application/json", "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": String(timestamp) },
    ...(method === "GET" ? {} : { body }),
  });
}
