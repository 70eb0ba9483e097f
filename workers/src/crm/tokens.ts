import type { TokenSource } from "./crm-for-portal.ts";

/**
 * The access token for a portal. Private-app mode (`HUBSPOT_ACCESS_TOKEN` set) serves that token; OAuth
 * installs read the portal's encrypted tokens from D1.
 */
export const portalAccessToken: TokenSource = async (env, portalKey) => {
  if (env.HUBSPOT_ACCESS_TOKEN && portalKey.startsWith("hubspot:")) {
    const only = env.HUBSPOT_PORTAL_ID;
    if (only && portalKey !== `hubspot:${only}`) {
      return { ok: false, error: { code: "not_installed", message: `This private app serves portal ${only}, not ${portalKey}` } };
    }
    return { ok: true, value: env.HUBSPOT_ACCESS_TOKEN };
  }
  return { ok: false, error: { code: "not_installed", message: `${portalKey} has not installed the app` } };
};
