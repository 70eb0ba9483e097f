import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error the edge throws; `onError` turns it into a JSON answer naming the problem. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** `{ error: { code, message, ...details } }`: details such as `problems` sit beside the message, as the card API expects. */
export function errorBody(code: string, message: string, details?: unknown) {
  if (details === undefined) return { error: { code, message } };
  return typeof details === "object" && details !== null && !Array.isArray(details)
    ? { error: { ...details, code, message } }
    : { error: { code, message, details } };
}

export function respondWithError(err: unknown, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status);
  return c.json(errorBody("internal_error", "The request could not be completed; it was logged."), 500);
}
