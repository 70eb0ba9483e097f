import { createServer } from "node:http";

/** Small helpers the benchmarks share. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function arg(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function printTable(title: string, rows: ReadonlyArray<readonly [string, string]>): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n${title}\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n")}\n`);
}

export type CallCounts = { total: number; byPath: Map<string, number> };

/** A counting proxy in front of the local HubSpot, so each phase's API calls are known (and by method and path). */
export async function countingProxy(target: string, counts: CallCounts): Promise<{ url: string; close: () => void }> {
  const server = createServer(async (req, res) => {
    counts.total++;
    const key = `${req.method} ${(req.url ?? "").split("?")[0] ?? ""}`;
    counts.byPath.set(key, (counts.byPath.get(key) ?? 0) + 1);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === "string" && k !== "host")) as Record<
      string,
      string
    >;
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`, close: () => server.close() };
}

/** The consumer's `portal_batch` log line: one portal's share of a queue batch, with milliseconds per phase. */
export type PortalBatchLine = { events: number; records: number; apiCalls: number; ms: Record<string, number> };

/** Reads a `portal_batch` log line (JSON from its first brace), its `ms_<phase>` fields gathered into `ms`. */
export function parsePortalBatch(line: string): PortalBatchLine | null {
  const at = line.indexOf("{");
  if (at < 0 || !line.includes('"portal_batch"')) return null;
  try {
    const raw = JSON.parse(line.slice(at)) as Record<string, unknown>;
    const ms = Object.fromEntries(
      Object.entries(raw)
        .filter(([k, v]) => k.startsWith("ms_") && typeof v === "number")
        .map(([k, v]) => [k.slice(3), v as number]),
    );
    return { events: Number(raw.events), records: Number(raw.records), apiCalls: Number(raw.apiCalls), ms };
  } catch {
    return null;
  }
}

/** Rows for `printTable`: how many consumer batches, their sizes, and p50 / p95 milliseconds per phase. */
export function batchPhaseRows(batches: readonly PortalBatchLine[]): Array<[string, string]> {
  if (batches.length === 0) return [["consumer batches", "none logged"]];
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  const events = sorted(batches.map((b) => b.events));
  const phases = [...new Set(batches.flatMap((b) => Object.keys(b.ms)))];
  const total = sorted(batches.map((b) => Object.values(b.ms).reduce((s, x) => s + x, 0)));
  const cell = (xs: number[]) => `${percentile(xs, 0.5)}/${percentile(xs, 0.95)}`;
  return [
    ["consumer batches (events p50 / max)", `${batches.length} (${percentile(events, 0.5)} / ${events.at(-1)})`],
    [
      "consumer batch ms p50/p95 by phase",
      `total ${cell(total)}; ${phases.map((p) => `${p} ${cell(sorted(batches.map((b) => b.ms[p] ?? 0)))}`).join(", ")}`,
    ],
  ];
}
