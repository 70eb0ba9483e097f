import type { StoredRecord } from "../store/types.ts";
import { OBJECT_TYPES, type ObjectTypeName } from "./object-types.ts";

export type Filter = { propertyName: string; operator: string; value?: string; highValue?: string; values?: string[] };
export type SearchRequest = {
  filterGroups?: { filters: Filter[] }[];
  sorts?: (string | { propertyName: string; direction?: string })[];
  query?: string;
  properties?: string[];
  limit?: number;
  after?: string;
};

export const OPERATORS = [
  "EQ",
  "NEQ",
  "LT",
  "LTE",
  "GT",
  "GTE",
  "BETWEEN",
  "IN",
  "NOT_IN",
  "HAS_PROPERTY",
  "NOT_HAS_PROPERTY",
  "CONTAINS_TOKEN",
  "NOT_CONTAINS_TOKEN",
] as const;
export const SEARCH_LIMITS = { maxPageSize: 200, maxResults: 10_000, maxGroups: 5, maxFiltersPerGroup: 6, maxFilters: 18 } as const;

const NUMBER = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Orders values as HubSpot does: numbers and dates numerically (ISO dates as epoch ms), text case-insensitively. */
export function comparable(value: string): number | string {
  if (NUMBER.test(value)) return Number(value);
  if (ISO_DATE.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  return value.toLowerCase();
}

function compare(a: string, b: string): number {
  const x = comparable(a);
  const y = comparable(b);
  if (typeof x === "number" && typeof y === "number") return x - y;
  return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
}

function tokenMatch(actual: string, pattern: string): boolean {
  const escaped = pattern
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*");
  const re = new RegExp(`^${escaped}$`);
  const lower = actual.toLowerCase();
  return re.test(lower) || lower.split(/[\s,;:@.\-_/]+/).some((token) => token !== "" && re.test(token));
}

/** Whether one record's value satisfies one filter. */
export function matchesFilter(properties: Record<string, string>, filter: Filter): boolean {
  const actual = properties[filter.propertyName];
  const has = actual !== undefined && actual !== "";
  const value = filter.value ?? "";
  switch (filter.operator) {
    case "HAS_PROPERTY":
      return has;
    case "NOT_HAS_PROPERTY":
      return !has;
    case "EQ":
      return has && compare(actual, value) === 0;
    case "NEQ":
      return !has || compare(actual, value) !== 0;
    case "LT":
      return has && compare(actual, value) < 0;
    case "LTE":
      return has && compare(actual, value) <= 0;
    case "GT":
      return has && compare(actual, value) > 0;
    case "GTE":
      return has && compare(actual, value) >= 0;
    case "BETWEEN":
      return has && compare(actual, value) >= 0 && compare(actual, filter.highValue ?? "") <= 0;
    case "IN":
      return has && (filter.values ?? []).some((v) => compare(actual, v) === 0);
    case "NOT_IN":
      return !has || !(filter.values ?? []).some((v) => compare(actual, v) === 0);
    case "CONTAINS_TOKEN":
      return has && tokenMatch(actual, value);
    case "NOT_CONTAINS_TOKEN":
      return !has || !tokenMatch(actual, value);
    default:
      return false;
  }
}

function matchesQuery(type: ObjectTypeName, properties: Record<string, string>, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const fields = [...OBJECT_TYPES[type].searchable, "hs_object_id"].map((p) => properties[p] ?? "");
  return words.every((w) => fields.some((f) => tokenMatch(f, `${w}*`)));
}

type Sort = { propertyName: string; descending: boolean };

function parseSort(sort: string | { propertyName: string; direction?: string }): Sort {
  if (typeof sort !== "string") return { propertyName: sort.propertyName, descending: sort.direction?.toUpperCase() === "DESCENDING" };
  const [name = "", direction = ""] = sort.trim().split(/\s+/);
  if (name.startsWith("-")) return { propertyName: name.slice(1), descending: true };
  return { propertyName: name, descending: direction.toUpperCase().startsWith("DESC") };
}

/** Filters (OR of AND groups), query, sorts; returns every match in order, before paging. */
export function searchRecords(type: ObjectTypeName, records: StoredRecord[], request: SearchRequest): StoredRecord[] {
  const groups = request.filterGroups ?? [];
  let rows = records.filter((r) => groups.length === 0 || groups.some((g) => g.filters.every((f) => matchesFilter(r.properties, f))));
  if (request.query?.trim()) rows = rows.filter((r) => matchesQuery(type, r.properties, request.query ?? ""));
  const sorts = (request.sorts ?? []).map(parseSort);
  if (sorts.length === 0) return rows;
  return [...rows].sort((a, b) => {
    for (const s of sorts) {
      const x = a.properties[s.propertyName];
      const y = b.properties[s.propertyName];
      // Records without the value sort last either way.
      if (x === undefined || y === undefined) {
        if (x !== y) return x === undefined ? 1 : -1;
        continue;
      }
      const c = compare(x, y);
      if (c !== 0) return s.descending ? -c : c;
    }
    return Number(a.id) - Number(b.id);
  });
}
