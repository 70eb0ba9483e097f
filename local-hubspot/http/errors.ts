import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiError } from "../crm/records.ts";

/** HubSpot's error body: `{ status: "error", message, correlationId, category, ... }`. */
export function hubspotError(c: Context, error: ApiError): Response {
  const body = {
    status: "error",
    message: error.message,
    correlationId: crypto.randomUUID(),
    category: error.category,
    ...(error.subCategory ? { subCategory: error.subCategory } : {}),
    ...(error.context ? { context: error.context } : {}),
  };
  return c.json(body, error.status as ContentfulStatusCode);
}

export const validationError = (message: string, context?: Record<string, string[]>): ApiError => ({
  status: 400,
  category: "VALIDATION_ERROR",
  message,
  ...(context ? { context } : {}),
});

/** HubSpot's 429: `{ status, errorType: "RATE_LIMIT", policyName, message, correlationId }`. */
export function rateLimitResponse(c: Context, policyName: string, message: string): Response {
  return c.json({ status: "error", message, errorType: "RATE_LIMIT", correlationId: crypto.randomUUID(), policyName }, 429);
}

/** Reads a JSON body, or answers HubSpot's 400 for an unreadable one. */
export async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  try {
    return { ok: true, value: await c.req.json() };
  } catch {
    return {
      ok: false,
      response: hubspotError(c, validationError("Invalid input JSON on line 1, column 1: request body is not valid JSON")),
    };
  }
}
