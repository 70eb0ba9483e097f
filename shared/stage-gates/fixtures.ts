/** Test fixtures: HubSpot's default sales pipeline and deal builders (imported by tests and the gates benchmark). */
import type { PropertyHistoryEntry, RecordHistory } from "../crm-port.ts";
import type { Deal, Pipeline } from "../domain/types.ts";

const stage = (id: string, label: string, displayOrder: number, isClosed = false, probability: number | null = 0.2) => ({
  id,
  label,
  displayOrder,
  isClosed,
  probability,
});

/** HubSpot's default deal pipeline, stages deliberately listed out of display order. */
export const SALES_PIPELINE: Pipeline = {
  id: "default",
  label: "Sales Pipeline",
  stages: [
    stage("closedlost", "Closed Lost", 6, true, 0),
    stage("appointmentscheduled", "Appointment Scheduled", 0),
    stage("qualifiedtobuy", "Qualified To Buy", 1),
    stage("presentationscheduled", "Presentation Scheduled", 2),
    stage("decisionmakerboughtin", "Decision Maker Bought-In", 3),
    stage("contractsent", "Contract Sent", 4),
    stage("closedwon", "Closed Won", 5, true, 1),
  ],
};

/** A deal in the default pipeline with the given properties (and `dealstage` set when `stageId` is given). */
export function makeDeal(properties: Record<string, string | null>, stageId = "qualifiedtobuy"): Deal {
  return {
    id: "d1",
    name: properties.dealname ?? "Acme renewal",
    pipelineId: "default",
    stageId,
    amount: null,
    closeDate: null,
    ownerId: "7",
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: null,
    properties: { dealstage: stageId, ...properties },
  };
}

/** One property's history from `[iso timestamp, value]` pairs. */
export function entries(...pairs: [string, string | null][]): PropertyHistoryEntry[] {
  return pairs.map(([timestamp, value]) => ({ timestamp, value, sourceType: "CRM_UI", sourceId: "userId:1" }));
}

export function historyOf(byProperty: Record<string, [string, string | null][]>): RecordHistory {
  const out: RecordHistory = {};
  for (const [name, pairs] of Object.entries(byProperty)) out[name] = entries(...pairs);
  return out;
}

/** 2026-03-10 12:00 UTC: the clock every test uses. */
export const NOW = Date.parse("2026-03-10T12:00:00Z");
