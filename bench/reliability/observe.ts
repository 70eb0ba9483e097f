/**
 * What the reliability benchmark watches from outside the Worker: every HubSpot call (through a recording proxy), the
 * Worker process's memory, and its local D1 database.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

export type ApiCall = { at: number; method: string; path: string; status: number; ms: number };

export type RecordingProxy = { url: string; calls: ApiCall[]; close(): void };

/** A proxy in front of the local HubSpot that records each call's time, method, path, status and duration. */
export async function recordingProxy(target: string): Promise<RecordingProxy> {
  const calls: ApiCall[] = [];
  const server = createServer(async (req, res) => {
    const at = Date.now();
    const method = req.method ?? "GET";
    const path = (req.url ?? "").split("?")[0] ?? "";
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === "string" && k !== "host")) as Record<
      string,
      string
    >;
    try {
      const upstream = await fetch(`${target}${req.url}`, {
        method,
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      const body = Buffer.from(await upstream.arrayBuffer());
      calls.push({ at, method, path, status: upstream.status, ms: Date.now() - at });
      // The Worker may have given up already (its own timeout): writing to a closed socket is fine.
      res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
      res.end(body);
    } catch {
      calls.push({ at, method, path, status: 502, ms: Date.now() - at });
      if (!res.headersSent) res.writeHead(502).end();
    }
  });
  // Longer than any pause between consumer batches: a pooled connection the proxy closed while idle would make the
  // Worker's next call fail with "Network connection lost" (workerd), which is not HubSpot's doing.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    calls,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}

/** The most calls that arrived within any rolling 10-second window. */
export function maxPerWindow(calls: readonly ApiCall[], windowMs = 10_000): number {
  const times = calls.map((c) => c.at).sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

/** p50 / p99 / max of how long the local HubSpot took to answer, as the proxy saw it. */
export function latencySummary(calls: readonly ApiCall[]): string {
  const ms = calls.map((c) => c.ms).sort((a, b) => a - b);
  if (ms.length === 0) return "no calls";
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)] ?? 0;
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${ms.at(-1)} ms`;
}

/** Calls per status, e.g. `200: 310, 429: 12, lost: 3`. */
export function statusCounts(calls: readonly ApiCall[]): string {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(String(c.status), (counts.get(String(c.status)) ?? 0) + 1);
  return [...counts]
    .sort()
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
}

function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid (after the parenthesised command name).
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return out;
}

function rssKb(pid: number): { name: string; kb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const name = /^Name:\s+(.+)$/m.exec(status)?.[1] ?? "?";
    const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    return { name, kb };
  } catch {
    return null;
  }
}

export type MemorySample = { at: number; workerdMb: number; totalMb: number };

/** Samples the RSS of a process tree (wrangler and its workerd) every `everyMs`, until stopped. */
export function sampleMemory(pid: () => number | undefined, everyMs = 5_000) {
  const samples: MemorySample[] = [];
  const take = () => {
    const root = pid();
    if (!root) return;
    let workerd = 0;
    let total = 0;
    for (const p of processTree(root)) {
      const r = rssKb(p);
      if (!r) continue;
      total += r.kb;
      if (r.name.startsWith("workerd")) workerd += r.kb;
    }
    samples.push({ at: Date.now(), workerdMb: workerd / 1024, totalMb: total / 1024 });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      take();
    },
  };
}

/** Memory over a run: first, quarter points and last sample, plus the peak and the growth over the second half. */
export function memorySummary(samples: readonly MemorySample[], startedAt: number): string {
  if (samples.length === 0) return "no samples";
  const pick = (q: number) => samples[Math.min(samples.length - 1, Math.round(q * (samples.length - 1)))] as MemorySample;
  const points = [0, 0.25, 0.5, 0.75, 1].map(pick);
  const peak = Math.max(...samples.map((s) => s.workerdMb));
  const half = pick(0.5).workerdMb;
  const last = pick(1).workerdMb;
  const series = points.map((s) => `${((s.at - startedAt) / 1000).toFixed(0)}s ${s.workerdMb.toFixed(0)}`).join(", ");
  return `workerd RSS MB at ${series}; peak ${peak.toFixed(0)}; second half ${last >= half ? "+" : ""}${(last - half).toFixed(0)} MB (wrangler+workerd ${pick(1).totalMb.toFixed(0)} MB at the end)`;
}

/** Opens the Worker's local D1 database (under `wrangler dev --persist-to`) read-only. */
export function openLocalD1(persistTo: string): DatabaseSync {
  const dir = join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sqlite"))) {
    const db = new DatabaseSync(join(dir, file), { readOnly: true });
    const has = db.prepare("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = 'event_ledger'").get();
    if (has) return db;
    db.close();
  }
  throw new Error(`no local D1 database with an event ledger under ${dir}`);
}
