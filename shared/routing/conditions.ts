import type { Condition, RoutingRule } from "./settings.ts";
import type { ConditionResult, PropertyMap, PropertyValue, RuleResult } from "./types.ts";

/** Trimmed text of a property; null when absent or blank. */
export function textOf(value: PropertyValue): string | null {
  if (value === null || value === undefined) return null;
  const t = String(value).trim();
  return t === "" ? null : t;
}

/** A number from CRM text ("1,200" included); null when it is not one. */
export function numberOf(text: string | null): number | null {
  if (text === null) return null;
  const n = Number(text.replaceAll(",", "").replaceAll(" ", ""));
  return Number.isFinite(n) ? n : null;
}

const fold = (v: string | number): string => String(v).trim().toLowerCase();

/** Text equality ignoring case; numbers compare as numbers when both sides are numeric ("50" = 50.0). */
function sameValue(actual: string, expected: string | number): boolean {
  if (typeof expected === "number") return numberOf(actual) === expected;
  return fold(actual) === fold(expected);
}

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.join(", ")}]` : String(v));

function verdict(c: Condition, actual: string | null): { matched: boolean; reason: string } {
  const name = c.source === "company" ? `company ${c.property}` : c.property;
  if (c.operator === "exists") {
    const present = actual !== null;
    return { matched: present === c.value, reason: present ? `${name} is set` : `${name} is empty` };
  }
  if (actual === null) return { matched: c.operator === "not_in", reason: `${name} is empty` };
  const is = `${name} is "${actual}"`;
  switch (c.operator) {
    case "eq":
      return { matched: sameValue(actual, c.value), reason: is };
    case "in":
    case "not_in": {
      const found = c.value.some((v) => sameValue(actual, v));
      return { matched: c.operator === "in" ? found : !found, reason: is };
    }
    case "starts_with": {
      const prefixes = Array.isArray(c.value) ? c.value : [c.value];
      const hit = prefixes.find((p) => fold(actual).startsWith(fold(p)));
      return { matched: hit !== undefined, reason: hit === undefined ? is : `${is}, starts with "${hit}"` };
    }
    default:
      return numericVerdict(c, actual, name);
  }
}

function numericVerdict(c: Condition, actual: string, name: string): { matched: boolean; reason: string } {
  const n = numberOf(actual);
  if (n === null) return { matched: false, reason: `${name} "${actual}" is not a number` };
  const reason = `${name} is ${n}`;
  if (c.operator === "between") return { matched: n >= c.value[0] && n <= c.value[1], reason };
  if (c.operator === "gte") return { matched: n >= c.value, reason };
  if (c.operator === "lte") return { matched: n <= c.value, reason };
  return { matched: false, reason };
}

/** Tests one condition against the lead (or its company) and says what it saw. */
export function evaluateCondition(c: Condition, lead: PropertyMap, company: PropertyMap | null): ConditionResult {
  const actual = textOf((c.source === "company" ? company : lead)?.[c.property]);
  const { matched, reason } = verdict(c, actual);
  return {
    property: c.property,
    source: c.source,
    operator: c.operator,
    expected: c.value,
    actual,
    matched,
    reason: `${reason} (${matched ? "meets" : "fails"} ${c.operator} ${show(c.value)})`,
  };
}

/** A rule matches when every condition holds; all conditions are evaluated so the card can show each. */
export function evaluateRule(rule: RoutingRule, lead: PropertyMap, company: PropertyMap | null): RuleResult {
  const conditions = rule.conditions.map((c) => evaluateCondition(c, lead, company));
  const failed = conditions.filter((c) => !c.matched);
  const label = rule.name ? `${rule.id} (${rule.name})` : rule.id;
  const reason =
    conditions.length === 0
      ? `rule ${label} has no conditions: matches every lead`
      : failed.length === 0
        ? `rule ${label} matched: ${conditions.map((c) => c.reason).join("; ")}`
        : `rule ${label} did not match: ${failed.map((c) => c.reason).join("; ")}`;
  return { ruleId: rule.id, name: rule.name ?? null, queueId: rule.queue, matched: failed.length === 0, reason, conditions };
}

/** Rules in order until the first match; rules after it are not evaluated (first match wins). */
export function evaluateRules(
  lead: PropertyMap,
  company: PropertyMap | null,
  settings: { rules: readonly RoutingRule[]; fallbackQueue: string | null },
): { results: RuleResult[]; matched: RuleResult | null; summary: string } {
  const results: RuleResult[] = [];
  for (const rule of settings.rules) {
    const r = evaluateRule(rule, lead, company);
    results.push(r);
    if (r.matched) return { results, matched: r, summary: r.reason };
  }
  const none = settings.rules.length === 0 ? "no routing rules are set" : `none of ${settings.rules.length} rules matched`;
  const summary =
    settings.fallbackQueue === null ? `${none}; no fallback queue` : `${none}; using the fallback queue ${settings.fallbackQueue}`;
  return { results, matched: null, summary };
}
