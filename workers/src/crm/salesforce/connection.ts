import { PassThrough } from "node:stream";
// jsforce/core plus the SOAP module only: the full `jsforce` entry registers every API (bulk, metadata, streaming...).
import { Connection } from "jsforce/core";
import "jsforce/api/soap";
import { CrmTransportError } from "../hubspot/transport.ts";

/** The org's daily API allowance as Salesforce reports it in `Sforce-Limit-Info: api-usage=used/limit`. */
export type ApiUsage = { used: number; limit: number };

export type SalesforceConnectionOptions = {
  instanceUrl: string;
  accessToken: string;
  /** REST/SOAP API version, e.g. "62.0". */
  apiVersion: string;
  /** Every HTTP call goes through here (budget reservation, timeout): `createBudgetedFetch`. */
  send: (request: Request) => Promise<Response>;
  onApiUsage?: (usage: ApiUsage) => void;
};

type JsforceRequest = { url: string; method: string; headers?: Record<string, string>; body?: unknown };
type JsforceResponse = { statusCode: number; headers: Record<string, string>; body: string };

/**
 * A jsforce Connection whose HTTP transport is our `send`, so jsforce never opens its own connections or
 * retries on its own (the queue retries). jsforce gets no OAuth client, so it never refreshes tokens itself:
 * the token store does.
 */
export function connectSalesforce(options: SalesforceConnectionOptions): Connection {
  const conn = new Connection({ instanceUrl: options.instanceUrl, accessToken: options.accessToken, version: options.apiVersion });
  const transport = {
    httpRequest(request: JsforceRequest) {
      const exchanged = exchange(options, request);
      // jsforce pipes a stream through every call; ours carries nothing because bodies are read whole.
      return Object.assign(exchanged, { stream: () => new PassThrough() });
    },
  };
  conn._transport = transport as unknown as Connection["_transport"];
  return conn;
}

async function exchange(options: SalesforceConnectionOptions, request: JsforceRequest): Promise<JsforceResponse> {
  const headers = new Headers(request.headers ?? {});
  headers.delete("content-length");
  const hasBody = request.body !== undefined && request.body !== null && !["GET", "HEAD"].includes(request.method);
  const response = await options.send(
    new Request(request.url, { method: request.method, headers, body: hasBody ? String(request.body) : undefined }),
  );
  const out: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    out[key] = value;
  });
  const body = await response.text();
  const usage = parseLimitInfo(out["sforce-limit-info"]);
  if (usage) options.onApiUsage?.(usage);
  rejectUnusable(response.status, out["content-type"] ?? "");
  return { statusCode: response.status, headers: out, body };
}

/** Answers jsforce cannot turn into a Salesforce error code: gateway failures and throttling. */
function rejectUnusable(status: number, contentType: string) {
  // SOAP faults (INVALID_SESSION_ID, REQUEST_LIMIT_EXCEEDED...) arrive as 500 text/xml: jsforce reads their code.
  const soapFault = status === 500 && /xml/i.test(contentType);
  if (status >= 500 && !soapFault) {
    throw new CrmTransportError({ code: "server_error", message: `Salesforce answered ${status}`, retryable: true });
  }
  if (status === 429) {
    throw new CrmTransportError({ code: "rate_limited", message: "Salesforce answered 429", retryable: true, retryAfterMs: 10_000 });
  }
}

/** Reads `api-usage=25/15000` from a `Sforce-Limit-Info` header. */
export function parseLimitInfo(header: string | undefined): ApiUsage | null {
  const match = /api-usage=(\d+)\/(\d+)/.exec(header ?? "");
  return match ? { used: Number(match[1]), limit: Number(match[2]) } : null;
}
