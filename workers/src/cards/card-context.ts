import type { Context } from "hono";
import type { CrmPort } from "../../../shared/crm-port.ts";
import type { CardEnv } from "../auth/middleware.ts";
import { getAccessToken } from "../auth/token-store.ts";
import { crmForPortal } from "../crm/crm-for-portal.ts";
import { ReferenceData } from "../crm/reference-data.ts";
import { ApiError } from "../http/errors.ts";
import { loadSettings } from "../settings/repository.ts";
import type { CardDeps } from "./deal-gates-card.ts";

/** What every card handler needs for the signed portal: settings, and the CRM only when D1 cannot answer. */
export async function cardDeps(c: Context<CardEnv>): Promise<CardDeps> {
  const card = c.get("card");
  const now = Date.now();
  const settings = (await loadSettings(c.env.DB, card.portalKey)).settings;
  let crm: Promise<CrmPort | null> | undefined;
  const lazyCrm = () => {
    crm ??= crmForPortal(c.env, card.portalKey, settings, getAccessToken).then((r) => (r.ok ? r.value : null));
    return crm;
  };
  const reference = async () => {
    const port = await lazyCrm();
    if (!port) throw new ApiError(409, "not_installed", "This portal has not connected the app");
    return new ReferenceData(c.env.DB, card.portalKey, port, now);
  };
  return {
    db: c.env.DB,
    portalKey: card.portalKey,
    portalId: card.portalId,
    settings,
    now,
    crm: lazyCrm,
    pipelines: async () => unwrap(await (await reference()).pipelines()),
    owners: async () => unwrap(await (await reference()).owners()),
  };
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new ApiError(502, "crm_unavailable", r.error.message);
  return r.value;
}

/** The record the card is on, from the signed query; a card that sent none gets a 400 naming it. */
export function signedObjectId(c: Context<CardEnv>): string {
  const id = c.get("card").objectId;
  if (!id) throw new ApiError(400, "missing_object", "This card endpoint needs objectId in the signed query string");
  return id;
}
