import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FINDING_CODES } from "./codes.ts";

describe("finding codes", () => {
  it("documents every code in README.md with its part and severity, and nothing else", () => {
    const readme = readFileSync(new URL("./README.md", import.meta.url), "utf8");
    const rows = [...readme.matchAll(/^\| `(\w+)` \| (\w+) \| (\w+) \|/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual(Object.entries(FINDING_CODES).map(([code, d]) => [code, d.part, d.severity]));
  });
});
