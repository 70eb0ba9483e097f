import { Alert, EmptyState, ErrorState, Flex, Link, Text } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { describe, expect, it } from "vitest";
import type { FetchJson } from "../api/client.ts";
import { dealGates } from "../fixtures/card-fixtures.ts";
import { StageExitView } from "./StageExitView.tsx";
import { allText, fakeFetch, IDS } from "./test-support.ts";

function renderCard(fetchJson: FetchJson) {
  const renderer = createRenderer("crm.record.tab");
  renderer.render(<StageExitView {...IDS} objectId={9001} fetchJson={fetchJson} />);
  return renderer;
}

describe("StageExitView", () => {
  it("asks for this deal's gates and lists the next stage's criteria, met and missing, with links to fill them", async () => {
    const fetchJson = fakeFetch({ "GET /api/cards/deal-gates": dealGates });
    const { findByTestId, waitFor } = renderCard(fetchJson);
    await waitFor(() => expect(findByTestId(Text, "stage-exit-progress").text).toBe("1 of 4 met · enforced"));
    expect(fetchJson).toHaveBeenCalledWith("GET /api/cards/deal-gates", { ...IDS, objectType: "deals", objectId: 9001 });
    expect(allText(findByTestId(Flex, "checklist-required.0"))).toContain("Met Amount");
    expect(allText(findByTestId(Flex, "checklist-predicates.0"))).toContain("Close date 2026-02-28 is in the past");
    expect(findByTestId(Link, "checklist-predicates.0-fill").props.href).toEqual({ url: dealGates.items[1]?.fillUrl, external: false });
  });

  it("shows the qualification score against the next stage's minimum", async () => {
    const { findByTestId, waitFor } = renderCard(fakeFetch({ "GET /api/cards/deal-gates": dealGates }));
    await waitFor(() => expect(allText(findByTestId(Flex, "qualification-MEDDICC"))).toContain("M 100 · E 0"));
  });

  it("lists blocked moves with who, when and whether the CRM refused the move back", async () => {
    const { findByTestId, waitFor } = renderCard(fakeFetch({ "GET /api/cards/deal-gates": dealGates }));
    await waitFor(() => expect(findByTestId(Text, "blocked-move-m-1-revert").text).toBe("Moved back"));
    expect(findByTestId(Text, "blocked-move-m-2-revert").text).toBe(
      "The CRM refused the move back: HubSpot refused: property “Loss reason” is required by the portal",
    );
  });

  it("shows the empty state when the stage has no criteria and nothing was blocked", async () => {
    const none = { ...dealGates, items: [], scores: [], blockedMoves: [], metCount: 0, ready: true };
    const { findByTestId, waitFor } = renderCard(fakeFetch({ "GET /api/cards/deal-gates": none }));
    await waitFor(() => expect(findByTestId(EmptyState, "stage-exit-empty").props.title).toBe("No exit criteria here"));
  });

  it("shows the Worker's error", async () => {
    const { findByTestId, waitFor } = renderCard(fakeFetch({ "GET /api/cards/deal-gates": new Error("Deal not found") }));
    await waitFor(() => expect(allText(findByTestId(ErrorState, "stage-exit-error"))).toContain("Deal not found"));
  });

  it("says gates only observe when the automation is off", async () => {
    const { findByTestId, waitFor } = renderCard(
      fakeFetch({ "GET /api/cards/deal-gates": { ...dealGates, mode: "observe", modeReason: "stage gates are off" } }),
    );
    await waitFor(() => expect(allText(findByTestId(Alert, "stage-exit-observe"))).toContain("stage gates are off"));
  });
});
