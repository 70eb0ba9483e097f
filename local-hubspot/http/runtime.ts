import type { CrmEngine, WriteSource } from "../crm/records.ts";
import type { PortalStore } from "../store/portal-store.ts";
import type { WebhooksJournal } from "../webhooks/journal.ts";
import type { WebhookSender } from "../webhooks/sender.ts";
import type { ControlState } from "./control-state.ts";
import type { RateLimiter } from "./rate-limiter.ts";

export type PortalConfig = {
  portalId: number;
  appId: string;
  /** Any bearer token is taken as the app's own (a private-app token); OAuth tokens are still checked for expiry. */
  acceptAnyToken: boolean;
  oauth: { clientId?: string; clientSecret?: string };
  tokenTtlSeconds: number;
};

/** Everything a route needs: the portal, its write engine, webhooks and the runtime controls. */
export type Runtime = {
  store: PortalStore;
  engine: CrmEngine;
  webhooks: WebhookSender;
  /** The Webhooks Journal: the same events as the webhooks, read by offset. */
  journal: WebhooksJournal;
  control: ControlState;
  limiter: RateLimiter;
  config: PortalConfig;
  random: () => number;
};

export type Env = { Variables: { source: WriteSource; token: string } };

/** Header a test sets to make a write look like a person's edit in HubSpot's UI (`changeSource` CRM_UI). */
export const UI_USER_HEADER = "x-local-hubspot-user-id";
