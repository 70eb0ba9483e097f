/** Quotes a field when RFC 4180 requires it (comma, quote, CR or LF) and guards against spreadsheet formula injection. */
export function csvField(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\n`;
}
