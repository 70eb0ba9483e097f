/** SOQL text built from our own values: quoted literals, checked field names, UTC datetime literals. */

/** A SOQL string literal: backslashes and quotes escaped. */
export const quote = (value: string): string => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** `(…)` list of quoted values for `IN`. */
export const inList = (values: readonly string[]): string => `(${values.map(quote).join(", ")})`;

/** Field names and relationship paths only: anything else could change the query's meaning. */
export const isFieldPath = (name: string): boolean => /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/.test(name);

/** Salesforce record ids are 15 or 18 alphanumerics; anything else cannot name a record. */
export const isSalesforceId = (id: string): boolean => /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(id);

/** A SOQL datetime literal (`2026-01-05T10:00:00Z`); Salesforce keeps whole seconds. */
export const soqlDatetime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
