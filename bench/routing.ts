/**
 * `npm run bench routing [--seconds 30] [--rate 50] [--latency 100] [--log worker.log]`
 *
 * Owner routing through the whole local stack: the Worker under `wrangler dev` (local D1, Queues, the portal Durable
 * Object) and the local HubSpot server at `--latency` ms per call. Contacts are created at `--rate` per second for
 * `--seconds`; each creation webhook is signed and sent at once (one event per request, as HubSpot delivers a lone
 * event). Prints webhook-to-owner-written p50/p95/p99 (from sending the webhook to the timestamp HubSpot records for
 * our `hubspot_owner_id` write), the decision's time inside the Worker (D1 lookup + Durable Object decide-and-commit,
 * from the Worker's `routing_decided` log lines), the spread over reps and whether any lead was assigned twice.
 * Fairness over 10,000 leads and the pure decision time are `npm run bench routing-core`.
 */
import { type RunningLocalHubspot, startLocalHubspot, type WebhookEvent } from "../local-hubspot/index.ts";
import { signHubspotV3 } from "../local-hubspot/webhooks/signature.ts";
import { startWorkerProcess } from "../scripts/worker-process.ts";
import { arg, batchPhaseRows, type PortalBatchLine, parsePortalBatch, percentile, printTable, sleep } from "./_util.ts";

const SECRETS = {
  HUBSPOT_CLIENT_SECRET: "bench-secret",
  HUBSPOT_APP_ID: "777003",
  ADMIN_API_TOKEN: "bench-admin",
  TOKEN_ENCRYPTION_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  HUBSPOT_ACCESS_TOKEN: "bench-private-token",
};
const PORTAL_ID = 880001;
const USER = { kind: "user" as const, userId: 7 };
const REPS = ["201", "202", "203", "204", "205", "206"];
const COUNTRIES = ["US", "CA", "DE", "FR", "GB", "BR"];

function seedOwners(hubspot: RunningLocalHubspot): void {
  const now = Date.now();
  hubspot.runtime.store.setOwners(
    REPS.map((id, i) => ({
      id,
      userId: 9100 + i,
      email: `rep${id}@demo.example`,
      firstName: `Rep${i}`,
      lastName: "Bench",
      teams: [],
      archived: false,
      createdAt: now,
      updatedAt: now,
    })),
  );
}

/** Two territories (round robin and weighted), rules on country, a fallback, 24/7 reps with weights. */
function routingSettings() {
  const always = ["00:00-24:00"];
  const week = { sun: always, mon: always, tue: always, wed: always, thu: always, fri: always, sat: always };
  return {
    reps: REPS.map((ownerId, i) => ({ ownerId, name: `Rep ${i}`, timeZone: "UTC", workingHours: week, weight: 1 + (i % 3) })),
    queues: [
      { id: "amer", strategy: "round_robin", members: REPS.slice(0, 3) },
      { id: "emea", strategy: "weighted_round_robin", members: REPS.slice(3) },
    ],
    rules: [
      { id: "americas", queue: "amer", conditions: [{ property: "country", operator: "in", value: ["US", "CA", "BR"] }] },
      { id: "europe", queue: "emea", conditions: [{ property: "country", operator: "in", value: ["DE", "FR", "GB"] }] },
    ],
    fallbackQueue: "amer",
    slaMinutes: 30,
  };
}

async function send(workerUrl: string, batch: WebhookEvent[]): Promise<number> {
  const url = `${workerUrl}/webhooks/hubspot`;
  const body = JSON.stringify(batch);
  const timestamp = Date.now();
  const signature = await signHubspotV3({ clientSecret: SECRETS.HUBSPOT_CLIENT_SECRET, method: "POST", url, body, timestamp });
  const res = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": String(timestamp) },
  });
  await res.arrayBuffer();
  return res.status;
}

type Sent = { id: string; sentAt: number };

/** Creates contacts at `rate` per second and sends each creation webhook as it happens. */
async function createAndSend(hubspot: RunningLocalHubspot, workerUrl: string, total: number, rate: number): Promise<Sent[]> {
  const rt = hubspot.runtime;
  const sent: Sent[] = [];
  const pending: Promise<number>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    const from = rt.webhooks.journal.length;
    const created = rt.engine.create(
      "contacts",
      { email: `lead${i}@company${i % 97}.example`, firstname: `Lead${i}`, country: COUNTRIES[i % COUNTRIES.length] ?? "US" },
      USER,
    );
    if (!created.ok) continue;
    const events = rt.webhooks.journal.slice(from).filter((e) => e.subscriptionType === "contact.creation");
    sent.push({ id: created.value.id, sentAt: Date.now() });
    pending.push(send(workerUrl, events));
  }
  const statuses = await Promise.all(pending);
  const bad = statuses.filter((s) => s >= 300).length;
  if (bad > 0) process.stderr.write(`${bad} webhook requests were not accepted\n`);
  return sent;
}

export async function run(args: string[]): Promise<void> {
  const seconds = Number(arg(args, "seconds", "30"));
  const rate = Number(arg(args, "rate", "50"));
  const latency = Number(arg(args, "latency", "100"));
  const hubspot = await startLocalHubspot({ latencyMs: latency, webhook: { appId: SECRETS.HUBSPOT_APP_ID, portalId: PORTAL_ID } });
  seedOwners(hubspot);
  const decided: Array<{ lookupMs: number; decideMs: number }> = [];
  const batches: PortalBatchLine[] = [];
  let partial = "";
  const worker = await startWorkerProcess({
    vars: { ...SECRETS, HUBSPOT_API_BASE: hubspot.url, HUBSPOT_PORTAL_ID: String(PORTAL_ID) },
    frozen: true,
    log: (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        const at = line.indexOf('{"level"');
        if (at < 0) continue;
        try {
          const batch = parsePortalBatch(line);
          if (batch) batches.push(batch);
          if (!line.includes("routing_decided")) continue;
          decided.push(JSON.parse(line.slice(at)) as { lookupMs: number; decideMs: number });
        } catch {
          // a log line split oddly: skip it
        }
      }
    },
  });
  try {
    const res = await fetch(`${worker.url}/api/admin/portals/${PORTAL_ID}/settings`, {
      method: "PUT",
      headers: { authorization: `Bearer ${SECRETS.ADMIN_API_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ automations: { routing: true }, routing: routingSettings() }),
    });
    if (!res.ok) throw new Error(`settings: ${res.status} ${await res.text()}`);
    const sent = await createAndSend(hubspot, worker.url, seconds * rate, rate);
    process.stderr.write(`sent ${sent.length} creation webhooks; waiting for owners...\n`);
    const deadline = Date.now() + 120_000;
    const ownerWrites = () =>
      sent.map((s) =>
        (hubspot.runtime.store.get("contacts", s.id)?.history.hubspot_owner_id ?? []).filter((h) => h.sourceType === "INTEGRATION"),
      );
    while (Date.now() < deadline && ownerWrites().some((w) => w.length === 0)) await sleep(500);
    const writes = ownerWrites();
    const latencies = sent
      .map((s, i) => {
        const w = writes[i]?.[0];
        return w ? w.timestamp - s.sentAt : null;
      })
      .filter((x): x is number => x !== null)
      .sort((a, b) => a - b);
    const twice = writes.filter((w) => w.length > 1).length;
    const perRep = new Map<string, number>();
    for (const w of writes) if (w[0]) perRep.set(w[0].value, (perRep.get(w[0].value) ?? 0) + 1);
    const metrics = (await (
      await fetch(`${worker.url}/api/admin/portals/${PORTAL_ID}/metrics`, {
        headers: { authorization: `Bearer ${SECRETS.ADMIN_API_TOKEN}` },
      })
    ).json()) as { counters?: Record<string, number> };
    const apiCalls = metrics.counters?.api_calls ?? 0;
    const decideMs = decided.map((d) => d.decideMs).sort((a, b) => a - b);
    const lookupMs = decided.map((d) => d.lookupMs).sort((a, b) => a - b);
    const fmt = (xs: number[], q: number) => percentile(xs, q)?.toFixed(1) ?? "–";
    printTable("routing", [
      ["contacts created", `${sent.length} at ${rate}/s over ${seconds} s; HubSpot latency ${latency} ms per call`],
      ["owners written", `${latencies.length} of ${sent.length}; assigned twice: ${twice}`],
      [
        "webhook-to-owner-written p50 / p95 / p99",
        `${fmt(latencies, 0.5)} / ${fmt(latencies, 0.95)} / ${fmt(latencies, 0.99)} ms (max ${latencies.at(-1)} ms)`,
      ],
      [
        "D1 lookups for a batch of leads (one round trip) p50 / p99",
        `${fmt(lookupMs, 0.5)} / ${fmt(lookupMs, 0.99)} ms (n=${lookupMs.length})`,
      ],
      [
        "Durable Object decide-and-commit for a batch p50 / p99",
        `${fmt(decideMs, 0.5)} / ${fmt(decideMs, 0.99)} ms (one RPC per consumer batch; chooseOwner itself: bench routing-core)`,
      ],
      ...batchPhaseRows(batches),
      ["CRM API calls (all engines)", `${apiCalls}, ${(apiCalls / Math.max(1, sent.length)).toFixed(2)} per lead (budget 110 per 10 s)`],
      [
        "leads per rep",
        [...perRep]
          .sort()
          .map(([k, v]) => `${k}: ${v}`)
          .join(", "),
      ],
    ]);
  } finally {
    await worker.stop();
    await hubspot.stop();
  }
}
