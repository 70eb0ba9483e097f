import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../csv/parse.ts";
import { csvRecords } from "../csv/records.ts";
import { csvLine } from "../csv/write.ts";

/** Text built from the characters that matter to CSV, plus any Unicode. */
const csvish = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(",", '"', '""', "\n", "\r\n", "\r", "\uFEFF", " ", "a", "1", "é") },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 5 }) },
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(""));

// Header names are trimmed by the parser, so generated ones have no outer whitespace.
// A field the writer leaves as it is: formula-looking text gets a leading quote, by design.
const plainField = fc.string({ unit: "grapheme", maxLength: 12 }).filter((f) => !/^[=+\-@\t\r]/.test(f));

/** A table with a unique header and rows of its width; a lone empty field is a blank line, which the parser skips. */
const table = fc
  .uniqueArray(
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }).filter((h) => h.trim() === h && !/^[=+\-@\t\r\uFEFF]/.test(h)),
    { minLength: 1, maxLength: 6 },
  )
  .chain((header) =>
    fc.tuple(
      fc.constant(header),
      fc
        .array(fc.array(plainField, { minLength: header.length, maxLength: header.length }), { maxLength: 10 })
        .map((rows) => rows.filter((r) => r.length !== 1 || r[0] !== "")),
    ),
  );

describe("parseCsv under hostile input", () => {
  it("never throws, and every refusal names a line that exists", () => {
    fc.assert(
      fc.property(fc.oneof(csvish, fc.string({ unit: "binary", maxLength: 200 })), (text) => {
        const parsed = parseCsv(text);
        if (parsed.ok) {
          expect(parsed.value.lines.length).toBe(parsed.value.rows.length);
          for (let i = 1; i < parsed.value.lines.length; i++) expect(parsed.value.lines[i]).toBeGreaterThan(parsed.value.lines[i - 1] ?? 0);
          const records = csvRecords(parsed.value);
          if (!records.ok) expect(records.error.message).toMatch(/^line \d+: /);
          return;
        }
        const line = Number(/line (\d+)/.exec(parsed.error.message)?.[1]);
        expect(line).toBeGreaterThanOrEqual(1);
        // The parser ends a line at LF, CRLF or a lone CR (old Mac exports).
        expect(line).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length);
      }),
      { numRuns: 2_000 },
    );
  });

  it("reads back what the writer wrote, with LF or CRLF and with or without a BOM", () => {
    fc.assert(
      fc.property(table, fc.boolean(), fc.boolean(), ([header, rows], crlf, bom) => {
        let text = csvLine(header) + rows.map(csvLine).join("");
        // Only record ends become CRLF: the writer quotes fields holding a newline, and those stay as they are.
        if (crlf) text = [header, ...rows].map((r) => csvLine(r).replace(/\n$/, "\r\n")).join("");
        const parsed = parseCsv(bom ? `\uFEFF${text}` : text);
        expect(parsed.ok && parsed.value.header).toEqual(header);
        expect(parsed.ok && parsed.value.rows).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });

  it("names the line of a ragged row, counting newlines inside quoted fields", () => {
    fc.assert(
      fc.property(table, fc.nat(), (tableValue, pick) => {
        const [header, rows] = tableValue;
        fc.pre(rows.length > 0 && header.length > 1);
        const bad = pick % rows.length;
        const ragged = rows.map((r, i) => (i === bad ? r.slice(0, -1) : r));
        // A row of one empty field is a blank line, which the parser skips rather than calls ragged.
        fc.pre(ragged[bad]?.join("") !== "" || (ragged[bad]?.length ?? 0) > 1);
        const text = csvLine(header) + ragged.map(csvLine).join("");
        const parsed = parseCsv(text);
        if (!parsed.ok) throw new Error(parsed.error.message);
        const records = csvRecords(parsed.value);
        // The line is 1 (header) + the physical lines the rows before it take, newlines in quoted fields included.
        const expected =
          2 + ragged.slice(0, bad).reduce((n, r) => n + csvLine(r).split("\n").length - 1, 0) + (csvLine(header).split("\n").length - 2);
        expect(records.ok).toBe(false);
        if (!records.ok) expect(records.error.message).toContain(`line ${expected}:`);
      }),
      { numRuns: 300 },
    );
  });
});
