import { z } from "zod";
import { err, ok, type Result } from "../../../../shared/result.ts";

/**
 * Why a journal read failed. `unavailable`: the app may not read this portal's journal (403, 401, 404 for a portal
 * without one); `offset_expired`: the offset is past the 3-day retention or unknown; `failed`: anything worth trying
 * again next run (429, 5xx, a timeout, an unreadable answer or entry file).
 */
export type JournalProblem = "unavailable" | "offset_expired" | "failed";

/** One journal entry: its offset, and where its file of events can be downloaded until the URL expires. */
export type JournalEntryRef = { offset: string; url: string };

const BatchResponseSchema = z.object({
  status: z.enum(["CANCELED", "COMPLETE", "PENDING", "PROCESSING"]),
  results: z.array(z.object({ currentOffset: z.string().min(1), url: z.string().url(), expiresAt: z.string() })),
});

const JOURNAL_PATH = "/webhooks-journal/journal-local/2026-03";

export type JournalClientOptions = {
  baseUrl: string;
  accessToken: string;
  portalId: string;
  fetch?: (request: Request) => Promise<Response>;
  timeoutMs?: number;
};

/**
 * HubSpot's Webhooks Journal for one portal (the local variant, `installPortalId`): the entries after an offset, the
 * latest entry, and an entry's events. Journal calls are exempt from HubSpot's rate limits, so they are not reserved
 * from the portal's API budget. Entry files are pre-signed URLs fetched without the token.
 */
export function hubspotJournal(options: JournalClientOptions) {
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const base = `${options.baseUrl.replace(/\/$/, "")}${JOURNAL_PATH}`;
  const portal = `installPortalId=${encodeURIComponent(options.portalId)}`;

  /** A GET answered as JSON, or why not (`status` null when there was no HTTP answer). */
  async function get(
    url: string,
    withToken: boolean,
  ): Promise<{ ok: true; value: unknown } | { ok: false; status: number | null; message: string }> {
    let response: Response;
    try {
      const headers: Record<string, string> = withToken ? { authorization: `Bearer ${options.accessToken}` } : {};
      response = await send(new Request(url, { headers, signal: AbortSignal.timeout(timeoutMs) }));
    } catch (cause) {
      return { ok: false, status: null, message: `the journal could not be reached (${cause instanceof Error ? cause.name : "error"})` };
    }
    const text = await response.text();
    if (!response.ok) return { ok: false, status: response.status, message: `HTTP ${response.status}: ${text.slice(0, 200)}` };
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, status: response.status, message: "the answer is not JSON" };
    }
  }

  async function batch(path: string, notFound: JournalProblem): Promise<Result<JournalEntryRef[], JournalProblem>> {
    const res = await get(`${base}${path}?${portal}`, true);
    if (!res.ok) {
      const problem = res.status === 404 ? notFound : res.status === 401 || res.status === 403 ? "unavailable" : "failed";
      return err(problem, res.message);
    }
    const parsed = BatchResponseSchema.safeParse(res.value);
    if (!parsed.success) return err("failed", `unexpected journal answer: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    if (parsed.data.status !== "COMPLETE") return err("failed", `the journal read is ${parsed.data.status}`);
    return ok(parsed.data.results.map((r) => ({ offset: r.currentOffset, url: r.url })));
  }

  return {
    /** The newest entry (none when the journal is empty). */
    async latest(): Promise<Result<JournalEntryRef | null, JournalProblem>> {
      const res = await batch("/batch/latest/1", "unavailable");
      return res.ok ? ok(res.value.at(-1) ?? null) : res;
    },
    /** The oldest `count` entries HubSpot still keeps, oldest first. */
    earliest(count: number): Promise<Result<JournalEntryRef[], JournalProblem>> {
      return batch(`/batch/earliest/${count}`, "unavailable");
    },
    /** Up to `count` entries after `offset`, oldest first; an empty list when caught up. */
    after(offset: string, count: number): Promise<Result<JournalEntryRef[], JournalProblem>> {
      return batch(`/batch/${encodeURIComponent(offset)}/next/${count}`, "offset_expired");
    },
    /** The raw events of one entry (a JSON array; each is shaped like a webhook event). */
    async events(entry: JournalEntryRef): Promise<Result<unknown[], JournalProblem>> {
      const res = await get(entry.url, false);
      if (!res.ok) return err("failed", `entry ${entry.offset}: ${res.message}`);
      return Array.isArray(res.value) ? ok(res.value) : err("failed", `entry ${entry.offset}: the file is not a JSON array of events`);
    },
  };
}

export type HubspotJournal = ReturnType<typeof hubspotJournal>;
