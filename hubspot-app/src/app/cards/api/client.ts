import type { ApiErrorBody, BodyOf, QueryOf, ResponseOf, Route, SettingsProblem } from "./contract.ts";
import { splitRoute } from "./contract.ts";

/**
 * Calls one route of the contract. Cards, the settings page and the dashboard take it as a prop so tests and the
 * local preview can pass their own. Bodies are required exactly for the routes that take one.
 */
export type FetchJson = <R extends Route>(
  route: R,
  query: QueryOf<R>,
  ...body: BodyOf<R> extends null ? [] : [BodyOf<R>]
) => Promise<ResponseOf<R>>;

/** A non-2xx answer from the Worker, with its code and, for invalid settings, the problems by path. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: SettingsProblem[] = [],
  ) {
    super(message);
  }
}

/** The subset of `hubspot.fetch` the client needs, so this file imports no package and every app folder can use it. */
export type HubspotFetch = (
  url: string,
  init: { method: "GET" | "POST" | "PUT"; body?: Record<string, unknown>; timeout?: number },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** The Worker origin used when the profile gives none (`WORKER_ORIGIN` in hsprofile.<name>.json). */
export const DEFAULT_WORKER_ORIGIN = "https://crm-autopilot.example.workers.dev";

/** Picks the Worker origin from the profile variables HubSpot passes in `context.variables`. */
export function workerOrigin(variables: Record<string, unknown> | undefined): string {
  const origin = variables?.WORKER_ORIGIN;
  return typeof origin === "string" && origin.startsWith("https://") ? origin.replace(/\/+$/, "") : DEFAULT_WORKER_ORIGIN;
}

function queryString(query: object): string {
  const pairs = Object.entries(query).filter(([, v]) => v !== undefined && v !== null);
  return new URLSearchParams(pairs.map(([k, v]) => [k, String(v)])).toString();
}

function errorFrom(status: number, body: unknown): ApiError {
  const error = (body as Partial<ApiErrorBody> | null)?.error;
  return new ApiError(status, error?.code ?? "http_error", error?.message ?? `Request failed (${status})`, error?.problems ?? []);
}

/** Builds a FetchJson over `hubspot.fetch`, which signs each request; identity travels in the signed query string. */
export function createFetchJson(fetch: HubspotFetch, origin: string): FetchJson {
  return (async (route: Route, query: object, ...rest: unknown[]) => {
    const { method, path } = splitRoute(route);
    const res = await fetch(`${origin}${path}?${queryString(query)}`, {
      method,
      ...(rest.length > 0 ? { body: rest[0] as Record<string, unknown> } : {}),
      timeout: 10_000,
    });
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) throw errorFrom(res.status, body);
    return body;
  }) as FetchJson;
}

/** A readable message from anything a request threw. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
