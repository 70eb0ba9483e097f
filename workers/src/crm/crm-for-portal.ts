import type { CrmError, CrmPort } from "../../../shared/crm-port.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { HubspotCrm } from "./hubspot/hubspot-crm.ts";
import { createBudgetedFetch } from "./hubspot/transport.ts";

export type TokenSource = (
  env: Env,
  portalKey: PortalKey,
) => Promise<{ ok: true; value: string } | { ok: false; error: { code: string; message: string } }>;

/** Builds the CrmPort for a portal: its token, and every call reserved from the portal's Durable Object budget. */
export async function crmForPortal(
  env: Env,
  portalKey: PortalKey,
  settings: PortalSettings,
  tokens: TokenSource,
  onCall?: () => void,
): Promise<{ ok: true; value: CrmPort } | { ok: false; error: CrmError }> {
  if (!portalKey.startsWith("hubspot:")) {
    return { ok: false, error: { code: "not_installed", message: `No CRM adapter is connected for ${portalKey}`, retryable: false } };
  }
  const token = await tokens(env, portalKey);
  if (!token.ok) return { ok: false, error: { code: "not_installed", message: token.error.message, retryable: false } };
  const portal = env.PORTAL.get(env.PORTAL.idFromName(portalKey));
  const limits = {
    windowMs: 10_000,
    perWindow: settings.apiBudget.perTenSeconds,
    searchWindowMs: 1_000,
    searchPerWindow: settings.apiBudget.searchesPerSecond,
    perDay: settings.apiBudget.perDay,
  };
  const send = createBudgetedFetch({
    reserve: (kind, count) => portal.reserveApiCalls(kind, count, limits),
    onCall: () => onCall?.(),
  });
  return { ok: true, value: new HubspotCrm(env.HUBSPOT_API_BASE, token.value, send) };
}
