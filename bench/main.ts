/**
 * `npm run bench <name> [options]`: runs `bench/<name>.ts`, which exports `run(args): Promise<void>` and prints its
 * figures. Figures worth keeping go to `bench/RESULTS.md` by hand, with the date and the machine.
 */
import { readdirSync } from "node:fs";

const available = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".ts") && f !== "main.ts" && !f.endsWith(".test.ts") && !f.startsWith("_"))
  .map((f) => f.slice(0, -3));

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench <name>\n\nbenchmarks: ${available.join(", ") || "(none yet)"}\n`);
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as { run: (args: string[]) => Promise<void> };
await mod.run(args);
