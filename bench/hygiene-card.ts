/**
 * `npm run bench hygiene-card [--contacts 2000] [--requests 300] [--latency 50]`
 *
 * The hygiene automation on the whole local stack: the Worker under `wrangler dev` (local D1, Queues, Durable
 * Objects) and the local HubSpot server seeded with messy contacts (`--latency` ms per call, its default rate limit).
 * Runs the portal-wide scan through the queue (POST /api/admin/portals/:id/hygiene/scan until done) and reports its
 * duration, contacts per second and API calls; then sends `--requests` signed GET /api/cards/hygiene requests one after
 * another for scanned contacts and reports latency p50/p95/p99 (HTTP round trip included) and HubSpot calls made.
 */
import { seedDemoPortal, signHubspotV3, startLocalHubspot } from "../local-hubspot/index.ts";
import { startWorkerProcess } from "../scripts/worker-process.ts";
import { arg, type CallCounts, countingProxy, percentile, printTable, sleep } from "./_util.ts";

const SECRETS = {
  HUBSPOT_CLIENT_SECRET: "bench-secret",
  HUBSPOT_APP_ID: "777003",
  ADMIN_API_TOKEN: "bench-admin",
  TOKEN_ENCRYPTION_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  HUBSPOT_ACCESS_TOKEN: "bench-private-token",
};
const PORTAL_ID = 880001;

type Progress = {
  phase: string;
  scored: number;
  pages: number;
  contacts: { distribution: Array<{ bucket: string; count: number }>; average: number };
};

async function signedGet(url: string): Promise<Response> {
  const timestamp = Date.now();
  const signature = await signHubspotV3({ clientSecret: SECRETS.HUBSPOT_CLIENT_SECRET, method: "GET", url, body: "", timestamp });
  return fetch(url, { headers: { "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": String(timestamp) } });
}

const counts: CallCounts = { total: 0, byPath: new Map() };

export async function run(args: string[]): Promise<void> {
  const contacts = Number(arg(args, "contacts", "2000"));
  const requests = Number(arg(args, "requests", "300"));
  const latency = Number(arg(args, "latency", "50"));
  const hubspot = await startLocalHubspot({ latencyMs: latency });
  await seedDemoPortal(hubspot.runtime, { contacts, companies: 40, deals: 0 });
  const proxy = await countingProxy(hubspot.url, counts);
  const worker = await startWorkerProcess({
    vars: { ...SECRETS, HUBSPOT_API_BASE: proxy.url, HUBSPOT_PORTAL_ID: String(PORTAL_ID) },
    frozen: true,
    readyTimeoutMs: 180_000,
  });
  try {
    const admin = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${worker.url}/api/admin${path}`, {
        ...init,
        headers: { authorization: `Bearer ${SECRETS.ADMIN_API_TOKEN}`, "content-type": "application/json" },
      });
      return res.json() as Promise<unknown>;
    };
    const before = counts.total;
    const started = Date.now();
    await admin(`/portals/${PORTAL_ID}/hygiene/scan`, { method: "POST" });
    let progress: Progress = { phase: "running", scored: 0, pages: 0, contacts: { distribution: [], average: 0 } };
    while (progress.phase === "running" && Date.now() - started < 600_000) {
      await sleep(500);
      progress = (await admin(`/portals/${PORTAL_ID}/hygiene/scan`)) as Progress;
    }
    const scanMs = Date.now() - started;
    const scanCalls = counts.total - before;

    const ids = hubspot.runtime.store.live("contacts").map((c) => c.id);
    const latencies: number[] = [];
    const cardBefore = counts.total;
    for (let i = 0; i < requests; i++) {
      const id = ids[(i * 7919) % ids.length];
      const url = `${worker.url}/api/cards/hygiene?portalId=${PORTAL_ID}&userId=7&objectType=contacts&objectId=${id}`;
      const t0 = performance.now();
      const res = await signedGet(url);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`card answered ${res.status}`);
    }
    const cardCalls = counts.total - cardBefore;
    latencies.sort((a, b) => a - b);
    const ms = (v: number | undefined) => `${(v ?? Number.NaN).toFixed(1)} ms`;
    printTable(`hygiene scan and card (${contacts} contacts, HubSpot latency ${latency} ms)`, [
      [
        "scan",
        `${progress.phase}: ${progress.scored} contacts in ${(scanMs / 1000).toFixed(1)} s (${Math.round(progress.scored / (scanMs / 1000))}/s), ${progress.pages} pages`,
      ],
      ["scan API calls", `${scanCalls} (${(scanCalls / Math.max(1, progress.scored)).toFixed(3)} per contact)`],
      ["distribution", progress.contacts.distribution.map((b) => `${b.bucket}: ${b.count}`).join(", ")],
      ["average score", String(progress.contacts.average)],
      [
        "card GET p50 / p95 / p99",
        `${ms(percentile(latencies, 0.5))} / ${ms(percentile(latencies, 0.95))} / ${ms(percentile(latencies, 0.99))} (${requests} sequential)`,
      ],
      ["card HubSpot calls", String(cardCalls)],
    ]);
  } finally {
    await worker.stop();
    proxy.close();
    await hubspot.stop();
  }
}
