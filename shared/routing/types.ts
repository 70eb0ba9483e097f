import type { Strategy } from "./settings.ts";
import type { RoutingStateUpdate } from "./state.ts";

/** A property value as CRMs send it; numbers are accepted for convenience. */
export type PropertyValue = string | number | null | undefined;
export type PropertyMap = Readonly<Record<string, PropertyValue>>;

/** A lead to route: its record id and HubSpot-named properties (`email`, `country`, `zip`, `createdate`, ...). */
export type Lead = { readonly id: string; readonly properties: PropertyMap };

/** A company the edge found for lead-to-account matching (looked up by the lead's email domain and company name). */
export type CompanyRef = {
  readonly id: string;
  readonly domain: string | null;
  readonly name: string | null;
  readonly ownerId: string | null;
};

/** An owner as the CRM lists them (`Owner` fits); deactivated users are flagged by the adapter where the CRM says so. */
export type RosterOwner = { readonly id: string; readonly archived: boolean; readonly deactivated?: boolean };

/** What the edge knows besides the lead; every field is optional. */
export type RoutingContext = {
  /** Companies that may match the lead (extra ones are harmless: matching is checked here). */
  readonly companies?: readonly CompanyRef[];
  /** The lead's associated company, for rule conditions with `source: "company"`. */
  readonly company?: PropertyMap | null;
  /** The CRM's owner list; when given, owners missing from it, archived or deactivated never get leads. */
  readonly owners?: readonly RosterOwner[];
};

export type ConditionResult = {
  readonly property: string;
  readonly source: "contact" | "company";
  readonly operator: string;
  readonly expected: unknown;
  readonly actual: string | null;
  readonly matched: boolean;
  readonly reason: string;
};

export type RuleResult = {
  readonly ruleId: string;
  readonly name: string | null;
  readonly queueId: string;
  readonly matched: boolean;
  readonly reason: string;
  readonly conditions: readonly ConditionResult[];
};

/** One rep considered for a lead, with every reason they could not take it (empty when eligible). */
export type CandidateResult = {
  readonly ownerId: string;
  readonly name: string | null;
  readonly eligible: boolean;
  readonly reasons: readonly string[];
  readonly localTime: string | null;
  readonly assignedToday: number;
  readonly openLeads: number;
};

export type QueueAttempt = {
  readonly queueId: string;
  readonly strategy: Strategy;
  /** Why this queue was tried. */
  readonly via: "rule" | "fallback";
  readonly candidates: readonly CandidateResult[];
  readonly chosen: string | null;
  readonly reason: string;
};

export type AccountMatch = {
  readonly companyId: string;
  readonly companyName: string | null;
  readonly by: "email_domain" | "company_name";
  readonly ownerId: string | null;
  readonly eligible: boolean;
  readonly reason: string;
};

export type AccountResult = { readonly checked: boolean; readonly matches: readonly AccountMatch[]; readonly reason: string };

/** Everything routing decided for one lead, and why; `update` is what the caller applies to its state. */
export type RoutingDecision = {
  readonly leadId: string;
  readonly decidedAt: string;
  readonly outcome: "assigned" | "unassigned";
  readonly ownerId: string | null;
  readonly ownerName: string | null;
  readonly via: "account" | "rule" | "fallback" | null;
  readonly ruleId: string | null;
  readonly queueId: string | null;
  readonly account: AccountResult;
  readonly rules: readonly RuleResult[];
  /** The matched rule's reason, or why none matched; null when account matching decided. */
  readonly ruleSummary: string | null;
  readonly queues: readonly QueueAttempt[];
  /** The reason chain, first to last, as shown on the card. */
  readonly reasons: readonly string[];
  /** Milliseconds from the lead's `createdate` to this decision; null without a creation time. */
  readonly speedToLeadMs: number | null;
  /** When the SLA runs out for the assigned rep; null when unassigned or SLA is off. */
  readonly slaDueAt: string | null;
  readonly update: RoutingStateUpdate | null;
};
