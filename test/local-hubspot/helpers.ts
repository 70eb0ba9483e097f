import { createLocalHubspot, type LocalHubspotOptions } from "../../local-hubspot/app.ts";

export type Reply = { status: number; body: Record<string, unknown> & { results?: Record<string, unknown>[] } };

/** An in-memory local HubSpot and a JSON caller over `app.request` (no network, no port). */
export function localHubspot(options: LocalHubspotOptions = {}) {
  const hs = createLocalHubspot(options);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await hs.app.request(path, {
      method,
      headers: { authorization: "Bearer test-token", "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Reply["body"]) : {} };
  };
  const createContact = async (properties: Record<string, string>) => {
    const r = await call("POST", "/crm/v3/objects/contacts", { properties });
    if (r.status !== 201) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`);
    return String(r.body.id);
  };
  return { hs, call, createContact };
}
