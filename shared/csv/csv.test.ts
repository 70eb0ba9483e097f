import { describe, expect, it } from "vitest";
import { parseCsv } from "./parse.ts";
import { csvRecords } from "./records.ts";
import { csvField, csvLine } from "./write.ts";

describe("parseCsv", () => {
  it.each([
    ["plain LF", "a,b\n1,2\n", [["1", "2"]]],
    ["CRLF and no trailing newline", "a,b\r\n1,2", [["1", "2"]]],
    ["quoted comma, quote and newline", 'a,b\n"x, y","say ""hi""\nthere"\n', [["x, y", 'say "hi"\nthere']]],
    ["empty trailing field", "a,b\n1,\n", [["1", ""]]],
    ["empty quoted field", 'a,b\n"",2\n', [["", "2"]]],
    ["BOM and unicode", "\uFEFFa,b\nJosé,Ærø\n", [["José", "Ærø"]]],
    ["blank lines skipped", "a,b\n\n1,2\n\n", [["1", "2"]]],
  ])("parses %s", (_name, text, rows) => {
    const parsed = parseCsv(text);
    expect(parsed.ok && parsed.value.rows).toEqual(rows);
    expect(parsed.ok && parsed.value.header).toEqual(["a", "b"]);
  });

  it("reports the line a row starts on, counting newlines inside quotes", () => {
    const parsed = parseCsv('id,note\n1,"two\nlines"\n2,x\n');
    expect(parsed.ok && parsed.value.lines).toEqual([2, 4]);
  });

  it.each([
    ["an unterminated quote", 'a,b\n1,"open\n2,3\n', "csv_unterminated_quote", "line 2"],
    ["a quote inside a bare field", 'a,b\n1,ab"c\n', "csv_bad_quote", "line 2"],
    ["text after a closing quote", 'a,b\n1,"x"y\n', "csv_bad_quote", "line 2"],
    ["no header", "\n\n", "csv_empty", "line 1"],
    ["a repeated column", "id,id\n1,2\n", "csv_duplicate_header", "line 1"],
  ])("rejects %s naming the line", (_name, text, code, where) => {
    const parsed = parseCsv(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe(code);
      expect(parsed.error.message).toContain(where);
    }
  });
});

describe("csvRecords", () => {
  it("keys values by header and rejects ragged rows with their line", () => {
    const good = parseCsv("id,email\n1,a@b.co\n");
    expect(good.ok && csvRecords(good.value)).toEqual({ ok: true, value: [{ line: 2, values: { id: "1", email: "a@b.co" } }] });
    const ragged = parseCsv("id,email\n1,a@b.co\n2\n");
    const result = ragged.ok ? csvRecords(ragged.value) : null;
    expect(result).toEqual({
      ok: false,
      error: { code: "csv_field_count", message: "line 3: expected 2 fields as in the header, found 1" },
    });
  });
});

describe("csvField", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["=SUM(A1)", "'=SUM(A1)"],
    ["+14155550100", "+14155550100"],
    ["-3", "-3"],
  ])("writes %s as %s", (input, output) => expect(csvField(input)).toBe(output));

  it("round-trips through the parser", () => {
    const fields = ["x", 'q"uote', "new\nline", "", "a,b"];
    const parsed = parseCsv(csvLine(["h1", "h2", "h3", "h4", "h5"]) + csvLine(fields));
    expect(parsed.ok && parsed.value.rows[0]).toEqual(fields);
  });
});
