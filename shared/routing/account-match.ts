import { companyNameKey, leadAccountKeys, registrableDomain } from "./accounts.ts";
import { type Checked, checkCandidate } from "./eligibility.ts";
import type { RoutingSettings } from "./settings.ts";
import type { RoutingState } from "./state.ts";
import type { AccountMatch, AccountResult, CompanyRef, Lead, RoutingContext } from "./types.ts";

/** The account step's outcome: the result for the record, the owner it picked and the matched company for rules. */
export type AccountOutcome = { result: AccountResult; chosen: Checked | null; company: CompanyRef | null };

function matchesOf(lead: Lead, companies: readonly CompanyRef[], settings: RoutingSettings): { c: CompanyRef; by: AccountMatch["by"] }[] {
  const opts = settings.accountMatching;
  const keys = leadAccountKeys(lead.properties);
  const domain = keys.domain && !(keys.freeMail && opts.ignoreFreeEmailDomains) ? keys.domain : null;
  const out: { c: CompanyRef; by: AccountMatch["by"] }[] = [];
  for (const c of companies) {
    if (opts.byEmailDomain && domain !== null && registrableDomain(c.domain) === domain) out.push({ c, by: "email_domain" });
    else if (opts.byCompanyName && keys.nameKey !== null && companyNameKey(c.name) === keys.nameKey) out.push({ c, by: "company_name" });
  }
  // Domain matches are stronger evidence than names; within each, the oldest (lowest) id is the account of record.
  return out.sort((a, b) => (a.by === b.by ? compareIds(a.c.id, b.c.id) : a.by === "email_domain" ? -1 : 1));
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Lead-to-account matching: the owner of the first matching company who may take the lead gets it. */
export function matchAccount(
  lead: Lead,
  context: RoutingContext,
  settings: RoutingSettings,
  state: RoutingState,
  now: Date,
): AccountOutcome {
  if (!settings.accountMatching.enabled) {
    return { result: { checked: false, matches: [], reason: "lead-to-account matching is off" }, chosen: null, company: null };
  }
  const found = matchesOf(lead, context.companies ?? [], settings);
  const matches: AccountMatch[] = [];
  let chosen: Checked | null = null;
  for (const { c, by } of found) {
    const how = by === "email_domain" ? `email domain matches ${c.domain}` : `company name matches "${c.name}"`;
    const base = { companyId: c.id, companyName: c.name, by, ownerId: c.ownerId };
    if (chosen !== null) {
      matches.push({ ...base, eligible: false, reason: `company ${c.id}: ${how}; not needed, an earlier match decided` });
      continue;
    }
    if (c.ownerId === null) {
      matches.push({ ...base, eligible: false, reason: `company ${c.id}: ${how}, but it has no owner` });
      continue;
    }
    const check = checkCandidate(c.ownerId, settings, context.owners, state, now, settings.accountMatching.respectAvailability);
    const reason = check.eligible
      ? `company ${c.id}: ${how}; owner ${c.ownerId} takes the lead`
      : `company ${c.id}: ${how}; owner ${c.ownerId} cannot take it: ${check.reasons.join(", ")}`;
    matches.push({ ...base, eligible: check.eligible, reason });
    if (check.eligible) chosen = check;
  }
  const reason =
    found.length === 0
      ? "no company matches the lead's email domain or company name"
      : chosen
        ? (matches.find((m) => m.eligible)?.reason ?? "")
        : `${found.length} matching compan${found.length === 1 ? "y has" : "ies have"} no owner who can take the lead`;
  return { result: { checked: true, matches, reason }, chosen, company: found[0]?.c ?? null };
}
