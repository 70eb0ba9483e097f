/** Creates `.dev.vars` with generated development secrets when it is missing, so `wrangler dev` needs no account. */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export function devVarsPath(): string {
  return `${root}.dev.vars`;
}

export function ensureDevVars(path = devVarsPath()): boolean {
  if (existsSync(path)) return false;
  const example = readFileSync(`${root}.dev.vars.example`, "utf8");
  const generated: Record<string, string> = {
    HUBSPOT_CLIENT_SECRET: randomBytes(24).toString("hex"),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ADMIN_API_TOKEN: randomBytes(24).toString("hex"),
  };
  const body = example
    .split("\n")
    .filter((line) => !line.startsWith("#"))
    .map((line) => {
      const key = line.split("=")[0] ?? "";
      return key in generated ? `${key}=${generated[key]}` : line;
    })
    .join("\n");
  writeFileSync(path, `# Generated for local development by scripts/ensure-dev-vars.ts\n${body}`, { mode: 0o600 });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (ensureDevVars()) process.stderr.write("created .dev.vars with generated development secrets\n");
}
