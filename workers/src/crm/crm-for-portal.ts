import type { CrmError, CrmPort } from "../../../shared/crm-port.ts";
import type { PortalKey } from "../../../shared/domain/types.ts";
import type { PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { getCrmConnection } from "../auth/token-store.ts";
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
  if (portalKey.startsWith("hubspot:")) {
    const token = await tokens(env, portalKey);
    if (!token.ok) return { ok: false, error: { code: "not_installed", message: token.error.message, retryable: false } };
    // Loaded on first use too: webhook intake, the most frequent cold start, never evaluates @hubspot/api-client.
    const { HubspotCrm } = await import("./hubspot/hubspot-crm.ts");
    return { ok: true, value: new HubspotCrm(env.HUBSPOT_API_BASE, token.value, send) };
  }
  const connection = await getCrmConnection(env, portalKey);
  if (!connection.ok) return { ok: false, error: { code: "not_installed", message: connection.error.message, retryable: false } };
  const { accessToken, instanceUrl } = connection.value;
  if (!instanceUrl)
    return {
      ok: false,
      error: { code: "not_installed", message: `${portalKey} has no Salesforce instance URL: reinstall`, retryable: false },
    };
  // Loaded on first use, so HubSpot-only isolates never evaluate jsforce.
  const { SalesforceCrm } = await import("./salesforce/salesforce-crm.ts");
  return { ok: true, value: new SalesforceCrm({ instanceUrl, accessToken, apiVersion: env.SALESFORCE_API_VERSION, send }) };
}
