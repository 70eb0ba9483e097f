import { hubspot } from "@hubspot/ui-extensions";

/** The Worker's public origin; `npm run app:configure` keeps it equal to the profile's WORKER_ORIGIN. */
export const WORKER_ORIGIN = "https://crm-autopilot.example.workers.dev";

export type FetchJson = <T>(
  path: string,
  query: Record<string, string | number>,
  init?: { method?: "GET" | "POST" | "PUT" | "DELETE"; body?: Record<string, unknown> },
) => Promise<T>;

/** Calls the Worker through hubspot.fetch, which signs the request; identity goes in the (signed) query string. */
export const fetchJson: FetchJson = async (path, query, init) => {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const res = await hubspot.fetch(`${WORKER_ORIGIN}${path}?${qs}`, {
    method: init?.method ?? "GET",
    body: init?.body,
    timeout: 10_000,
  });
  const body = await res.json();
  if (!res.ok) {
    const message = (body as { error?: { message?: string } })?.error?.message ?? `Request failed (${res.status})`;
    throw new Error(message);
  }
  return body as never;
};
