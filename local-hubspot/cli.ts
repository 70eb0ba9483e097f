/**
 * `node --import tsx local-hubspot/cli.ts [--port 4010] [--db .data/local-hubspot.sqlite] [--seed] [--play 30]
 *   [--webhook-url URL --client-secret S --app-id ID] [--latency MS]`: runs the local HubSpot-compatible server until Ctrl-C.
 */
import { parseArgs } from "node:util";
import { playActivity } from "./activity/player.ts";
import { seedDemoPortal } from "./seed/demo-portal.ts";
import { startLocalHubspot } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    db: { type: "string", default: ".data/local-hubspot.sqlite" },
    seed: { type: "boolean", default: false },
    play: { type: "string" },
    "webhook-url": { type: "string" },
    "client-secret": { type: "string", default: "local-client-secret" },
    "app-id": { type: "string", default: "424242" },
    latency: { type: "string", default: "0" },
  },
});

const hubspot = await startLocalHubspot({
  port: Number(values.port),
  dbPath: values.db,
  latencyMs: Number(values.latency),
  webhook: {
    clientSecret: values["client-secret"],
    appId: values["app-id"],
    ...(values["webhook-url"] ? { targetUrl: values["webhook-url"] } : {}),
  },
});
process.stdout.write(`local HubSpot: ${hubspot.url} (storage ${values.db}; controls ${hubspot.url}/__control)\n`);
if (values.seed) {
  const s = await seedDemoPortal(hubspot.runtime);
  process.stdout.write(
    s.seeded
      ? `seeded ${s.owners} owners, ${s.companies} companies, ${s.contacts} contacts, ${s.deals} deals\n`
      : "portal already has data: not seeded\n",
  );
}
const player = values.play ? playActivity({ baseUrl: hubspot.url, ratePerMinute: Number(values.play) }) : undefined;
const stop = async () => {
  await player?.stop();
  await hubspot.stop();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
