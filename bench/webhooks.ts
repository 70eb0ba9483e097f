/**
 * `npm run bench webhooks [--seconds 20] [--rate 500] [--batch 10] [--latency 100] [--redeliver] [--intake-only] [--log worker.log]`
 *
 * Replays signed HubSpot webhook batches against the whole local stack — the Worker under `wrangler dev` (local D1,
 * Queues, Durable Objects) and the local HubSpot server at `--latency` ms per call with its default rate limit
 * (110 calls / 10 s) — and prints intake latency and throughput, webhook-to-CRM-write latency, CRM API calls per
 * event, events lost and side effects applied twice. With --redeliver every batch is sent again, once or twice more,
 * shuffled, after the first pass. With --intake-only the Worker runs without its queue consumer (as Cloudflare runs intake
 * apart from consumers) and only intake is measured.
 *
 * Event mix (stated, as generated): 80 % contact.propertyChange, 10 % contact.creation, 5 % deal.propertyChange of
 * dealstage (each deal moved once; half skip a stage whose exit criteria they miss), 5 % events the product does
 * not handle (ticket.creation), which must be dead-lettered.
 */
import { appendFileSync } from "node:fs";
import { type RunningLocalHubspot, startLocalHubspot, type WebhookEvent } from "../local-hubspot/index.ts";
import { signHubspotV3 } from "../local-hubspot/webhooks/signature.ts";
import { startWorkerProcess } from "../scripts/worker-process.ts";
import { arg, batchPhaseRows, type PortalBatchLine, parsePortalBatch, percentile, printTable, sleep } from "./_util.ts";

const SECRETS = {
  HUBSPOT_CLIENT_SECRET: "bench-secret",
  HUBSPOT_APP_ID: "777002",
  ADMIN_API_TOKEN: "bench-admin",
  TOKEN_ENCRYPTION_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  HUBSPOT_ACCESS_TOKEN: "bench-private-token",
};
const PORTAL_ID = 880001;
const USER = { kind: "user" as const, userId: 7 };

type Workload = { batches: WebhookEvent[][]; goodEvents: number; junkEvents: number; violatingDeals: Set<string> };

/** Makes the CRM changes in-process (as people in the UI) and collects the webhook events HubSpot would send. */
function generate(hubspot: RunningLocalHubspot, total: number, batchSize: number): Workload {
  const rt = hubspot.runtime;
  const contacts = rt.webhooks.suppress(() =>
    Array.from({ length: 2_000 }, (_, i) => rt.engine.create("contacts", { email: `seed${i}@example.com`, firstname: `seed${i}` }, USER)),
  );
  const dealCount = Math.ceil(total * 0.05) + 10;
  const deals = rt.webhooks.suppress(() =>
    Array.from({ length: dealCount }, (_, i) =>
      rt.engine.create(
        "deals",
        { dealname: `Deal ${i}`, pipeline: "default", dealstage: "appointmentscheduled", ...(i % 2 ? { amount: "1000" } : {}) },
        USER,
      ),
    ),
  );
  const start = rt.webhooks.journal.length;
  const violatingDeals = new Set<string>();
  let deal = 0;
  let junk = 0;
  const junkEvents: WebhookEvent[] = [];
  for (let i = 0; i < total; i++) {
    const roll = i % 20;
    if (roll < 16) {
      const c = contacts[i % contacts.length];
      if (c?.ok) rt.engine.update("contacts", c.value.id, { jobtitle: `Title ${i}` }, USER);
    } else if (roll < 18) {
      rt.engine.create("contacts", { email: `new${i}@example.com`, firstname: `New${i}` }, USER);
    } else if (roll < 19) {
      const d = deals[deal++];
      if (d?.ok) {
        // Even deals have no amount: leaving appointmentscheduled is blocked for them.
        if (!d.value.properties.amount) violatingDeals.add(d.value.id);
        rt.engine.update("deals", d.value.id, { dealstage: "qualifiedtobuy" }, USER);
      }
    } else {
      junkEvents.push({ ...templateEvent(), eventId: 9_000_000 + junk, subscriptionType: "ticket.creation", objectId: 1 + junk++ });
    }
  }
  const events = [...rt.webhooks.journal.slice(start), ...junkEvents];
  events.sort((a, b) => a.occurredAt - b.occurredAt || a.eventId - b.eventId);
  const batches: WebhookEvent[][] = [];
  for (let i = 0; i < events.length; i += batchSize) batches.push(events.slice(i, i + batchSize));
  return { batches, goodEvents: events.length - junkEvents.length, junkEvents: junkEvents.length, violatingDeals };
}

function templateEvent(): WebhookEvent {
  return {
    eventId: 0,
    subscriptionId: 1,
    portalId: PORTAL_ID,
    appId: Number(SECRETS.HUBSPOT_APP_ID),
    occurredAt: Date.now(),
    subscriptionType: "ticket.creation",
    attemptNumber: 0,
    objectId: 1,
    changeSource: "CRM_UI",
    sourceId: "userId:7",
  };
}

async function send(workerUrl: string, batch: WebhookEvent[]): Promise<{ ms: number; status: number }> {
  const url = `${workerUrl}/webhooks/hubspot`;
  const body = JSON.stringify(batch);
  const timestamp = Date.now();
  const signature = await signHubspotV3({ clientSecret: SECRETS.HUBSPOT_CLIENT_SECRET, method: "POST", url, body, timestamp });
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": String(timestamp) },
  });
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status };
}

/** Sends batches at a fixed rate without waiting for earlier answers, like HubSpot's concurrent deliveries. */
async function pace(workerUrl: string, batches: WebhookEvent[][], perSecond: number, sentAt?: Map<WebhookEvent[], number>) {
  const results: Array<Promise<{ ms: number; status: number }>> = [];
  const started = performance.now();
  for (let i = 0; i < batches.length; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const batch = batches[i] ?? [];
    sentAt?.set(batch, Date.now());
    results.push(send(workerUrl, batch));
  }
  const done = await Promise.all(results);
  return { results: done, seconds: (performance.now() - started) / 1000 };
}

export async function run(args: string[]): Promise<void> {
  const seconds = Number(arg(args, "seconds", "20"));
  const rate = Number(arg(args, "rate", "500"));
  const batchSize = Number(arg(args, "batch", "10"));
  const latency = Number(arg(args, "latency", "100"));
  const redeliver = args.includes("--redeliver");
  const intakeOnly = args.includes("--intake-only");
  const hubspot = await startLocalHubspot({ latencyMs: latency, webhook: { appId: SECRETS.HUBSPOT_APP_ID, portalId: PORTAL_ID } });
  const logFile = arg(args, "log", "");
  const batches: PortalBatchLine[] = [];
  let partial = "";
  const worker = await startWorkerProcess({
    vars: { ...SECRETS, HUBSPOT_API_BASE: hubspot.url, HUBSPOT_PORTAL_ID: String(PORTAL_ID) },
    frozen: true,
    consumers: !intakeOnly,
    log: (chunk: string) => {
      if (logFile) appendFileSync(logFile, chunk);
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        const batch = parsePortalBatch(line);
        if (batch) batches.push(batch);
      }
    },
  });
  try {
    const admin = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${worker.url}/api/admin${path}`, {
        ...init,
        headers: { authorization: `Bearer ${SECRETS.ADMIN_API_TOKEN}`, "content-type": "application/json" },
      });
      return res.json() as Promise<Record<string, unknown>>;
    };
    await admin(`/portals/${PORTAL_ID}/settings`, {
      method: "PUT",
      body: JSON.stringify({
        automations: { hygiene: true, dedupe: true, routing: true, stageGates: true },
        stageGates: { pipelines: { default: { mode: "enforce", stages: { appointmentscheduled: { required: ["amount"] } } } } },
      }),
    });
    const work = generate(hubspot, seconds * rate, batchSize);
    process.stderr.write(
      `workload: ${work.goodEvents} events + ${work.junkEvents} unhandled in ${work.batches.length} batches of ${batchSize}; ${work.violatingDeals.size} deal moves to block\n`,
    );

    const sentAt = new Map<WebhookEvent[], number>();
    const first = await pace(worker.url, work.batches, rate / batchSize, sentAt);
    const intake = first.results.map((r) => r.ms).sort((a, b) => a - b);
    const intakeRows: Array<[string, string]> = [
      ["events sent (first pass)", `${work.goodEvents + work.junkEvents} in ${work.batches.length} batches of ${batchSize}`],
      [
        "intake requests/s, events/s",
        `${(first.results.length / first.seconds).toFixed(0)} req/s, ${((work.goodEvents + work.junkEvents) / first.seconds).toFixed(0)} events/s`,
      ],
      ["intake p50 / p99", `${percentile(intake, 0.5)?.toFixed(1)} ms / ${percentile(intake, 0.99)?.toFixed(1)} ms`],
      ["intake non-2xx", String(first.results.filter((r) => r.status >= 300).length)],
    ];
    if (intakeOnly) {
      printTable("webhooks (intake only: no queue consumer, events stay queued)", intakeRows);
      return;
    }
    let redelivered = 0;
    if (redeliver) {
      const again = work.batches.flatMap((b, i) => (i % 2 ? [b, b] : [b]));
      again.sort(() => Math.random() - 0.5);
      redelivered = again.length;
      await pace(worker.url, again, rate / batchSize);
    }

    process.stderr.write("draining the queue...\n");
    const drainStarted = Date.now();
    let ledger: Record<string, unknown> = {};
    for (;;) {
      ledger = await admin(`/portals/${PORTAL_ID}/ledger`);
      if (Number(ledger.received) >= work.goodEvents && Number(ledger.pending) === 0) break;
      if (Date.now() - drainStarted > 600_000) break;
      await sleep(1_000);
    }
    const metrics = (await admin(`/portals/${PORTAL_ID}/metrics`)) as { counters: Record<string, number> };
    const deadLetters = ((await admin(`/dead-letters?portal=${PORTAL_ID}&limit=500`)) as { deadLetters: unknown[] }).deadLetters.length;

    // Side effects: each blocked move must be reverted once, with one note and one task.
    const rt = hubspot.runtime;
    const writeLatencies: number[] = [];
    let reverts = 0;
    let doubled = 0;
    const firstSent = new Map<string, number>();
    for (const [batch, at] of sentAt)
      for (const e of batch) if (e.subscriptionType === "deal.propertyChange") firstSent.set(String(e.objectId), at);
    for (const id of work.violatingDeals) {
      const history = rt.store.get("deals", id)?.history.dealstage ?? [];
      const ours = history.filter((h) => h.sourceType === "INTEGRATION");
      reverts += ours.length;
      if (ours.length > 1) doubled += ours.length - 1;
      const sent = firstSent.get(id);
      const revert = ours.at(-1);
      if (revert && sent) writeLatencies.push(revert.timestamp - sent);
    }
    const notes = rt.store.live("notes").length;
    doubled += Math.max(0, notes - work.violatingDeals.size);
    writeLatencies.sort((a, b) => a - b);
    const processed = Number(ledger.processed);
    const lost = Math.max(0, work.goodEvents - processed);
    const apiCalls = metrics.counters.api_calls ?? 0;

    printTable("webhooks", [
      ...intakeRows,
      ["batches redelivered (shuffled)", String(redelivered)],
      ["events processed (ledger)", `${processed} of ${work.goodEvents}; outcomes ${JSON.stringify(ledger.byOutcome)}`],
      ["events dead-lettered", `${deadLetters} (${work.junkEvents} unhandled sent)`],
      ["events lost", String(lost)],
      ["blocked moves reverted", `${reverts} for ${work.violatingDeals.size} blocking moves; notes ${notes}`],
      ["side effects applied twice", String(doubled)],
      [
        "webhook-to-CRM-write p50 / p95",
        `${percentile(writeLatencies, 0.5)} ms / ${percentile(writeLatencies, 0.95)} ms (reverts, n=${writeLatencies.length})`,
      ],
      ["CRM API calls", `${apiCalls} total, ${(apiCalls / Math.max(1, processed)).toFixed(3)} per event`],
      ["drain after last send", `${((Date.now() - drainStarted) / 1000).toFixed(1)} s`],
      ...batchPhaseRows(batches),
    ]);
  } finally {
    await worker.stop();
    await hubspot.stop();
  }
}
