import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { run } from "./dedupe.ts";

let dir: string;
let stderr: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "dedupe-cli-"));
  stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

async function dedupe(csv: string, extra: string[] = []): Promise<{ code: number; out: string | null }> {
  const input = join(dir, "in.csv");
  const output = join(dir, "out.csv");
  writeFileSync(input, csv);
  const code = await run(["--input", input, "--output", output, ...extra]);
  return { code, out: existsSync(output) ? readFileSync(output, "utf8") : null };
}

const GOOD = [
  "\uFEFFemail,id,first_name,last_name,phone,company",
  "bob.stone@acme.com,b2,Bob,Stone,(617) 555-0100,ACME Inc",
  "BOB.STONE@acme.com,a1,Robert,Stone,+16175550100,Acme",
  "info@acme.com,c3,Maria,Lopez,,Acme",
  '"info@acme.com",d4,"Ann, Jr.",Chen,,Acme',
].join("\r\n");

describe("dedupe CLI", () => {
  it("writes id_a,id_b,score,decision with ids ordered, columns in any order and a BOM", async () => {
    const { code, out } = await dedupe(GOOD);
    expect(code).toBe(0);
    const [header, ...rows] = (out ?? "").trim().split("\n");
    expect(header).toBe("id_a,id_b,score,decision");
    expect(rows).toHaveLength(1);
    const [a, b, score, decision] = (rows[0] ?? "").split(",");
    expect([a, b, decision]).toEqual(["a1", "b2", "merge"]);
    expect(Number(score)).toBeGreaterThan(0.99);
    expect(Number(score)).toBeLessThanOrEqual(1);
  });

  it("turns merge pairs into review when the merge threshold is above their score", async () => {
    const { out } = await dedupe(GOOD, ["--merge-threshold", "1", "--review-threshold", "0.5"]);
    expect(out?.trim().split("\n")[1]?.endsWith(",review")).toBe(true);
  });

  it("accepts missing columns", async () => {
    const { code, out } = await dedupe("id,email\n1,a@x.com\n2,A@X.COM\n");
    expect(code).toBe(0);
    expect(out).toContain("1,2,");
  });

  it.each([
    ["an unterminated quote", 'id,email\n1,"a@x.com\n', "line 2"],
    ["a row with too many fields", "id,email\n1,a@x.com,extra\n", "line 2"],
    ["a quote inside a bare field", 'id,email\n1,a"b@x.com\n', "line 2"],
    ["no id column", "email\na@x.com\n", 'no "id" column'],
    ["a repeated id", "id,email\n1,a@x.com\n1,b@x.com\n", "line 3"],
    ["an empty id", "id,email\n,a@x.com\n", "line 2"],
    ["an empty file", "", "line 1"],
  ])("rejects %s naming the line, exits non-zero and writes nothing", async (_name, csv, where) => {
    const { code, out } = await dedupe(csv);
    expect(code).not.toBe(0);
    expect(out).toBeNull();
    expect(stderr).toContain(where);
  });

  it("reads a large file in pieces with quoted line breaks and names the right line of a bad row far down", async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => `${i},"Line one\nline two, ${i}",x${i}@acme.com`);
    const big = ["id,street,email", ...rows].join("\n");
    expect((await dedupe(`${big}\n24999,dup,y@acme.com\n`)).code).toBe(1);
    expect(stderr).toContain("line 50002:");
    stderr = "";
    expect((await dedupe(`${big}\n25000,"never closed,y@acme.com\n25001,a,b\n`)).code).toBe(1);
    expect(stderr).toContain("line 50002: a quoted field is never closed");
    const { code, out } = await dedupe(`${big}\n25000,"Line one\nline two, 0",X0@ACME.COM\n`);
    expect(code).toBe(0);
    expect(out).toContain("0,25000,");
  });

  it.each([
    [["--input"], "needs a value"],
    [["--bogus", "x"], "unknown option"],
    [["--input", "a.csv"], "required"],
    [["--input", "a", "--output", "b", "--merge-threshold", "0.4", "--review-threshold", "0.6"], "must not exceed"],
    [["--input", "a", "--output", "b", "--merge-threshold", "abc"], "probabilities"],
  ])("rejects the arguments %j with usage", async (args, message) => {
    expect(await run(args)).toBe(2);
    expect(stderr).toContain(message);
  });
});
