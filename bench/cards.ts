/**
 * `npm run bench cards [--contacts 200] [--deals 40] [--records 40] [--requests 200] [--latency 50]`
 *
 * Issue #9's card-backend target (answer from D1 without CRM calls on the hot path, p95 under 100 ms locally) for
 * every signed GET the app makes, on the whole local stack: the Worker under `wrangler dev` (local D1, Queues,
 * Durable Objects) and the local HubSpot server (`--latency` ms per call) behind a proxy that counts API calls.
 * Seeds owners, messy contacts with duplicates and deals; saves settings with every automation on (routing reps and a
 * queue, stage gates on the default pipeline, fixes on auto, auto-merge off so duplicates are flagged, user 7 admin);
 * pushes signed contact.creation and dealstage webhooks through intake and waits for the ledger to drain. Then per
 * endpoint: one warm-up call per record, `--requests` sequential signed calls across the records, and
 * p50/p95/p99 (HTTP round trip included), statuses and the HubSpot calls the timed calls caused.
 */

import { seedDemoPortal, signHubspotV3, startLocalHubspot, type WebhookEvent } from "../local-hubspot/index.ts";
import { demoSettings } from "../scripts/demo-settings.ts";
import { startWorkerProcess } from "../scripts/worker-process.ts";
import { arg, type CallCounts, countingProxy, percentile, printTable, sleep } from "./_util.ts";

const SECRETS = {
  HUBSPOT_CLIENT_SECRET: "bench-secret",
  HUBSPOT_APP_ID: "777004",
  ADMIN_API_TOKEN: "bench-admin",
  TOKEN_ENCRYPTION_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  HUBSPOT_ACCESS_TOKEN: "bench-private-token",
};
const PORTAL_ID = 880001;
const USER_ID = 7;

/** Which records an endpoint is asked about: a contact, a deal, or none (settings page). */
type Target = "contacts" | "deals" | null;
const ENDPOINTS: ReadonlyArray<readonly [string, Target]> = [
  ["/api/cards/hygiene", "contacts"],
  ["/api/cards/duplicates", "contacts"],
  ["/api/cards/routing", "contacts"],
  ["/api/cards/deal-gates", "deals"],
  ["/api/settings", null],
  ["/api/settings/versions", null],
  ["/api/settings/audit", null],
  ["/api/settings/review-queue", null],
  ["/api/settings/dashboard", null],
];

const counts: CallCounts = { total: 0, byPath: new Map() };

async function signed(method: "GET" | "POST", url: string, body = ""): Promise<Response> {
  const timestamp = Date.now();
  const signature = await signHubspotV3({ clientSecret: SECRETS.HUBSPOT_CLIENT_SECRET, method, url, body, timestamp });
  return fetch(url, {
    method,
    ...(body ? { body } : {}),
    headers: { "content-type": "application/json", "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": String(timestamp) },
  });
}

/** The rules of scripts/start.ts's demo portal, with auto-merge off (pairs stay flagged) and user 7 as admin. */
function benchSettings(owners: ReadonlyArray<{ id: string; firstName: string; lastName: string }>) {
  return { ...demoSettings(owners), dedupe: { autoMerge: false }, permissions: { adminUserIds: [String(USER_ID)] } };
}

/** What HubSpot would have sent for the seeded portal: a creation per contact and a stage change per deal. */
function seedEvents(contactIds: readonly string[], deals: ReadonlyArray<{ id: string; stage: string }>): WebhookEvent[] {
  const base = { subscriptionId: 1, portalId: PORTAL_ID, appId: Number(SECRETS.HUBSPOT_APP_ID), attemptNumber: 0, changeSource: "CRM_UI" };
  const now = Date.now();
  const contacts = contactIds.map((id, i) => ({
    ...base,
    eventId: 1 + i,
    occurredAt: now + i,
    subscriptionType: "contact.creation",
    objectId: Number(id),
    sourceId: `userId:${USER_ID}`,
  }));
  const moves = deals.map((d, i) => ({
    ...base,
    eventId: 100_000 + i,
    occurredAt: now + contactIds.length + i,
    subscriptionType: "deal.propertyChange",
    objectId: Number(d.id),
    propertyName: "dealstage",
    propertyValue: d.stage,
    sourceId: `userId:${USER_ID}`,
  }));
  return [...contacts, ...moves] as WebhookEvent[];
}

type Row = {
  endpoint: string;
  p50: number;
  p95: number;
  p99: number;
  calls: number;
  warmCalls: number;
  bytes: number;
  statuses: string;
  paths: string;
};

async function measure(workerUrl: string, path: string, ids: readonly string[], target: Target, requests: number): Promise<Row> {
  const url = (i: number) => {
    const id = ids[(i * 7919) % ids.length];
    const record = target ? `&objectType=${target}&objectId=${id}` : "";
    return `${workerUrl}${path}?portalId=${PORTAL_ID}&userId=${USER_ID}${record}`;
  };
  const records = target ? ids.length : 1;
  const warmBefore = counts.total;
  for (let i = 0; i < records; i++)
    await (
      await signed(
        "GET",
        `${workerUrl}${path}?portalId=${PORTAL_ID}&userId=${USER_ID}${target ? `&objectType=${target}&objectId=${ids[i]}` : ""}`,
      )
    ).arrayBuffer();
  const warmCalls = counts.total - warmBefore;
  const before = counts.total;
  let bytes = 0;
  const pathsBefore = new Map(counts.byPath);
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    const res = await signed("GET", url(i));
    bytes += (await res.arrayBuffer()).byteLength;
    latencies.push(performance.now() - t0);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
  latencies.sort((a, b) => a - b);
  const paths = [...counts.byPath]
    .filter(([k, n]) => n > (pathsBefore.get(k) ?? 0))
    .map(([k, n]) => `${k} ×${n - (pathsBefore.get(k) ?? 0)}`);
  return {
    endpoint: path,
    p50: percentile(latencies, 0.5) ?? Number.NaN,
    p95: percentile(latencies, 0.95) ?? Number.NaN,
    p99: percentile(latencies, 0.99) ?? Number.NaN,
    calls: counts.total - before,
    warmCalls,
    bytes: Math.round(bytes / requests),
    statuses: [...statuses].map(([s, n]) => `${s}×${n}`).join(" "),
    paths: paths.join(", "),
  };
}

export async function run(args: string[]): Promise<void> {
  const contacts = Number(arg(args, "contacts", "200"));
  const dealCount = Number(arg(args, "deals", "40"));
  const recordCount = Number(arg(args, "records", "40"));
  const requests = Number(arg(args, "requests", "200"));
  const latency = Number(arg(args, "latency", "50"));
  const hubspot = await startLocalHubspot({ latencyMs: latency });
  const seed = await seedDemoPortal(hubspot.runtime, { contacts, companies: 20, deals: dealCount });
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
      if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const rt = hubspot.runtime;
    await admin(`/portals/${PORTAL_ID}/settings`, {
      method: "PUT",
      body: JSON.stringify(benchSettings(rt.store.owners.filter((o) => !o.archived))),
    });
    const contactIds = rt.store.live("contacts").map((c) => c.id);
    const deals = rt.store.live("deals").map((d) => ({ id: d.id, stage: String(d.properties.dealstage ?? "appointmentscheduled") }));
    const events = seedEvents(contactIds, deals);
    const fillStarted = Date.now();
    const fillCallsBefore = counts.total;
    for (let i = 0; i < events.length; i += 50) {
      const res = await signed("POST", `${worker.url}/webhooks/hubspot`, JSON.stringify(events.slice(i, i + 50)));
      if (!res.ok) throw new Error(`webhook batch answered ${res.status}: ${await res.text()}`);
    }
    let ledger: Record<string, unknown> = {};
    for (;;) {
      ledger = await admin(`/portals/${PORTAL_ID}/ledger`);
      if (Number(ledger.received) >= events.length && Number(ledger.pending) === 0) break;
      if (Date.now() - fillStarted > 600_000) break;
      await sleep(1_000);
    }
    const fill = `${events.length} events in ${((Date.now() - fillStarted) / 1000).toFixed(1)} s, ${counts.total - fillCallsBefore} HubSpot calls; ledger ${JSON.stringify(ledger.byOutcome)}`;
    process.stderr.write(`filled D1: ${fill}\n`);

    const sample = (ids: readonly string[]) =>
      ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / recordCount)) === 0).slice(0, recordCount);
    const ids = { contacts: sample(contactIds), deals: sample(deals.map((d) => d.id)) };
    const rows: Row[] = [];
    for (const [path, target] of ENDPOINTS) rows.push(await measure(worker.url, path, target ? ids[target] : [], target, requests));
    const counters = ((await admin(`/portals/${PORTAL_ID}/metrics`)) as { counters?: Record<string, number> }).counters ?? {};
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    printTable(
      `card and settings GETs (${seed.contacts} contacts, ${seed.deals} deals, ${ids.contacts.length}/${ids.deals.length} records, ${requests} sequential each, HubSpot latency ${latency} ms)`,
      [
        ["fill", fill],
        ["engine counters", JSON.stringify(counters)],
        ...rows.map(
          (r) =>
            [
              r.endpoint,
              `${ms(r.p50)} / ${ms(r.p95)} / ${ms(r.p99)}  ${r.p95 < 100 ? "ok" : "MISS"}  HubSpot calls ${r.calls}${r.paths ? ` (${r.paths})` : ""} (warm-up ${r.warmCalls})  [${r.statuses}] ${r.bytes} B avg`,
            ] as const,
        ),
      ],
    );
  } finally {
    await worker.stop();
    proxy.close();
    await hubspot.stop();
  }
}
