import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app.ts";
import { ApiError } from "../http/errors.ts";
import { timingSafeEqual } from "./crypto.ts";
import { verifyHubspotSignature } from "./hubspot-signature.ts";

/** Who is asking, as HubSpot signed it: taken only from the signed query string of a `hubspot.fetch` request. */
export type CardIdentity = {
  readonly portalId: string;
  readonly portalKey: `hubspot:${string}`;
  readonly userId: string;
  /** The record the card is on (`objectId`), absent for the settings page. */
  readonly objectId: string | null;
  /** HubSpot's object type id (`objectTypeId`, e.g. `0-1`), when the card sends it. */
  readonly objectTypeId: string | null;
};

/** The hono env of routes behind `requireCardSignature()`: `c.get("card")` is the signed identity. */
export type CardEnv = { Bindings: Env; Variables: AppEnv["Variables"] & { card: CardIdentity } };

/** hubspot.fetch allows at most 1 MB per request. */
export const MAX_CARD_BODY_BYTES = 1_048_576;

const numericId = z.string().regex(/^\d{1,20}$/);
const identitySchema = z.object({
  portalId: numericId,
  userId: numericId,
  objectId: numericId.nullable(),
  objectTypeId: z
    .string()
    .regex(/^\d+-\d+$/)
    .nullable(),
});

// A repeated parameter must agree with itself; otherwise which copy counts would depend on the reader.
function singleParam(params: URLSearchParams, name: string): string | null {
  const values = params.getAll(name);
  if (values.length === 0) return null;
  if (values.some((v) => v !== values[0])) {
    throw new ApiError(401, "ambiguous_identity", `The signed query gives ${name} more than one value`);
  }
  return values[0] ?? null;
}

/** Reads the identity from a (verified) URL's query string; a missing or malformed id is a 401 naming it. */
export function identityFromSignedUrl(url: string): CardIdentity {
  const params = new URL(url).searchParams;
  const raw = {
    portalId: singleParam(params, "portalId"),
    userId: singleParam(params, "userId"),
    objectId: singleParam(params, "objectId"),
    objectTypeId: singleParam(params, "objectTypeId"),
  };
  const parsed = identitySchema.safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))].join(", ");
    throw new ApiError(401, "missing_identity", `The signed query string lacks a valid ${fields}`);
  }
  return { ...parsed.data, portalKey: `hubspot:${parsed.data.portalId}` };
}

/**
 * Guards `/api/cards/*` and `/api/settings/*`: verifies HubSpot's v3 signature over the method, full URL, raw body
 * and timestamp with `HUBSPOT_CLIENT_SECRET`, then sets `c.get("card")` from the signed query string only. The body
 * stays readable by the handler (`c.req.json()`).
 */
export function requireCardSignature(options: { maxAgeMs?: number } = {}): MiddlewareHandler<CardEnv> {
  return async function verifyCardSignature(c, next) {
    if (Number(c.req.header("content-length") ?? "0") > MAX_CARD_BODY_BYTES) {
      throw new ApiError(413, "payload_too_large", `The body is larger than ${MAX_CARD_BODY_BYTES} bytes`);
    }
    const body = c.req.method === "GET" || c.req.method === "HEAD" ? "" : await c.req.text();
    if (new TextEncoder().encode(body).byteLength > MAX_CARD_BODY_BYTES) {
      throw new ApiError(413, "payload_too_large", `The body is larger than ${MAX_CARD_BODY_BYTES} bytes`);
    }
    const verified = await verifyHubspotSignature({
      clientSecret: c.env.HUBSPOT_CLIENT_SECRET,
      method: c.req.method,
      url: c.req.url,
      body,
      signature: c.req.header("X-HubSpot-Signature-v3"),
      timestamp: c.req.header("X-HubSpot-Request-Timestamp"),
      now: Date.now(),
      ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
    });
    if (!verified.ok) throw new ApiError(401, verified.error.code, verified.error.message);
    c.set("card", identityFromSignedUrl(c.req.url));
    await next();
  };
}

/** Guards `/api/admin/*`: `Authorization: Bearer $ADMIN_API_TOKEN`, compared in constant time. */
export function requireAdminToken(): MiddlewareHandler<AppEnv> {
  return async function verifyAdminToken(c, next) {
    const expected = c.env.ADMIN_API_TOKEN;
    if (!expected) throw new ApiError(401, "admin_api_disabled", "ADMIN_API_TOKEN is not set, so the admin API is closed");
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new ApiError(401, "missing_admin_token", "Send Authorization: Bearer <ADMIN_API_TOKEN>");
    if (!timingSafeEqual(match[1], expected)) throw new ApiError(401, "bad_admin_token", "The admin token is not valid");
    await next();
  };
}
