import type { RecordHistory } from "../crm-port.ts";
import type { Deal } from "../domain/types.ts";
import { changedSince } from "./history.ts";
import type { Predicate } from "./settings.ts";
import { formatDate, isInFuture, isInPast, parseDate, propertyLabel, readDealProperty } from "./values.ts";

/** What a predicate needs besides the deal: the clock, the history and when the deal entered the stage being left. */
export type PredicateContext = {
  deal: Deal;
  history: RecordHistory;
  now: number;
  enteredAt: number | null;
  stageLabel: string;
  propertyLabels?: Readonly<Record<string, string>> | undefined;
};

/** A checked predicate: the requirement in words, met or not, and why. */
export type PredicateOutcome = { label: string; met: boolean; reason: string };

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(", ");

/** Checks one predicate against the deal. */
export function checkPredicate(p: Predicate, ctx: PredicateContext): PredicateOutcome {
  const name = propertyLabel(p.property, ctx.propertyLabels);
  const value = readDealProperty(ctx.deal, p.property);
  const outcome = check(p, name, value, ctx);
  return p.label ? { ...outcome, label: p.label } : outcome;
}

function check(p: Predicate, name: string, value: string | null, ctx: PredicateContext): PredicateOutcome {
  switch (p.op) {
    case "not_empty":
      return notEmpty(name, value);
    case "equals":
      return oneOf(name, value, [p.value], `${name} is "${p.value}"`);
    case "one_of":
      return oneOf(name, value, p.values, `${name} is one of ${quoted(p.values)}`);
    case "number_at_least":
      return numberAtLeast(name, value, p.min);
    case "date_in_future":
      return dateCheck(name, value, ctx.now, "future");
    case "date_in_past":
      return dateCheck(name, value, ctx.now, "past");
    case "changed_since_stage_entered":
      return changedSinceEntered(p.property, name, ctx);
  }
}

/** The check behind required properties and `not_empty`. */
export function notEmpty(name: string, value: string | null): PredicateOutcome {
  const label = `${name} is filled in`;
  return value === null ? { label, met: false, reason: `${name} is empty` } : { label, met: true, reason: `${name} is "${value}"` };
}

function oneOf(name: string, value: string | null, allowed: readonly string[], label: string): PredicateOutcome {
  const needs = allowed.length === 1 ? `"${allowed[0]}"` : `one of ${quoted(allowed)}`;
  if (value === null) return { label, met: false, reason: `${name} is empty (needs ${needs})` };
  if (allowed.some((a) => same(a, value))) return { label, met: true, reason: `${name} is "${value}"` };
  return { label, met: false, reason: `${name} is "${value}" (needs ${needs})` };
}

function numberAtLeast(name: string, value: string | null, min: number): PredicateOutcome {
  const label = `${name} is at least ${min}`;
  if (value === null) return { label, met: false, reason: `${name} is empty (needs at least ${min})` };
  const n = Number(value.trim().replace(/,/g, ""));
  if (!Number.isFinite(n)) return { label, met: false, reason: `${name} is not a number ("${value}")` };
  return n >= min ? { label, met: true, reason: `${name} is ${n}` } : { label, met: false, reason: `${name} is ${n}, below ${min}` };
}

function dateCheck(name: string, value: string | null, now: number, when: "future" | "past"): PredicateOutcome {
  const label = `${name} is in the ${when}`;
  if (value === null) return { label, met: false, reason: `${name} is empty` };
  const d = parseDate(value);
  if (d === null) return { label, met: false, reason: `${name} is not a date ("${value}")` };
  const met = when === "future" ? isInFuture(d, now) : isInPast(d, now);
  const unmet = when === "future" ? "is in the past" : "is not in the past yet";
  return { label, met, reason: met ? `${name} is ${formatDate(d.ms)}` : `${name} ${formatDate(d.ms)} ${unmet}` };
}

function changedSinceEntered(property: string, name: string, ctx: PredicateContext): PredicateOutcome {
  const label = `${name} updated since the deal entered ${ctx.stageLabel}`;
  if (ctx.enteredAt === null) {
    return { label, met: false, reason: `Cannot tell when the deal entered ${ctx.stageLabel}, so ${name} counts as not updated` };
  }
  const since = formatDate(ctx.enteredAt);
  const c = changedSince(ctx.history[property], ctx.enteredAt);
  if (c.changed && c.at !== null) return { label, met: true, reason: `${name} was updated on ${formatDate(c.at)}` };
  return { label, met: false, reason: `${name} has not changed since the deal entered ${ctx.stageLabel} on ${since}` };
}
