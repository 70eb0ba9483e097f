/**
 * `npm start`: brings the product up on its embedded default — the Worker under `wrangler dev` with local D1,
 * Queues and Durable Objects — with no account or secret. Ctrl-C stops everything it started.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensureDevVars } from "./ensure-dev-vars.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = process.env.PORT ?? "8787";
const wrangler = `${root}node_modules/.bin/wrangler`;

function run(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(wrangler, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

if (ensureDevVars()) console.log("created .dev.vars with generated development secrets");
const migrated = await run(["d1", "migrations", "apply", "DB", "--local"]);
if (migrated !== 0) process.exit(migrated);

const dev = spawn(wrangler, ["dev", "--ip", "127.0.0.1", "--port", port, "--test-scheduled"], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
});
const stop = () => dev.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
dev.on("exit", (code) => process.exit(code ?? 0));
console.log(`Worker: http://127.0.0.1:${port}  (health: http://127.0.0.1:${port}/healthz)`);
