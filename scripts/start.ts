/**
 * `npm start`: the whole product on its embedded default, with no account or secret — the local HubSpot-compatible
 * server seeded with a messy demo portal, the Worker under `wrangler dev` (local D1, Queues, Durable Objects) on
 * http://127.0.0.1:8787 (PORT to change), a stream of CRM activity so webhooks flow, the cron driven on schedule,
 * and a live summary. With HUBSPOT_API_BASE set (a real portal) it starts no local server. Ctrl-C stops everything.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { playActivity, type RunningLocalHubspot, seedDemoPortal, startLocalHubspot } from "../local-hubspot/index.ts";
import { demoSettings } from "./demo-settings.ts";
import { devVarsPath, ensureDevVars } from "./ensure-dev-vars.ts";
import { printSummary, type SummaryState } from "./start-summary.ts";
import { startWorkerProcess } from "./worker-process.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const DEMO_PORTAL_ID = 880001;
const DEMO_TOKEN = "local-private-app-token";
const port = Number(process.env.PORT ?? "8787");
const started = Date.now();

if (ensureDevVars()) console.log("created .dev.vars with generated development secrets");
const devVars = Object.fromEntries(
  readFileSync(devVarsPath(), "utf8")
    .split("\n")
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1).trim()]),
) as Record<string, string>;
const clientSecret = devVars.HUBSPOT_CLIENT_SECRET ?? "";
const appId = devVars.HUBSPOT_APP_ID || "1000001";
const realPortal = process.env.HUBSPOT_API_BASE;

mkdirSync(`${root}.data`, { recursive: true });
let hubspot: RunningLocalHubspot | undefined;
if (!realPortal) {
  hubspot = await startLocalHubspot({
    port: Number(process.env.LOCAL_HUBSPOT_PORT ?? "0"),
    dbPath: `${root}.data/local-hubspot.sqlite`,
    latencyMs: { minMs: 20, maxMs: 80 },
    webhook: { targetUrl: `http://127.0.0.1:${port}/webhooks/hubspot`, clientSecret, appId, portalId: DEMO_PORTAL_ID },
  });
}
const apiBase = realPortal ?? hubspot?.url ?? "";
const vars: Record<string, string> = { HUBSPOT_API_BASE: apiBase, PUBLIC_BASE_URL: `http://127.0.0.1:${port}` };
if (!realPortal)
  Object.assign(vars, { HUBSPOT_ACCESS_TOKEN: DEMO_TOKEN, HUBSPOT_PORTAL_ID: String(DEMO_PORTAL_ID), HUBSPOT_APP_ID: appId });

const worker = await startWorkerProcess({
  port,
  vars,
  persistTo: `${root}.wrangler/state`,
  testScheduled: true,
  log: process.env.DEBUG ? (line) => process.stderr.write(line) : undefined,
});

const admin = { url: worker.url, token: devVars.ADMIN_API_TOKEN ?? "" };
let player: ReturnType<typeof playActivity> | undefined;
if (hubspot) {
  const seed = await seedDemoPortal(hubspot.runtime);
  console.log(
    seed.seeded
      ? `seeded the demo portal: ${seed.owners} owners, ${seed.companies} companies, ${seed.contacts} contacts, ${seed.deals} deals`
      : "demo portal already seeded (delete .data/ to start over)",
  );
  // The demo portal shows the automations at work; a real install starts observe-only until an admin turns them on.
  const saved = await fetch(`${worker.url}/api/admin/portals/${DEMO_PORTAL_ID}/settings`, {
    method: "PUT",
    headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json", "x-change-note": "demo portal: automations on" },
    body: JSON.stringify(demoSettings(hubspot.runtime.store.owners.filter((o) => !o.archived))),
  });
  if (!saved.ok) console.error(`demo settings refused: ${await saved.text()}`);
  player = playActivity({
    baseUrl: hubspot.url,
    token: DEMO_TOKEN.replace("private", "user"),
    ratePerMinute: Number(process.env.ACTIVITY_PER_MINUTE ?? "60"),
  });
}

console.log(`
CRM Autopilot is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)
  Worker            ${worker.url}   (health: ${worker.url}/healthz)
  HubSpot API       ${apiBase}${hubspot ? `   (local HubSpot-compatible server, demo portal ${DEMO_PORTAL_ID})` : "   (real portal)"}
  Admin API         ${worker.url}/api/admin/portals/${DEMO_PORTAL_ID}/metrics   (Authorization: Bearer <ADMIN_API_TOKEN from .dev.vars>)
  Dead letters      npm run dlq -- list
Ctrl-C stops everything.
`);

const state: SummaryState = { last: "" };
const summaryTimer = setInterval(() => void printSummary(admin, DEMO_PORTAL_ID, state), 10_000);
// Cron Triggers do not fire under `wrangler dev`: drive the backfill on the schedule wrangler.toml declares.
const cronTimer = setInterval(
  () => void fetch(`${worker.url}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`).catch(() => {}),
  5 * 60_000,
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  clearInterval(summaryTimer);
  clearInterval(cronTimer);
  await player?.stop();
  await worker.stop();
  await hubspot?.stop();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
