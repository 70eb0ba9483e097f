import type { CrmError } from "../../../../shared/crm-port.ts";

/** Asks the portal's Durable Object for permission to make `count` calls; resolves to how long to wait if refused. */
export type ReserveCalls = (
  kind: "general" | "search",
  count: number,
) => Promise<{ granted: true } | { granted: false; retryAfterMs: number }>;

export type TransportOptions = {
  reserve: ReserveCalls;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Waits shorter than this are slept through in place; longer ones go back to the queue as a retry. */
  maxInlineWaitMs?: number;
  onCall?: (call: { method: string; path: string; status: number; ms: number }) => void;
};

/** Thrown inside the api-client's pipeline and mapped back to a CrmError by the adapter. */
export class CrmTransportError extends Error {
  constructor(readonly crmError: CrmError) {
    super(crmError.message);
  }
}

/** Every HubSpot call goes through here: budget first, then fetch with a timeout, counted for metrics. */
export function createBudgetedFetch(options: TransportOptions): (request: Request) => Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxInlineWaitMs = options.maxInlineWaitMs ?? 2_000;
  return async function budgetedFetch(request) {
    const url = new URL(request.url);
    const kind = url.pathname.endsWith("/search") ? "search" : "general";
    for (;;) {
      const reservation = await options.reserve(kind, 1);
      if (reservation.granted) break;
      if (reservation.retryAfterMs > maxInlineWaitMs) {
        throw new CrmTransportError({
          code: "budget_exhausted",
          message: "The portal's API budget is spent for now",
          retryable: true,
          retryAfterMs: reservation.retryAfterMs,
        });
      }
      await sleep(reservation.retryAfterMs);
    }
    const started = Date.now();
    let response: Response;
    try {
      response = await doFetch(request, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
      throw new CrmTransportError({
        code: timedOut ? "timeout" : "server_error",
        message: timedOut ? `HubSpot did not answer within ${timeoutMs} ms` : "HubSpot could not be reached",
        retryable: true,
      });
    }
    options.onCall?.({ method: request.method, path: url.pathname, status: response.status, ms: Date.now() - started });
    return response;
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
