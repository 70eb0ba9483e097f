/**
 * Starts the Worker under `wrangler dev` as a child process with its own local state, on a free port: the same
 * runtime `npm start` uses, for end-to-end tests and benchmarks that must not collide with a running stack.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const wrangler = join(root, "node_modules", ".bin", "wrangler");

export type WorkerProcess = {
  url: string;
  port: number;
  persistTo: string;
  /** The `wrangler dev` process (workerd runs as its child): for benchmarks that watch memory. */
  pid: number | undefined;
  stop: () => Promise<void>;
};

export type WorkerOptions = {
  port?: number;
  /** Values for vars and secrets (override wrangler.toml and .dev.vars). */
  vars: Record<string, string>;
  /** Local state directory; a fresh temporary one when absent (removed on stop). */
  persistTo?: string;
  testScheduled?: boolean;
  /**
   * Serve a bundle built once at start instead of watching the sources: a benchmark or test run is not reloaded
   * (which would drop local queue messages) when files change under it.
   */
  frozen?: boolean;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
  /**
   * With `frozen`, false serves the Worker without its queue consumers: intake alone, as Cloudflare runs it apart
   * from the consumers (events stay queued). For benchmarks that measure intake by itself.
   */
  consumers?: boolean;
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(args: string[], log?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(wrangler, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => {
      log?.(output);
      code === 0 ? resolve() : reject(new Error(`wrangler ${args.join(" ")} failed (${code}):\n${output.slice(-2000)}`));
    });
  });
}

/**
 * Bundles the Worker once and writes a config that serves that bundle as is, so `wrangler dev` has no sources to
 * watch. Same bindings and migrations as wrangler.toml.
 */
async function frozenConfig(persistTo: string, log?: (line: string) => void, consumers = true): Promise<string> {
  const outdir = join(persistTo, "bundle");
  await run(["deploy", "--dry-run", "--outdir", outdir], log);
  const full = readFileSync(join(root, "wrangler.toml"), "utf8")
    .replace(/^main = .*$/m, `main = "index.js"\nno_bundle = true\nrules = [{ type = "ESModule", globs = ["**/*.js"] }]`)
    .replace(/^migrations_dir = .*$/m, `migrations_dir = ${JSON.stringify(join(root, "workers", "migrations"))}`);
  // Each consumer block runs up to the next table header.
  const toml = consumers ? full : full.replace(/^\[\[queues\.consumers\]\][^[]*/gm, "");
  const path = join(outdir, "wrangler.toml");
  writeFileSync(path, toml);
  return path;
}

/** Applies the D1 migrations to the local state, then serves the Worker and waits for /healthz. */
export async function startWorkerProcess(options: WorkerOptions): Promise<WorkerProcess> {
  const owned = !options.persistTo;
  const persistTo = options.persistTo ?? mkdtempSync(join(tmpdir(), "autopilot-worker-"));
  const config = options.frozen ? await frozenConfig(persistTo, options.log, options.consumers ?? true) : join(root, "wrangler.toml");
  await run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo, "-c", config], options.log);
  const port = options.port ?? (await freePort());
  const varArgs = Object.entries(options.vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const args = [
    "dev",
    "-c",
    config,
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--persist-to",
    persistTo,
    "--inspector-port",
    String(await freePort()),
    ...varArgs,
  ];
  if (options.testScheduled) args.push("--test-scheduled");
  const child: ChildProcess = spawn(wrangler, args, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  const log = options.log;
  child.stdout?.on("data", (d: Buffer) => log?.(d.toString()));
  child.stderr?.on("data", (d: Buffer) => log?.(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    if (owned) rmSync(persistTo, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { url, port, persistTo, pid: child.pid, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`the Worker did not become healthy on ${url} within the timeout`);
}
