/**
 * `npm run preview`: bundles preview/main.tsx with esbuild, pointing `@hubspot/ui-extensions` at the DOM stand-ins
 * in preview/ui-dom.tsx, and serves the page. `startPreview({ port: 0 })` is what the browser test uses.
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { build } from "esbuild";

const here = import.meta.dirname;

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CRM Autopilot: local preview (approximation of HubSpot)</title>
<link rel="stylesheet" href="/style.css"></head><body><div id="root"></div><script type="module" src="/app.js"></script></body></html>`;

/** Bundles the preview once, in memory. */
export async function bundlePreview(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, "main.tsx")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    minify: true,
    logLevel: "silent",
    alias: { "@hubspot/ui-extensions": join(here, "ui-dom.tsx") },
    define: { "process.env.NODE_ENV": '"production"' },
  });
  return result.outputFiles[0]?.text ?? "";
}

/** Serves the preview on `port` (0: any free port) and resolves once it listens. */
export async function startPreview({ port = 0, host = "127.0.0.1" } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const [js, css] = await Promise.all([bundlePreview(), readFile(join(here, "style.css"), "utf8")]);
  const files: Record<string, [string, string]> = {
    "/": ["text/html; charset=utf-8", page],
    "/app.js": ["text/javascript; charset=utf-8", js],
    "/style.css": ["text/css; charset=utf-8", css],
  };
  const server = createServer((req, res) => {
    const file = files[(req.url ?? "/").split("?")[0] ?? "/"];
    res.writeHead(file ? 200 : 404, { "content-type": file?.[0] ?? "text/plain", "cache-control": "no-store" });
    res.end(file?.[1] ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}/`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const preview = await startPreview({ port: Number(process.env.PORT ?? 5178) });
  process.stdout.write(`Preview (an approximation of HubSpot's look) on ${preview.url}; Ctrl-C stops it.\n`);
  process.on("SIGINT", () => void preview.close().then(() => process.exit(0)));
}
