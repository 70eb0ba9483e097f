/**
 * The card API contract: the one place both the Worker (`workers/`) and the HubSpot app import the shapes they
 * exchange. Types, the `as const` route list and `splitRoute`, so the app's bundles carry nothing from it.
 *
 * Every request carries the caller's identity in the query string HubSpot signs (`IdentityQuery`, plus the record for
 * card endpoints); bodies carry only what the user chose. Errors answer `ApiErrorBody` with a non-2xx status.
 */

import type {
  DuplicateDismissRequest,
  DuplicateDismissResponse,
  DuplicateMergeRequest,
  DuplicateMergeResponse,
  DuplicatesCardResponse,
  HygieneCardResponse,
  HygieneFixRequest,
  HygieneFixResponse,
} from "./contract-cards.ts";
import type { IdentityQuery, RecordQuery } from "./contract-common.ts";
import type { DealGatesCardResponse, RerouteRequest, RerouteResponse, RoutingCardResponse } from "./contract-deal-routing.ts";
import type {
  AuditExportRequest,
  AuditExportResponse,
  AuditQuery,
  AuditResponse,
  DashboardQuery,
  DashboardResponse,
  DryRunRequest,
  DryRunResponse,
  ReviewQueueResponse,
  SettingsResponse,
  SettingsSaveRequest,
  SettingsSaveResponse,
  SettingsVersionsResponse,
  UndoRequest,
  UndoResponse,
} from "./contract-settings.ts";

export type * from "./contract-cards.ts";
export type * from "./contract-common.ts";
export type * from "./contract-deal-routing.ts";
export type * from "./contract-settings.ts";

type Get<Q, R> = { query: Q; body: null; response: R };
type Send<Q, B, R> = { query: Q; body: B; response: R };

/**
 * Every endpoint the app calls, keyed `"<METHOD> <path>"`: signed query, JSON body and 2xx answer.
 * The Worker implements exactly this map.
 */
export type Endpoints = {
  "GET /api/cards/hygiene": Get<RecordQuery, HygieneCardResponse>;
  "POST /api/cards/hygiene/fix": Send<RecordQuery, HygieneFixRequest, HygieneFixResponse>;
  "GET /api/cards/duplicates": Get<RecordQuery, DuplicatesCardResponse>;
  "POST /api/cards/duplicates/merge": Send<RecordQuery, DuplicateMergeRequest, DuplicateMergeResponse>;
  "POST /api/cards/duplicates/dismiss": Send<RecordQuery, DuplicateDismissRequest, DuplicateDismissResponse>;
  "GET /api/cards/routing": Get<RecordQuery, RoutingCardResponse>;
  "POST /api/cards/routing/reroute": Send<RecordQuery, RerouteRequest, RerouteResponse>;
  "GET /api/cards/deal-gates": Get<RecordQuery, DealGatesCardResponse>;
  "GET /api/settings": Get<IdentityQuery, SettingsResponse>;
  "PUT /api/settings": Send<IdentityQuery, SettingsSaveRequest, SettingsSaveResponse>;
  "POST /api/settings/dry-run": Send<IdentityQuery, DryRunRequest, DryRunResponse>;
  "GET /api/settings/versions": Get<IdentityQuery, SettingsVersionsResponse>;
  "GET /api/settings/audit": Get<IdentityQuery & AuditQuery, AuditResponse>;
  "POST /api/settings/audit/undo": Send<IdentityQuery, UndoRequest, UndoResponse>;
  "POST /api/settings/audit/export": Send<IdentityQuery, AuditExportRequest, AuditExportResponse>;
  "GET /api/settings/review-queue": Get<IdentityQuery & { cursor?: string }, ReviewQueueResponse>;
  "GET /api/settings/dashboard": Get<IdentityQuery & DashboardQuery, DashboardResponse>;
};

export type Route = keyof Endpoints;
export type QueryOf<R extends Route> = Endpoints[R]["query"];
export type BodyOf<R extends Route> = Endpoints[R]["body"];
export type ResponseOf<R extends Route> = Endpoints[R]["response"];

/** Every route, for the Worker's coverage test; the type check below fails if a route is missing or extra. */
export const ROUTES = [
  "GET /api/cards/hygiene",
  "POST /api/cards/hygiene/fix",
  "GET /api/cards/duplicates",
  "POST /api/cards/duplicates/merge",
  "POST /api/cards/duplicates/dismiss",
  "GET /api/cards/routing",
  "POST /api/cards/routing/reroute",
  "GET /api/cards/deal-gates",
  "GET /api/settings",
  "PUT /api/settings",
  "POST /api/settings/dry-run",
  "GET /api/settings/versions",
  "GET /api/settings/audit",
  "POST /api/settings/audit/undo",
  "POST /api/settings/audit/export",
  "GET /api/settings/review-queue",
  "GET /api/settings/dashboard",
] as const satisfies readonly Route[];

type Missing = Exclude<Route, (typeof ROUTES)[number]>;
/** Compile-time proof that ROUTES lists every route. */
export const ROUTES_COMPLETE: [Missing] extends [never] ? true : Missing = true;

/** Splits a route key into its method and path. */
export function splitRoute(route: Route): { method: "GET" | "POST" | "PUT"; path: string } {
  const [method, path] = route.split(" ") as ["GET" | "POST" | "PUT", string];
  return { method, path };
}
