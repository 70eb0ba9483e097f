// Test support: the subset of SOQL the adapter sends, evaluated over in-memory rows. Imported only by tests.

export type Row = Record<string, unknown>;
export type Query = {
  fields: string[];
  from: string;
  where: (row: Row) => boolean;
  whereFields: string[];
  orderBy: Array<{ field: string; desc: boolean }>;
  limit: number | null;
};

const TOKEN =
  /\s*('(?:\\.|[^'\\])*'|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})|-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*|>=|<=|!=|[=<>(),])/y;

function tokenize(soql: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < soql.trimEnd().length) {
    const m = TOKEN.exec(soql);
    if (!m?.[1]) throw new SoqlError(`unexpected token at ${TOKEN.lastIndex}: ${soql.slice(TOKEN.lastIndex, TOKEN.lastIndex + 20)}`);
    tokens.push(m[1]);
  }
  return tokens;
}

/** A malformed query: Salesforce answers 400 MALFORMED_QUERY. */
export class SoqlError extends Error {}

type Value = { kind: "string" | "datetime" | "number" | "boolean" | "null"; value: string | number | boolean | null };

function literal(token: string | undefined): Value {
  if (token === undefined) throw new SoqlError("missing value");
  if (token.startsWith("'")) return { kind: "string", value: token.slice(1, -1).replace(/\\(.)/g, "$1") };
  if (/^\d{4}-\d{2}-\d{2}T/.test(token)) return { kind: "datetime", value: Date.parse(token) };
  if (/^-?\d/.test(token)) return { kind: "number", value: Number(token) };
  if (/^(true|false)$/i.test(token)) return { kind: "boolean", value: token.toLowerCase() === "true" };
  if (/^null$/i.test(token)) return { kind: "null", value: null };
  throw new SoqlError(`unexpected value ${token}`);
}

/** Salesforce datetimes as stored (`2026-01-05T10:00:00.000+0000`) in milliseconds. */
export const sfMs = (v: unknown) => Date.parse(String(v).replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));

function compare(actual: unknown, op: string, expected: Value): boolean {
  if (expected.kind === "null") return op === "=" ? actual == null : actual != null;
  if (actual === null || actual === undefined) return op === "!=";
  const a = expected.kind === "datetime" ? sfMs(actual) : actual;
  const b = expected.value as string | number | boolean;
  if (op === "=") return a === b;
  if (op === "!=") return a !== b;
  if (op === ">") return (a as string) > (b as string);
  if (op === ">=") return (a as string) >= (b as string);
  if (op === "<") return (a as string) < (b as string);
  return (a as string) <= (b as string);
}

class Parser {
  i = 0;
  readonly fields: string[] = [];
  constructor(readonly t: string[]) {}
  peek = (kw?: string) => (kw ? this.t[this.i]?.toUpperCase() === kw : this.t[this.i]);
  next = () => this.t[this.i++];
  expect(kw: string) {
    if (this.next()?.toUpperCase() !== kw) throw new SoqlError(`expected ${kw}`);
  }
  or(): (r: Row) => boolean {
    const parts = [this.and()];
    while (this.peek("OR")) this.next() && parts.push(this.and());
    return (r) => parts.some((p) => p(r));
  }
  and(): (r: Row) => boolean {
    const parts = [this.factor()];
    while (this.peek("AND")) this.next() && parts.push(this.factor());
    return (r) => parts.every((p) => p(r));
  }
  factor(): (r: Row) => boolean {
    if (this.peek() === "(") {
      this.next();
      const inner = this.or();
      this.expect(")");
      return inner;
    }
    const field = this.next() ?? "";
    this.fields.push(field);
    if (this.peek("IN")) {
      this.next();
      this.expect("(");
      const values: Value[] = [literal(this.next())];
      while (this.peek() === ",") this.next() && values.push(literal(this.next()));
      this.expect(")");
      return (r) => values.some((v) => compare(r[field], "=", v));
    }
    const op = this.next() ?? "";
    if (!["=", "!=", ">", ">=", "<", "<="].includes(op)) throw new SoqlError(`unexpected operator ${op}`);
    const value = literal(this.next());
    return (r) => compare(r[field], op, value);
  }
}

export function parseSoql(soql: string): Query {
  const p = new Parser(tokenize(soql));
  p.expect("SELECT");
  const fields = [p.next() ?? ""];
  while (p.peek() === ",") p.next() && fields.push(p.next() ?? "");
  p.expect("FROM");
  const from = p.next() ?? "";
  let where: (r: Row) => boolean = () => true;
  if (p.peek("WHERE")) {
    p.next();
    where = p.or();
  }
  const orderBy: Query["orderBy"] = [];
  if (p.peek("ORDER")) {
    p.next();
    p.expect("BY");
    do {
      if (p.peek() === ",") p.next();
      const field = p.next() ?? "";
      const desc = p.peek("DESC");
      if (desc || p.peek("ASC")) p.next();
      orderBy.push({ field, desc: Boolean(desc) });
    } while (p.peek() === ",");
  }
  let limit: number | null = null;
  if (p.peek("LIMIT")) {
    p.next();
    limit = Number(p.next());
  }
  if (p.peek() !== undefined) throw new SoqlError(`unexpected ${p.peek()}`);
  return { fields, from, where, whereFields: p.fields, orderBy, limit };
}

/** Rows matching the query, ordered (nulls first, like Salesforce's ascending default) and limited. */
export function runSoql(query: Query, rows: readonly Row[]): Row[] {
  const key = (v: unknown) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) ? sfMs(v) : v);
  const sorted = rows.filter(query.where).sort((a, b) => {
    for (const { field, desc } of query.orderBy) {
      const x = key(a[field]) as string | number;
      const y = key(b[field]) as string | number;
      if (x === y) continue;
      const lower = x === null || x === undefined || (y !== null && y !== undefined && x < y);
      return (lower ? -1 : 1) * (desc ? -1 : 1);
    }
    return 0;
  });
  return query.limit === null ? sorted : sorted.slice(0, query.limit);
}
