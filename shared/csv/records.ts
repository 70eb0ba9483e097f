import { err, ok, type Result } from "../result.ts";
import type { CsvTable } from "./parse.ts";

export type CsvRecord = { line: number; values: Record<string, string> };

/** Turns rows into records keyed by header name; a row whose field count differs from the header's is an error. */
export function csvRecords(table: CsvTable): Result<CsvRecord[], "csv_field_count"> {
  const out: CsvRecord[] = [];
  const width = table.header.length;
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r] ?? [];
    const line = table.lines[r] ?? 0;
    if (row.length !== width) {
      return err("csv_field_count", `line ${line}: expected ${width} fields as in the header, found ${row.length}`);
    }
    const values: Record<string, string> = {};
    for (let c = 0; c < width; c++) values[table.header[c] ?? ""] = row[c] ?? "";
    out.push({ line, values });
  }
  return ok(out);
}
