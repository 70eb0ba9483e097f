import type { HygieneCardResponse, HygieneFinding } from "../../../hubspot-app/src/app/cards/api/contract.ts";
import { fixPolicyFor } from "../../../shared/hygiene/settings.ts";
import type { Finding } from "../../../shared/hygiene/types.ts";
import { mayWrite, type PortalSettings } from "../../../shared/settings/portal-settings.ts";
import { fieldLabel, type HygieneObject } from "./fields.ts";
import type { StoredScore } from "./score-store.ts";

/** A finding's id on the card, stable within the record: `code:field` (what a fix request names). */
export const findingId = (f: Pick<Finding, "code" | "field">): string => `${f.code}:${f.field}`;

/** How a fix's value reads on the button. */
function fixLabel(value: string | null): string {
  return value === null || value === "" ? "(clear the field)" : value;
}

/** The findings as the card shows them; a field an admin has since set to `off` shows no fix. */
export function findingsView(objectType: HygieneObject, findings: readonly Finding[], settings: PortalSettings): HygieneFinding[] {
  return findings.map((f) => {
    const fix = f.fix && fixPolicyFor(settings.hygiene, objectType, f.field) !== "off" ? f.fix : null;
    return {
      id: findingId(f),
      code: f.code,
      field: f.field,
      fieldLabel: fieldLabel(objectType, f.field),
      severity: f.severity,
      message: f.message,
      fix: fix ? { value: fix.value, label: fixLabel(fix.value), safe: fix.safe } : null,
    };
  });
}

/** Whether hygiene writes on its own, and why not when it only suggests. */
export function hygieneMode(settings: PortalSettings): Pick<HygieneCardResponse, "mode" | "modeReason"> {
  if (mayWrite(settings, "hygiene")) return { mode: "auto", modeReason: null };
  return {
    mode: "observe",
    modeReason: settings.killSwitch ? "The kill switch is on" : "Hygiene is observe-only until an admin turns it on",
  };
}

/** The card's answer for one stored score. */
export function hygieneCardView(stored: StoredScore, settings: PortalSettings, canFix: boolean): HygieneCardResponse {
  const { parts, findings } = stored.report;
  return {
    objectType: stored.objectType,
    objectId: stored.objectId,
    // A record with no part to judge has no score worth showing.
    score: parts.length === 0 ? null : stored.score,
    breakdown: parts.map((p) => ({ part: p.part, score: p.score, weight: p.weight })),
    findings: findingsView(stored.objectType, findings, settings),
    ...hygieneMode(settings),
    permissions: { canFix },
    scoredAt: new Date(stored.scoredAt).toISOString(),
  };
}
