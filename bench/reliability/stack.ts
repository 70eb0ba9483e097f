/**
 * One run's stack: the local HubSpot server (no webhook target: the benchmark delivers the events itself), a
 * recording proxy in front of it, and the Worker under `wrangler dev` on a state directory the run owns, so the
 * Worker can be stopped and started again on the same D1 and Durable Object state.
 */
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Latency, type RunningLocalHubspot, startLocalHubspot } from "../../local-hubspot/index.ts";
import { freePort, startWorkerProcess, type WorkerProcess } from "../../scripts/worker-process.ts";
import { parsePortalBatch } from "../_util.ts";
import { type RecordingProxy, recordingProxy } from "./observe.ts";
import { PORTAL_ID } from "./workload.ts";

export const SECRETS = {
  HUBSPOT_CLIENT_SECRET: "bench-secret",
  HUBSPOT_APP_ID: "777010",
  ADMIN_API_TOKEN: "bench-admin",
  TOKEN_ENCRYPTION_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  HUBSPOT_ACCESS_TOKEN: "bench-private-token",
};

export type RunStack = {
  hubspot: RunningLocalHubspot;
  proxy: RecordingProxy;
  worker: () => WorkerProcess;
  persistTo: string;
  /** HubSpot's own limiter refusals (calls over 110 per 10 s that reached it), not injected faults. */
  limiterRefusals: () => number;
  admin<T>(path: string, init?: RequestInit): Promise<T>;
  /** Stops the Worker process; its local state stays. */
  stopWorker(): Promise<void>;
  /** Starts the Worker again on the same state directory and port. */
  startWorker(): Promise<void>;
  /** Consumer batches the Worker logged, and how many of them ended retried after a CRM error (no phase timings). */
  consumerBatches: () => { total: number; retried: number };
  /** Runs the backfill cron once (`wrangler dev --test-scheduled`). */
  runBackfillCron(): Promise<number>;
  stop(): Promise<void>;
};

export async function startRunStack(options: { latency: Latency; log?: string; settings: unknown }): Promise<RunStack> {
  const hubspot = await startLocalHubspot({ latencyMs: options.latency, webhook: { appId: SECRETS.HUBSPOT_APP_ID, portalId: PORTAL_ID } });
  let refusals = 0;
  const limiter = hubspot.runtime.limiter;
  const check = limiter.check.bind(limiter);
  limiter.check = (...args) => {
    const verdict = check(...args);
    if (!verdict.ok) refusals++;
    return verdict;
  };
  const proxy = await recordingProxy(hubspot.url);
  const batches = { total: 0, retried: 0 };
  let partial = "";
  const onLog = (chunk: string) => {
    if (options.log) appendFileSync(options.log, chunk);
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const batch = parsePortalBatch(line);
      if (!batch) continue;
      batches.total++;
      // The consumer logs phase timings only for batches that ran to the end.
      if (Object.keys(batch.ms).length === 0) batches.retried++;
    }
  };
  const persistTo = mkdtempSync(join(tmpdir(), "autopilot-reliability-"));
  const port = await freePort();
  const start = () =>
    startWorkerProcess({
      port,
      persistTo,
      vars: { ...SECRETS, HUBSPOT_API_BASE: proxy.url, HUBSPOT_PORTAL_ID: String(PORTAL_ID), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` },
      frozen: true,
      testScheduled: true,
      readyTimeoutMs: 120_000,
      log: onLog,
    });
  let worker = await start();
  const admin = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(`${worker.url}/api/admin${path}`, {
      ...init,
      headers: { authorization: `Bearer ${SECRETS.ADMIN_API_TOKEN}`, "content-type": "application/json" },
    });
    if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  await admin(`/portals/${PORTAL_ID}/settings`, { method: "PUT", body: JSON.stringify(options.settings) });
  return {
    hubspot,
    proxy,
    worker: () => worker,
    persistTo,
    limiterRefusals: () => refusals,
    consumerBatches: () => ({ ...batches }),
    admin,
    stopWorker: () => worker.stop(),
    startWorker: async () => {
      worker = await start();
    },
    runBackfillCron: async () => {
      const res = await fetch(`${worker.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
      await res.arrayBuffer();
      return res.status;
    },
    stop: async () => {
      await worker.stop();
      proxy.close();
      await hubspot.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

export type Ledger = { received: number; processed: number; pending: number; byOutcome: Record<string, number> };

export const ledgerOf = (stack: RunStack) => stack.admin<Ledger>(`/portals/${PORTAL_ID}/ledger`);
