/**
 * `npm run bench cold-start [-- --runs 5] [--root DIR[,DIR...]] [--skip-dev] [--keep]`: the Worker's bundle size and
 * startup cost.
 *
 * 1. Bundle: `wrangler deploy --dry-run` (raw and gzip as wrangler reports them; the biggest packages from the
 *    esbuild metafile).
 * 2. Startup CPU: `wrangler check startup` on that bundle — a CPU profile of the script's startup phase in local
 *    workerd, the phase Cloudflare holds to a 1 s CPU limit (`Active` = CPU time sampled, GC included).
 * 3. Under `wrangler dev` with the frozen bundle: milliseconds from spawning it to the first `GET /healthz` 200,
 *    then the first request's latency against warm ones; and the same for a trivial Worker with the same bindings,
 *    so the difference is what our bundle adds to the tooling's own start.
 * `--root` measures other checkouts (e.g. exports of two commits with `node_modules` linked in); with several, their
 * runs alternate so a change in the machine's load falls on each alike.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { freePort } from "../scripts/worker-process.ts";
import { arg, percentile, printTable, sleep } from "./_util.ts";

const repo = fileURLToPath(new URL("..", import.meta.url));
const wrangler = join(repo, "node_modules", ".bin", "wrangler");

function wranglerRun(root: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(wrangler, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => (code === 0 ? done(out) : fail(new Error(`wrangler ${args.join(" ")} (${code}):\n${out.slice(-1500)}`))));
  });
}

type Bundle = { dir: string; rawKiB: number; gzipKiB: number; ownGzipKiB: number; packages: Array<[string, number]> };

async function buildBundle(root: string, dir: string): Promise<Bundle> {
  const out = await wranglerRun(root, [
    "deploy",
    "--dry-run",
    "--outdir",
    dir,
    "--outfile",
    join(dir, "worker.bundle"),
    "--metafile",
    join(dir, "meta.json"),
  ]);
  const sizes = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(out);
  const script = readFileSync(join(dir, "index.js"));
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const output = Object.entries(meta.outputs).find(([name]) => name.endsWith("index.js"))?.[1];
  const byPackage = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.split("/").slice(0, 2).join("/");
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
  }
  return {
    dir,
    rawKiB: Number(sizes?.[1] ?? script.byteLength / 1024),
    gzipKiB: Number(sizes?.[2] ?? Number.NaN),
    ownGzipKiB: gzipSync(script, { level: 9 }).byteLength / 1024,
    packages: [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8),
  };
}

type StartupProfile = { activeMs: number; gcMs: number; sampledMs: number };

async function checkStartup(root: string, bundle: Bundle, run: number): Promise<StartupProfile> {
  const out = await wranglerRun(root, [
    "check",
    "startup",
    "--worker",
    join(bundle.dir, "worker.bundle"),
    "--outfile",
    join(bundle.dir, `startup-${run}.cpuprofile`),
  ]);
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? Number.NaN);
  return {
    activeMs: num(/Active: ([\d.]+) ms/),
    gcMs: num(/including ([\d.]+) ms garbage collection/),
    sampledMs: num(/Sampled time: ([\d.]+) ms/),
  };
}

/**
 * Serves `script` under `wrangler dev` as is: our wrangler.toml's bindings, no bundling, no queue consumers. The
 * folder holds the script and config only (wrangler attaches and watches every file beside the script).
 */
function frozenConfig(root: string, dir: string, name: string, script: string): string {
  const serve = join(dir, `serve-${name}`);
  mkdirSync(serve);
  writeFileSync(join(serve, "worker.js"), script);
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8")
    .replace(/^main = .*$/m, `main = "worker.js"\nno_bundle = true\nrules = [{ type = "ESModule", globs = ["**/*.js"] }]`)
    .replace(/^migrations_dir = .*$/m, `migrations_dir = ${JSON.stringify(join(root, "workers", "migrations"))}`)
    .replace(/^\[\[queues\.consumers\]\][^[]*/gm, "");
  writeFileSync(join(serve, "wrangler.toml"), toml);
  return join(serve, "wrangler.toml");
}

/** A Worker that does nothing, with the classes and handlers our config names: the tooling's own start. */
const TRIVIAL_WORKER = `import { DurableObject } from "cloudflare:workers";
export class PortalDurableObject extends DurableObject {}
export default { fetch() { return new Response("ok"); }, queue() {}, scheduled() {} };
`;

type DevStart = { listeningMs: number; readyMs: number; firstMs: number; warmP50Ms: number };

/**
 * Spawns `wrangler dev` and times it: until it prints "Ready on" (its proxy listens), until the first `/healthz`
 * 200 (the request is sent at "Ready" and held until the runtime serves it), then 30 warm requests.
 */
async function devStart(root: string, config: string, persistTo: string): Promise<DevStart> {
  // /healthz reads D1: its schema is in place before the clock starts, as under `npm start`.
  await wranglerRun(root, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo, "-c", config]);
  const port = await freePort();
  const args = ["dev", "-c", config, "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persistTo];
  const started = performance.now();
  const child: ChildProcess = spawn(wrangler, [...args, "--inspector-port", String(await freePort())], {
    cwd: root,
    stdio: ["ignore", "pipe", "ignore"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  let listeningMs = Number.NaN;
  child.stdout?.on("data", (d: Buffer) => {
    if (Number.isNaN(listeningMs) && d.toString().includes("Ready on")) listeningMs = performance.now() - started;
  });
  try {
    const url = `http://127.0.0.1:${port}/healthz`;
    const get = () => fetch(url, { signal: AbortSignal.timeout(30_000) });
    const deadline = started + 90_000;
    while (Number.isNaN(listeningMs) && performance.now() < deadline && child.exitCode === null) await sleep(5);
    let readyMs = Number.NaN;
    let firstMs = Number.NaN;
    while (Number.isNaN(readyMs)) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
      if (performance.now() > deadline) throw new Error("no /healthz 200 within 90 s");
      const sent = performance.now();
      const ok = await get()
        .then(async (r) => {
          await r.arrayBuffer();
          return r.ok;
        })
        .catch(() => false);
      if (ok) {
        readyMs = performance.now() - started;
        firstMs = performance.now() - sent;
      } else await sleep(10);
    }
    const warm: number[] = [];
    for (let i = 0; i < 30; i++) {
      const sent = performance.now();
      await (await get()).arrayBuffer();
      warm.push(performance.now() - sent);
    }
    warm.sort((a, b) => a - b);
    return { listeningMs, readyMs, firstMs, warmP50Ms: percentile(warm, 0.5) ?? Number.NaN };
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGINT");
    await Promise.race([exited, sleep(5_000)]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const spread = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return `median ${ms(percentile(s, 0.5) ?? Number.NaN)} (min ${ms(s[0] ?? Number.NaN)}, max ${ms(s.at(-1) ?? Number.NaN)}, n=${s.length})`;
};

type Target = { label: string; root: string; bundle: Bundle; profiles: StartupProfile[]; config?: string; dev: DevStart[] };

export async function run(args: string[]): Promise<void> {
  const runs = Math.max(1, Number(arg(args, "runs", "5")) || 5);
  const roots = arg(args, "root", repo)
    .split(",")
    .map((r) => resolve(r));
  for (const root of roots) if (!existsSync(join(root, "wrangler.toml"))) throw new Error(`no wrangler.toml in ${root}`);
  const dir = mkdtempSync(join(tmpdir(), "cold-start-"));
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  try {
    process.stdout.write(`cold start of ${roots.join(", ")} (load average ${load()})\n`);
    const targets: Target[] = [];
    for (const [i, root] of roots.entries()) {
      const label = roots.length > 1 ? `#${i + 1} ${basename(root)}` : "ours";
      const out = join(dir, `build-${i}`);
      mkdirSync(out);
      targets.push({ label, root, bundle: await buildBundle(root, out), profiles: [], dev: [] });
    }
    for (const t of targets) {
      printTable(`bundle of ${t.label} (wrangler deploy --dry-run)`, [
        [
          "upload",
          `${t.bundle.rawKiB.toFixed(1)} KiB raw / ${t.bundle.gzipKiB.toFixed(1)} KiB gzip (index.js gzip -9: ${t.bundle.ownGzipKiB.toFixed(1)} KiB)`,
        ],
        ...t.bundle.packages.map(([pkg, bytes]) => [`  ${pkg}`, `${(bytes / 1024).toFixed(0)} KiB`] as [string, string]),
      ]);
    }

    // Runs alternate between the bundles (and the trivial Worker), so a change in the machine's load falls on all alike.
    for (let i = 0; i < runs; i++) for (const t of targets) t.profiles.push(await checkStartup(t.root, t.bundle, i));
    printTable(
      "startup CPU (wrangler check startup, local workerd; Cloudflare's limit: 1 s)",
      targets.flatMap(
        (t): Array<[string, string]> => [
          [`${t.label}: active (CPU sampled)`, spread(t.profiles.map((p) => p.activeMs))],
          [`${t.label}: of which GC`, spread(t.profiles.map((p) => p.gcMs))],
          ...(args.includes("--keep") ? [[`${t.label}: profile`, join(t.bundle.dir, "startup-0.cpuprofile")] as [string, string]] : []),
        ],
      ),
    );

    if (!args.includes("--skip-dev")) {
      const first = targets[0] as Target;
      const trivial: Target = { ...first, label: "trivial Worker", profiles: [], dev: [] };
      trivial.config = frozenConfig(first.root, dir, "trivial", TRIVIAL_WORKER);
      targets.forEach((t, n) => {
        t.config = frozenConfig(t.root, dir, `bundle-${n}`, readFileSync(join(t.bundle.dir, "index.js"), "utf8"));
      });
      for (let i = 0; i < runs; i++) {
        for (const t of [...targets, trivial]) {
          const persistTo = join(dir, `state-${i}`);
          t.dev.push(await devStart(t.root, t.config as string, persistTo));
          rmSync(persistTo, { recursive: true, force: true });
        }
      }
      const rows = (t: Target): Array<[string, string]> => [
        [`${t.label}: spawn → "Ready on"`, spread(t.dev.map((x) => x.listeningMs))],
        [`${t.label}: spawn → first /healthz 200`, spread(t.dev.map((x) => x.readyMs))],
        [`${t.label}: first request (sent at "Ready")`, spread(t.dev.map((x) => x.firstMs))],
        [`${t.label}: warm request p50`, spread(t.dev.map((x) => x.warmP50Ms))],
      ];
      printTable("wrangler dev with the frozen bundle", [...targets.flatMap(rows), ...rows(trivial)]);
    }
    process.stdout.write(`\nload average after: ${load()}\n`);
  } finally {
    if (!args.includes("--keep")) rmSync(dir, { recursive: true, force: true });
    else process.stdout.write(`kept ${dir}\n`);
  }
}
