import { err, ok, type Result } from "../result.ts";

export type CsvTable = { header: string[]; rows: string[][]; lines: number[] };
export type CsvErrorCode = "csv_unterminated_quote" | "csv_bad_quote" | "csv_empty" | "csv_duplicate_header";

/**
 * Parses RFC 4180 CSV (quoted fields with `""` escapes and embedded newlines; CRLF or LF; a leading BOM tolerated).
 * `lines[i]` is the 1-based line on which row i starts (the header is line 1), for error messages.
 */
export function parseCsv(text: string): Result<CsvTable, CsvErrorCode> {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  const starts: number[] = [];
  let field = "";
  let record: string[] = [];
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const ch = src.charCodeAt(i);
    if (ch === 34 /* " */) {
      if (field.length > 0) return err("csv_bad_quote", `line ${line}: a quote inside an unquoted field`);
      const openedOn = line;
      i++;
      let closed = false;
      let chunkStart = i;
      while (i < n) {
        const c = src.charCodeAt(i);
        if (c === 34) {
          field += src.slice(chunkStart, i);
          if (src.charCodeAt(i + 1) === 34) {
            field += '"';
            i += 2;
            chunkStart = i;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        if (c === 10) line++;
        i++;
      }
      if (!closed) return err("csv_unterminated_quote", `line ${openedOn}: a quoted field is never closed`);
      const next = src.charCodeAt(i);
      if (i < n && next !== 44 && next !== 10 && next !== 13) {
        return err("csv_bad_quote", `line ${line}: unexpected character after a closing quote`);
      }
      record.push(field);
      field = "";
      if (i < n && next === 44) {
        i++;
        if (i === n) record.push("");
        continue;
      }
      i = endRecord(src, i);
      if (i < n || record.length > 0) {
        records.push(record);
        starts.push(recordLine);
      }
      record = [];
      line++;
      recordLine = line;
      continue;
    }
    const start = i;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === 44 || c === 10 || c === 13) break;
      if (c === 34) return err("csv_bad_quote", `line ${line}: a quote inside an unquoted field`);
      i++;
    }
    record.push(src.slice(start, i));
    if (i < n && src.charCodeAt(i) === 44) {
      i++;
      if (i === n) record.push("");
      continue;
    }
    i = endRecord(src, i);
    records.push(record);
    starts.push(recordLine);
    record = [];
    line++;
    recordLine = line;
  }
  if (record.length > 0) {
    records.push(record);
    starts.push(recordLine);
  }
  const nonBlank = records.map((r, idx) => ({ r, line: starts[idx] ?? 0 })).filter(({ r }) => !(r.length === 1 && r[0] === ""));
  const first = nonBlank[0];
  if (!first) return err("csv_empty", "line 1: the file has no header row");
  const header = first.r.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (h !== "" && seen.has(h)) return err("csv_duplicate_header", `line ${first.line}: column "${h}" appears twice in the header`);
    seen.add(h);
  }
  const body = nonBlank.slice(1);
  return ok({ header, rows: body.map((b) => b.r), lines: body.map((b) => b.line) });
}

function endRecord(src: string, i: number): number {
  if (src.charCodeAt(i) === 13) i++;
  if (src.charCodeAt(i) === 10) i++;
  return i;
}
