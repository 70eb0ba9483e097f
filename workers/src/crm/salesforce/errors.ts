import type { CrmError, CrmErrorCode } from "../../../../shared/crm-port.ts";
import { CrmTransportError } from "../hubspot/transport.ts";

/** A per-record error as sObject Collections, composite and SOAP results carry it. */
export type SalesforceRecordError = { statusCode?: string; errorCode?: string; message?: string; fields?: string[] };

/** Salesforce error codes → our codes. Codes not listed are `bad_request`: our request was wrong. */
const CODES: Record<string, CrmErrorCode> = {
  REQUEST_LIMIT_EXCEEDED: "rate_limited",
  SERVER_UNAVAILABLE: "server_error",
  UNKNOWN_EXCEPTION: "server_error",
  // Another transaction holds the record: the classic Salesforce error that succeeds when retried.
  UNABLE_TO_LOCK_ROW: "server_error",
  FIELD_CUSTOM_VALIDATION_EXCEPTION: "validation_error",
  REQUIRED_FIELD_MISSING: "validation_error",
  FIELD_INTEGRITY_EXCEPTION: "validation_error",
  INVALID_FIELD: "validation_error",
  INVALID_FIELD_FOR_INSERT_UPDATE: "validation_error",
  INVALID_EMAIL_ADDRESS: "validation_error",
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: "validation_error",
  INVALID_TYPE_ON_FIELD_IN_RECORD: "validation_error",
  STRING_TOO_LONG: "validation_error",
  DUPLICATES_DETECTED: "validation_error",
  DUPLICATE_VALUE: "validation_error",
  INVALID_SESSION_ID: "unauthorized",
  INSUFFICIENT_ACCESS: "unauthorized",
  INSUFFICIENT_ACCESS_OR_READONLY: "unauthorized",
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: "unauthorized",
  API_DISABLED_FOR_ORG: "unauthorized",
  API_CURRENTLY_DISABLED: "unauthorized",
  NOT_FOUND: "not_found",
  ENTITY_IS_DELETED: "not_found",
  INVALID_CROSS_REFERENCE_KEY: "not_found",
};

const RETRYABLE = new Set<CrmErrorCode>(["rate_limited", "server_error", "timeout", "budget_exhausted"]);

/** The error one Salesforce code stands for; the daily allowance resets slowly, so its retry waits longer. */
export function salesforceCodeToCrmError(rawCode: string, message: string): CrmError {
  const sfCode = rawCode.replace(/^[a-z]+:/i, "");
  const code = CODES[sfCode] ?? "bad_request";
  const error: CrmError = { code, message: `Salesforce ${sfCode}: ${message}`, retryable: RETRYABLE.has(code) };
  if (code === "rate_limited") error.retryAfterMs = /TotalRequests/i.test(message) ? 15 * 60_000 : 10_000;
  return error;
}

/**
 * The first real error of a failed result. In an all-or-none call the records that were fine only say
 * ALL_OR_NONE_OPERATION_ROLLED_BACK, so those are skipped.
 */
export function recordErrorsToCrmError(errors: readonly SalesforceRecordError[], what: string): CrmError {
  const real = errors.find((e) => (e.statusCode ?? e.errorCode) !== "ALL_OR_NONE_OPERATION_ROLLED_BACK") ?? errors[0];
  const code = real?.statusCode ?? real?.errorCode ?? "UNKNOWN_EXCEPTION";
  const fields = real?.fields?.length ? ` (${real.fields.join(", ")})` : "";
  return salesforceCodeToCrmError(code, `${what}: ${real?.message ?? "no message"}${fields}`);
}

/** Thrown by the adapter when a 2xx answer reports failed records, and mapped back by `toSalesforceCrmError`. */
export class SalesforceResultError extends Error {
  constructor(readonly crmError: CrmError) {
    super(crmError.message);
  }
}

/**
 * Any failure inside an adapter call as a CrmError: our transport's errors pass through; jsforce's errors
 * (`errorCode` from the REST error array or the SOAP faultcode) are looked up by code.
 */
export function toSalesforceCrmError(cause: unknown): CrmError {
  if (cause instanceof CrmTransportError || cause instanceof SalesforceResultError) return cause.crmError;
  const jsforceError = cause as { errorCode?: unknown; message?: unknown; data?: unknown };
  if (jsforceError?.errorCode === "MULTIPLE_API_ERRORS" && Array.isArray(jsforceError.data)) {
    return recordErrorsToCrmError(jsforceError.data as SalesforceRecordError[], "Salesforce refused the request");
  }
  const status = /^ERROR_HTTP_(\d+)$/.exec(String(jsforceError?.errorCode ?? ""))?.[1];
  if (status) return httpStatusToCrmError(Number(status));
  if (typeof jsforceError?.errorCode === "string") {
    return salesforceCodeToCrmError(jsforceError.errorCode, String(jsforceError.message ?? ""));
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  // An answer without a Salesforce code (an HTML error page, a proxy) is not ours to fix: retry it.
  return { code: "server_error", message: `Salesforce call failed: ${message.slice(0, 300)}`, retryable: true };
}

/** A 4xx whose body named no Salesforce code (jsforce calls it ERROR_HTTP_<status>). */
function httpStatusToCrmError(status: number): CrmError {
  const message = `Salesforce answered ${status} without an error code`;
  if (status === 401 || status === 403) return { code: "unauthorized", message, retryable: false };
  if (status === 404) return { code: "not_found", message, retryable: false };
  return { code: "bad_request", message, retryable: false };
}
