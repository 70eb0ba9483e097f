import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseCsv } from "../shared/csv/parse.ts";
import { run } from "./hygiene.ts";

let dir: string;
let stderr: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hygiene-cli-"));
  stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

async function hygiene(csv: string, extra: string[] = []): Promise<{ code: number; out: string | null }> {
  const input = join(dir, "in.csv");
  const output = join(dir, "out.csv");
  writeFileSync(input, csv);
  const code = await run(["--input", input, "--output", output, ...extra]);
  return { code, out: existsSync(output) ? readFileSync(output, "utf8") : null };
}

/** Output rows as objects by header. */
function table(out: string | null): Record<string, string>[] {
  const parsed = parseCsv(out ?? "");
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.rows.map((r) => Object.fromEntries(parsed.value.header.map((h, i) => [h, r[i] ?? ""])));
}

const GOOD = [
  "\uFEFFnotes,email,id,first_name,last_name,phone,company,job_title,state,country,website",
  '"hi, there",John@Acme.COM,1,JOHN,o\'brien,(415) 555-2671,ACME INC,VP Sales,california,USA,www.acme.com',
  ",ana@telefonica.es,,Ana,de la cruz,+34 912 345 678,Telefónica,Directora Comercial,,España,https://telefonica.es/",
].join("\r\n");

describe("hygiene CLI", () => {
  it("writes every input column, then normalised columns, job level and function, score and findings", async () => {
    const { code, out } = await hygiene(GOOD);
    expect(code).toBe(0);
    const header = (out ?? "").split("\n")[0];
    expect(header).toBe(
      "notes,email,id,first_name,last_name,phone,company,job_title,state,country,website," +
        "email_normalized,first_name_normalized,last_name_normalized,phone_normalized,company_normalized,job_title_normalized," +
        "state_normalized,country_normalized,website_normalized,job_seniority,job_function,score,findings",
    );
    const [john, ana] = table(out);
    expect(john).toMatchObject({
      notes: "hi, there",
      email: "John@Acme.COM",
      email_normalized: "john@acme.com",
      first_name_normalized: "John",
      last_name_normalized: "O'Brien",
      phone_normalized: "+14155552671",
      company_normalized: "Acme Inc.",
      state_normalized: "CA",
      country_normalized: "US",
      website_normalized: "acme.com",
      job_seniority: "vp",
      job_function: "sales",
    });
    expect(ana).toMatchObject({ id: "", phone_normalized: "+34912345678", country_normalized: "ES", last_name_normalized: "de la Cruz" });
  });

  it("scores 0–100 and lists findings as JSON with CSV column names and fixes", async () => {
    const [john] = table((await hygiene(GOOD)).out);
    const score = Number(john?.score);
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThanOrEqual(100);
    const findings = JSON.parse(john?.findings ?? "[]") as {
      code: string;
      field: string;
      severity: string;
      message: string;
      fix: unknown;
    }[];
    expect(findings).toContainEqual(
      expect.objectContaining({ code: "name_casing", field: "first_name", severity: "info", fix: { value: "John", safe: true } }),
    );
    expect(findings.map((f) => Object.keys(f))).toEqual(findings.map(() => ["code", "field", "severity", "message", "fix"]));
  });

  it("scores a clean row higher than a broken one", async () => {
    const csv =
      "id,first_name,last_name,email,phone,country\nok,Jo,Doe,jo@acme.com,+14155552671,United States\nbad,12,@,jo@acme,12,Atlantis\n";
    const [ok, bad] = table((await hygiene(csv)).out);
    expect(Number(ok?.score)).toBe(100);
    expect(Number(bad?.score)).toBeLessThan(40);
  });

  it("flags rows sharing an email as suspected duplicates, rows without id included", async () => {
    const csv = "email,first_name\njo@acme.com,Jo\njo@acme.com,Jo\n";
    const rows = table((await hygiene(csv)).out);
    expect(rows.map((r) => JSON.parse(r.findings ?? "[]").map((f: { code: string }) => f.code))).toEqual([
      ["duplicate_suspected"],
      ["duplicate_suspected"],
    ]);
  });

  it("accepts a file with only some columns and requires only those", async () => {
    const { code, out } = await hygiene("id,email\n1,jo@acme.com\n");
    expect(code).toBe(0);
    expect(table(out)[0]).toMatchObject({ email_normalized: "jo@acme.com", score: "100", findings: "[]" });
  });

  it("uses --region for numbers without a calling code", async () => {
    const { out } = await hygiene("id,phone\n1,030 901820\n", ["--region", "DE"]);
    expect(table(out)[0]?.phone_normalized).toBe("+4930901820");
  });

  it.each([
    ["an unterminated quote", 'id,email\n1,"a@x.com\n', "line 2"],
    ["a quote inside a field", 'id,email\n1,a"b@x.com\n', "line 2"],
    ["a short row", "id,email,phone\n1,a@x.com,1\n2,b@x.com\n", "line 3"],
    ["an empty file", "", "line 1"],
    ["a duplicate header", "id,email,email\n1,a,b\n", "line 1"],
  ])("rejects %s naming the line, exits 1 and writes no output", async (_what, csv, line) => {
    const { code, out } = await hygiene(csv);
    expect(code).toBe(1);
    expect(out).toBeNull();
    expect(stderr).toContain(line);
    expect(readdirSync(dir)).toEqual(["in.csv"]);
  });

  it.each([
    [["--input", "x.csv"]],
    [["--input", "a", "--output", "b", "--bogus", "1"]],
    [["--input", "a", "--output", "b", "--region", "USA"]],
  ])("exits 2 with usage for %j", async (args) => {
    expect(await run(args)).toBe(2);
    expect(stderr).toContain("usage:");
  });

  it("exits 1 when the input cannot be read", async () => {
    expect(await run(["--input", join(dir, "missing.csv"), "--output", join(dir, "o.csv")])).toBe(1);
    expect(existsSync(join(dir, "o.csv"))).toBe(false);
  });
});
