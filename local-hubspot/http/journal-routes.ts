import { type Context, Hono } from "hono";
import type { JournalEntry } from "../webhooks/journal.ts";
import { hubspotError, validationError } from "./errors.ts";
import type { Env, Runtime } from "./runtime.ts";

const JOURNAL = "/webhooks-journal/journal-local/2026-03";
/** Where entry files are served: the stand-in for HubSpot's pre-signed storage URLs (not a HubSpot API path). */
export const JOURNAL_FILES = "/__journal-files";
/** How long a file URL stays valid. */
const FILE_URL_TTL_MS = 15 * 60_000;
/** Entries per batch call at most (the spec sets only a minimum). */
const MAX_COUNT = 100;

const iso = (ms: number) => new Date(ms).toISOString();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Signs file URLs with a key made on first use (workerd allows no random values at module scope). */
function urlSigner(): (offset: string, expires: number) => Promise<string> {
  let key: Promise<CryptoKey> | undefined;
  return async function signFileUrl(offset, expires) {
    key ??= crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]) as Promise<CryptoKey>;
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await key, new TextEncoder().encode(`${offset}.${expires}`)));
    return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
  };
}

/**
 * The Webhooks Journal (2026-03), local variant (`installPortalId` names the portal): the batch reads the product
 * uses — the latest and the earliest entries and the entries after an offset — and the entry files their URLs point to. Exempt from
 * the rate limits as HubSpot's are; `journal.available = false` answers 403 as for an app without the journal scope.
 */
export function journalRoutes(rt: Runtime): Hono<Env> {
  const app = new Hono<Env>({ strict: false });
  const fileSignature = urlSigner();

  app.use(`${JOURNAL}/*`, async function requireJournalAccess(c, next) {
    if (!rt.journal.available) {
      return hubspotError(c, {
        status: 403,
        category: "MISSING_SCOPES",
        message: "This app hasn't been granted all required scopes to make this call.",
        context: { requiredScopes: ["webhooks-journal-data-access"] },
      });
    }
    await next();
  });

  app.get(`${JOURNAL}/batch/latest/:count`, async (c) => {
    const count = countOf(c);
    if (typeof count !== "number") return count;
    return batchResponse(c, otherPortal(c, rt) ? [] : rt.journal.latest(count), fileSignature);
  });

  app.get(`${JOURNAL}/batch/earliest/:count`, async (c) => {
    const count = countOf(c);
    if (typeof count !== "number") return count;
    return batchResponse(c, otherPortal(c, rt) ? [] : rt.journal.earliest(count), fileSignature);
  });

  app.get(`${JOURNAL}/batch/:offset/next/:count`, async (c) => {
    const count = countOf(c);
    if (typeof count !== "number") return count;
    const offset = c.req.param("offset");
    const entries = UUID.test(offset) && !otherPortal(c, rt) ? rt.journal.after(offset, count) : undefined;
    if (!entries) {
      return hubspotError(c, { status: 404, category: "OBJECT_NOT_FOUND", message: `Offset ${offset} has expired or does not exist.` });
    }
    return batchResponse(c, entries, fileSignature);
  });

  app.get(`${JOURNAL_FILES}/:file`, async (c) => {
    const offset = c.req.param("file").replace(/\.json$/, "");
    const expires = Number(c.req.query("expires"));
    const signature = c.req.query("signature") ?? "";
    if (!Number.isFinite(expires) || signature !== (await fileSignature(offset, expires))) {
      return c.json({ code: "SignatureDoesNotMatch", message: "The request signature does not match." }, 403);
    }
    if (expires < Date.now()) return c.json({ code: "AccessDenied", message: "Request has expired." }, 403);
    const entry = rt.journal.entry(offset);
    if (!entry) return c.json({ code: "NoSuchKey", message: "The specified key does not exist." }, 404);
    return c.json(entry.events);
  });

  return app;
}

function countOf(c: Context): number | Response {
  const raw = c.req.param("count") ?? "";
  const count = Number(raw);
  if (!/^\d+$/.test(raw) || count < 1) return hubspotError(c, validationError(`count must be an integer of at least 1, got ${raw}`));
  return Math.min(count, MAX_COUNT);
}

/** A request for another portal than this one sees an empty journal. */
function otherPortal(c: Context, rt: Runtime): boolean {
  const portal = c.req.query("installPortalId");
  return portal !== undefined && Number(portal) !== rt.config.portalId;
}

async function batchResponse(
  c: Context,
  entries: JournalEntry[],
  fileSignature: (offset: string, expires: number) => Promise<string>,
): Promise<Response> {
  const started = Date.now();
  const expires = started + FILE_URL_TTL_MS;
  const origin = new URL(c.req.url).origin;
  const results = await Promise.all(
    entries.map(async (e) => ({
      currentOffset: e.offset,
      expiresAt: iso(expires),
      url: `${origin}${JOURNAL_FILES}/${e.offset}.json?expires=${expires}&signature=${await fileSignature(e.offset, expires)}`,
    })),
  );
  return c.json({ status: "COMPLETE", results, requestedAt: iso(started), startedAt: iso(started), completedAt: iso(Date.now()) });
}
