/** A FetchJson over the contract fixtures with a little latency, for the local preview (no Worker, no HubSpot). */
import type { FetchJson } from "../hubspot-app/src/app/cards/api/client.ts";
import { ApiError } from "../hubspot-app/src/app/cards/api/client.ts";
import type { ResponseOf, Route, SettingsDocument } from "../hubspot-app/src/app/cards/api/contract.ts";
import {
  companyHygiene,
  companyRouting,
  contactDuplicates,
  contactHygiene,
  contactHygieneFixed,
  contactRouting,
  dealGates,
} from "../hubspot-app/src/app/cards/fixtures/card-fixtures.ts";
import {
  audit,
  dashboard,
  dryRun,
  dryRunInvalid,
  reviewQueue,
  settings,
  versions,
} from "../hubspot-app/src/app/cards/fixtures/settings-fixtures.ts";

type Answers = { [R in Route]?: ResponseOf<R> | Error | "pending" };

const thresholdsInverted = (doc: SettingsDocument) =>
  doc.dedupe?.thresholds ? doc.dedupe.thresholds.review > doc.dedupe.thresholds.merge : false;

/** The answers a healthy portal gives; scenarios override some. */
export function defaultAnswers(): Answers {
  return {
    "GET /api/cards/hygiene": contactHygiene,
    "POST /api/cards/hygiene/fix": {
      applied: [{ findingId: "phone_not_e164:phone", field: "phone", before: "(415) 555-0100", after: "+14155550100", auditId: "a-32" }],
      refused: [],
      card: contactHygieneFixed,
    },
    "GET /api/cards/duplicates": contactDuplicates,
    "POST /api/cards/duplicates/merge": {
      status: "merged",
      message: "Merged into Bob McDonald. Undo it from the audit log.",
      auditId: "a-33",
      newObjectId: "9931",
    },
    "POST /api/cards/duplicates/dismiss": { dismissed: true, pairId: "101-3310" },
    "GET /api/cards/routing": contactRouting,
    "POST /api/cards/routing/reroute": {
      status: "rerouted",
      message: "Now owned by Lee Chen (next in the queue).",
      card: { ...contactRouting, owner: { id: "73", name: "Lee Chen", email: null } },
    },
    "GET /api/cards/deal-gates": dealGates,
    "GET /api/settings": settings,
    "PUT /api/settings": { version: settings.version + 1, updatedAt: "2026-03-14T10:00:00Z" },
    "POST /api/settings/dry-run": dryRun,
    "GET /api/settings/versions": versions,
    "GET /api/settings/audit": audit,
    "POST /api/settings/audit/undo": { undone: ["a-31"], skipped: [], dryRun: false },
    "POST /api/settings/audit/export": { url: "https://example.com/audit.csv", expiresAt: "2026-03-14T10:15:00Z", rows: audit.total },
    "GET /api/settings/review-queue": reviewQueue,
    "GET /api/settings/dashboard": dashboard,
  };
}

export const companyAnswers = (): Answers => ({
  ...defaultAnswers(),
  "GET /api/cards/hygiene": companyHygiene,
  "GET /api/cards/routing": companyRouting,
});

/** Keeps what the preview saved, so the page reloads the new version like the Worker would. */
function saveSettings(answers: Answers, document: SettingsDocument) {
  const current = answers["GET /api/settings"];
  if (!current || current === "pending" || current instanceof Error) return;
  answers["GET /api/settings"] = { ...current, version: current.version + 1, updatedAt: new Date().toISOString(), document };
  answers["PUT /api/settings"] = { version: current.version + 2, updatedAt: new Date().toISOString() };
}

/** Builds the fake; `latencyMs` makes loading states visible for a moment, as they would be in HubSpot. */
export function fakeFetchJson(overrides: Answers = {}, latencyMs = 250): FetchJson {
  const answers = { ...defaultAnswers(), ...overrides };
  return (async (route: Route, _query: unknown, body?: unknown) => {
    const answer = answers[route];
    if (answer === "pending") return new Promise(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (answer === undefined) throw new ApiError(404, "not_found", `The preview has no answer for ${route}`);
    if (answer instanceof Error) throw answer;
    if (route === "POST /api/settings/dry-run" && thresholdsInverted((body as { document: SettingsDocument }).document))
      return dryRunInvalid;
    if (route === "PUT /api/settings") saveSettings(answers, (body as { document: SettingsDocument }).document);
    return answer;
  }) as FetchJson;
}
