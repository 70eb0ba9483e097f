/**
 * `npm run --silent cli -- <command> [options]`: tools that work on CSV exports, offline. Each command lives in
 * `cli/<command>.ts` and exports `run(args): Promise<number>` (the exit code).
 */
const COMMANDS: Record<string, { file: string; summary: string }> = {
  hygiene: { file: "./hygiene.ts", summary: "normalise and score contacts: --input contacts.csv --output scored.csv" },
  dedupe: { file: "./dedupe.ts", summary: "find duplicate contacts: --input contacts.csv --output pairs.csv" },
  route: { file: "./route.ts", summary: "what-if owner routing: --settings settings.json --input leads.csv --output routed.csv" },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `usage: npm run --silent cli -- <command> [options]\n\ncommands:\n${lines.join("\n")}\n`;
}

const [command, ...args] = process.argv.slice(2);
const entry = command ? COMMANDS[command] : undefined;
if (!entry) {
  process.stderr.write(command ? `unknown command "${command}"\n\n${usage()}` : usage());
  process.exit(2);
}
const mod = (await import(entry.file).catch(() => null)) as { run: (args: string[]) => Promise<number> } | null;
if (!mod) {
  process.stderr.write(`command "${command}" is not available in this build\n`);
  process.exit(2);
}
process.exitCode = await mod.run(args);

export {};
