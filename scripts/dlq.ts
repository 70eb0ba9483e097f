/**
 * `npm run dlq -- list [--portal ID] [--limit N]` and `npm run dlq -- replay ID [ID...]`: inspect and replay the
 * dead letters of a running Worker through its admin API. The Worker's origin is `WORKER_URL` (default
 * http://127.0.0.1:$PORT or :8787); the token is `ADMIN_API_TOKEN` from the environment or `.dev.vars`.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

function devVar(name: string): string | undefined {
  if (process.env[name]) return process.env[name];
  const path = fileURLToPath(new URL("../.dev.vars", import.meta.url));
  if (!existsSync(path)) return undefined;
  const line = readFileSync(path, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}=`));
  return line?.slice(name.length + 1).trim();
}

const base = process.env.WORKER_URL ?? `http://127.0.0.1:${process.env.PORT ?? "8787"}`;
const token = devVar("ADMIN_API_TOKEN");
const [command, ...rest] = process.argv.slice(2);

async function call(path: string, init?: RequestInit): Promise<unknown> {
  const res = await fetch(`${base}/api/admin${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status}: ${JSON.stringify(body)}`);
  return body;
}

function flag(name: string): string | undefined {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
}

if (!token) {
  console.error("ADMIN_API_TOKEN is not set (in the environment or .dev.vars)");
  process.exit(2);
}
try {
  if (command === "list") {
    const qs = new URLSearchParams();
    if (flag("portal")) qs.set("portal", String(flag("portal")));
    if (flag("limit")) qs.set("limit", String(flag("limit")));
    const { deadLetters } = (await call(`/dead-letters?${qs}`)) as { deadLetters: Array<Record<string, unknown>> };
    for (const d of deadLetters) {
      const when = new Date(Number(d.created_at)).toISOString();
      const seen =
        Number(d.times_seen ?? 1) > 1 ? `\t(seen ${d.times_seen} times, last ${new Date(Number(d.last_seen_at)).toISOString()})` : "";
      console.log(`${d.id}\t${when}\t${d.portal_key ?? "-"}\t${d.reason_code}\t${d.reason}${seen}${d.replayed_at ? "\t(replayed)" : ""}`);
    }
    console.log(`${deadLetters.length} dead letter(s)`);
  } else if (command === "replay") {
    const ids = rest.map(Number).filter(Number.isInteger);
    if (ids.length === 0) throw new Error("replay needs dead-letter ids: npm run dlq -- replay 12 13");
    console.log(JSON.stringify(await call("/dead-letters/replay", { method: "POST", body: JSON.stringify({ ids }) })));
  } else {
    console.error("usage: npm run dlq -- list [--portal ID] [--limit N] | replay ID [ID...]");
    process.exit(2);
  }
} catch (cause) {
  console.error(cause instanceof Error ? cause.message : String(cause));
  process.exit(1);
}
