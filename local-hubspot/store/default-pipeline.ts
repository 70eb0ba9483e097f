import type { Pipeline } from "./types.ts";

/** HubSpot's "Sales Pipeline" that every portal starts with, with its stage ids and probabilities. */
export function defaultDealPipeline(now: number): Pipeline {
  const stages: [string, string, number, boolean][] = [
    ["appointmentscheduled", "Appointment Scheduled", 0.2, false],
    ["qualifiedtobuy", "Qualified To Buy", 0.4, false],
    ["presentationscheduled", "Presentation Scheduled", 0.6, false],
    ["decisionmakerboughtin", "Decision Maker Bought-In", 0.8, false],
    ["contractsent", "Contract Sent", 0.9, false],
    ["closedwon", "Closed Won", 1, true],
    ["closedlost", "Closed Lost", 0, true],
  ];
  return {
    id: "default",
    label: "Sales Pipeline",
    displayOrder: 0,
    createdAt: now,
    updatedAt: now,
    stages: stages.map(([id, label, probability, isClosed], displayOrder) => ({ id, label, displayOrder, probability, isClosed })),
  };
}
