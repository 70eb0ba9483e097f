import type { Deal } from "../domain/types.ts";

const fromTypedFields: Record<string, (d: Deal) => string | null> = {
  amount: (d) => (d.amount === null ? null : String(d.amount)),
  closedate: (d) => d.closeDate,
  dealname: (d) => d.name,
  hubspot_owner_id: (d) => d.ownerId,
  name: (d) => d.name,
  ownerid: (d) => d.ownerId,
};

/** A deal property's value by CRM name, blank as null; falls back to the typed fields for well-known names. */
export function readDealProperty(deal: Deal, name: string): string | null {
  const raw = deal.properties[name];
  const value = raw === undefined ? (fromTypedFields[name.toLowerCase()]?.(deal) ?? null) : raw;
  return value === null || value.trim() === "" ? null : value;
}

const knownLabels: Record<string, string> = {
  amount: "Amount",
  closedate: "Close date",
  dealname: "Deal name",
  dealtype: "Deal type",
  description: "Description",
  hubspot_owner_id: "Deal owner",
  hs_next_step: "Next step",
  hs_priority: "Priority",
  hs_forecast_category: "Forecast category",
  closed_lost_reason: "Closed lost reason",
  closed_won_reason: "Closed won reason",
};

/** The name a person sees for a property: the CRM's label if given, a known label, or the name made readable. */
export function propertyLabel(name: string, labels?: Readonly<Record<string, string>>): string {
  const given = labels?.[name] ?? knownLabels[name];
  if (given) return given;
  const words = name
    .replace(/^hs_/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_\s]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A parsed date: epoch ms, and whether it names a whole day (`YYYY-MM-DD`, or HubSpot's midnight-UTC date values). */
export type ParsedDate = { ms: number; dateOnly: boolean };

const DAY_MS = 86_400_000;

/** Parses epoch-ms strings, `YYYY-MM-DD` and ISO date-times; null when it is none of them. */
export function parseDate(value: string): ParsedDate | null {
  const v = value.trim();
  const ms = /^-?\d+$/.test(v) ? Number(v) : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (!Number.isFinite(ms)) return null;
  return { ms, dateOnly: ms % DAY_MS === 0 };
}

/** Whole-day dates count from the start of their day: today is not yet past, and counts as in the future. */
export function isInFuture(d: ParsedDate, now: number): boolean {
  return d.dateOnly ? d.ms >= Math.floor(now / DAY_MS) * DAY_MS : d.ms > now;
}

export function isInPast(d: ParsedDate, now: number): boolean {
  return d.dateOnly ? d.ms < Math.floor(now / DAY_MS) * DAY_MS : d.ms < now;
}

/** A date as a person reads it: the day for whole-day values, else ISO to the minute (UTC). */
export function formatDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % DAY_MS === 0 ? iso.slice(0, 10) : `${iso.slice(0, 16).replace("T", " ")} UTC`;
}
