/**
 * The local HubSpot-compatible server: `startLocalHubspot` (Node, `node:sqlite`), `createLocalHubspot` (any runtime,
 * in memory: msw handlers, workerd tests), `seedDemoPortal` and `playActivity` for `npm start` and benchmarks.
 */
export { type ActivityAction, type ActivityOptions, type ActivityPlayer, playActivity } from "./activity/player.ts";
export { createLocalHubspot, type LocalHubspot, type LocalHubspotOptions } from "./app.ts";
export type { Faults, Latency, RateLimits } from "./http/control-state.ts";
export { type Runtime, UI_USER_HEADER } from "./http/runtime.ts";
export { builtInContacts, type ContactRow, type ContactSource, defaultContactSource } from "./seed/contact-source.ts";
export { type SeedOptions, type SeedSummary, seedDemoPortal } from "./seed/demo-portal.ts";
export { type RunningLocalHubspot, type StartOptions, startLocalHubspot } from "./server.ts";
export type { WebhookEvent } from "./webhooks/events.ts";
export { hubspotSignedUri, signHubspotV3 } from "./webhooks/signature.ts";
