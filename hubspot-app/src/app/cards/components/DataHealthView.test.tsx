import { Alert, Button, EmptyState, ErrorState, Flex, LoadingSpinner, Table, Text, Tile } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { describe, expect, it } from "vitest";
import type { HygieneFixResponse } from "../api/contract.ts";
import { contactDuplicates, contactHygiene, contactHygieneFixed } from "../fixtures/card-fixtures.ts";
import { DataHealthView } from "./DataHealthView.tsx";
import { allText, fakeFetch, IDS, pendingFetch } from "./test-support.ts";

const query = { ...IDS, objectType: "contacts", objectId: 101 };
const fixed: HygieneFixResponse = {
  applied: [{ findingId: "phone_not_e164:phone", field: "phone", before: "(415) 555-0100", after: "+14155550100", auditId: "a-1" }],
  refused: [],
  card: contactHygieneFixed,
};

function renderCard(fetchJson = fakeFetch({ "GET /api/cards/hygiene": contactHygiene, "GET /api/cards/duplicates": contactDuplicates })) {
  const renderer = createRenderer("crm.record.sidebar");
  renderer.render(<DataHealthView {...IDS} objectId={101} fetchJson={fetchJson} />);
  return { ...renderer, fetchJson };
}

describe("DataHealthView", () => {
  it("shows a spinner while the Worker scores the record", () => {
    const { find } = renderCard(pendingFetch() as never);
    expect(find(LoadingSpinner).props.label).toBe("Scoring this record");
  });

  it("asks for this contact's hygiene and duplicates with the portal and user in the signed query", async () => {
    const { fetchJson, waitFor } = renderCard();
    await waitFor(() => expect(fetchJson).toHaveBeenCalledWith("GET /api/cards/hygiene", query));
    expect(fetchJson).toHaveBeenCalledWith("GET /api/cards/duplicates", query);
  });

  it("shows the score, each finding with its suggested fix, and the observe-only notice with its reason", async () => {
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => expect(findByTestId(Text, "data-health-score").text).toBe("Score 72 / 100"));
    expect(allText(findByTestId(Alert, "data-health-observe"))).toContain("the hygiene automation is off");
    expect(allText(findByTestId(Flex, "data-health-finding-phone_not_e164:phone"))).toContain("Suggested: +1 415 555 0100 (safe)");
  });

  it("posts the one finding when Fix is pressed and shows the card the Worker returns", async () => {
    const fetchJson = fakeFetch({
      "GET /api/cards/hygiene": contactHygiene,
      "GET /api/cards/duplicates": contactDuplicates,
      "POST /api/cards/hygiene/fix": fixed,
    });
    const { findByTestId, waitFor } = renderCard(fetchJson);
    await waitFor(() => findByTestId(Button, "data-health-finding-phone_not_e164:phone-fix"));
    findByTestId(Button, "data-health-finding-phone_not_e164:phone-fix").trigger("onClick");
    await waitFor(() => expect(findByTestId(Text, "data-health-score").text).toBe("Score 81 / 100"));
    expect(fetchJson).toHaveBeenCalledWith("POST /api/cards/hygiene/fix", query, { findingIds: ["phone_not_e164:phone"] });
    expect(allText(findByTestId(Alert, "data-health-outcome"))).toContain("Fixed Phone number.");
  });

  it("posts allSafe when every safe fix is applied at once", async () => {
    const fetchJson = fakeFetch({
      "GET /api/cards/hygiene": contactHygiene,
      "GET /api/cards/duplicates": contactDuplicates,
      "POST /api/cards/hygiene/fix": fixed,
    });
    const { findByTestId, waitFor } = renderCard(fetchJson);
    await waitFor(() => expect(findByTestId(Button, "data-health-fix-all").text).toBe("Apply all 2 safe fixes"));
    findByTestId(Button, "data-health-fix-all").trigger("onClick");
    await waitFor(() => expect(fetchJson).toHaveBeenCalledWith("POST /api/cards/hygiene/fix", query, { allSafe: true }));
  });

  it("hides Fix buttons and says why when the user may not fix", async () => {
    const fetchJson = fakeFetch({
      "GET /api/cards/hygiene": { ...contactHygiene, permissions: { canFix: false } },
      "GET /api/cards/duplicates": contactDuplicates,
    });
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(fetchJson);
    await waitFor(() => expect(findByTestId(Text, "data-health-no-permission").text).toContain("apply fixes"));
    expect(maybeFindByTestId(Button, "data-health-finding-phone_not_e164:phone-fix")).toBeNull();
    expect(maybeFindByTestId(Button, "data-health-fix-all")).toBeNull();
  });

  it("renders the empty state when nothing can be scored", async () => {
    const fetchJson = fakeFetch({
      "GET /api/cards/hygiene": { ...contactHygiene, score: null, findings: [] },
      "GET /api/cards/duplicates": { ...contactDuplicates, candidates: [] },
    });
    const { findByTestId, waitFor } = renderCard(fetchJson);
    await waitFor(() => expect(findByTestId(EmptyState, "data-health-empty").props.title).toBe("Nothing to score yet"));
  });

  it("renders the Worker's error message and retries on request", async () => {
    const fetchJson = fakeFetch({
      "GET /api/cards/hygiene": new Error("Signature expired"),
      "GET /api/cards/duplicates": contactDuplicates,
    });
    const { findByTestId, waitFor } = renderCard(fetchJson);
    await waitFor(() => expect(allText(findByTestId(ErrorState, "data-health-error"))).toContain("Signature expired"));
    findByTestId(Button, "data-health-error-retry").trigger("onClick");
    await waitFor(() => expect(fetchJson.mock.calls.filter((c) => c[0] === "GET /api/cards/hygiene").length).toBe(2));
  });

  it("shows each likely duplicate with its evidence and merge preview", async () => {
    const { findByTestId, waitFor } = renderCard();
    await waitFor(() => findByTestId(Tile, "duplicate-101-2207"));
    const tile = findByTestId(Tile, "duplicate-101-2207");
    expect(allText(tile)).toContain("97% to review");
    expect(allText(findByTestId(Table, "duplicate-101-2207-evidence"))).toContain("First name (nickname)");
    expect(allText(findByTestId(Table, "duplicate-101-2207-preview"))).toContain("bob.mcdonald@northwind.example (both kept)");
  });

  it("merges with the survivor from the preview and drops the pair from the card", async () => {
    const fetchJson = fakeFetch({
      "GET /api/cards/hygiene": contactHygiene,
      "GET /api/cards/duplicates": contactDuplicates,
      "POST /api/cards/duplicates/merge": { status: "merged", message: "Merged into Bob McDonald.", auditId: "a-2", newObjectId: "9999" },
    });
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(fetchJson);
    await waitFor(() => findByTestId(Button, "duplicate-101-2207-merge"));
    findByTestId(Button, "duplicate-101-2207-merge").trigger("onClick");
    await waitFor(() => expect(maybeFindByTestId(Tile, "duplicate-101-2207")).toBeNull());
    expect(fetchJson).toHaveBeenCalledWith("POST /api/cards/duplicates/merge", query, {
      pairId: "101-2207",
      otherId: "2207",
      primaryId: "2207",
    });
    expect(allText(findByTestId(Alert, "duplicates-outcome"))).toContain("Merged into Bob McDonald.");
  });

  it("remembers Not a duplicate through the dismiss endpoint", async () => {
    const fetchJson = fakeFetch({
      "GET /api/cards/hygiene": contactHygiene,
      "GET /api/cards/duplicates": contactDuplicates,
      "POST /api/cards/duplicates/dismiss": { dismissed: true, pairId: "101-3310" },
    });
    const { findByTestId, waitFor } = renderCard(fetchJson);
    await waitFor(() => findByTestId(Button, "duplicate-101-3310-dismiss"));
    findByTestId(Button, "duplicate-101-3310-dismiss").trigger("onClick");
    await waitFor(() => expect(allText(findByTestId(Alert, "duplicates-outcome"))).toContain("R. McDonald will not be suggested again."));
    expect(fetchJson).toHaveBeenCalledWith("POST /api/cards/duplicates/dismiss", query, { pairId: "101-3310", otherId: "3310" });
  });

  it("shows a refused merge as a failure and keeps the pair", async () => {
    const fetchJson = fakeFetch({
      "GET /api/cards/hygiene": contactHygiene,
      "GET /api/cards/duplicates": contactDuplicates,
      "POST /api/cards/duplicates/merge": { status: "refused", message: "Kill switch is on.", auditId: null, newObjectId: null },
    });
    const { findByTestId, waitFor } = renderCard(fetchJson);
    await waitFor(() => findByTestId(Button, "duplicate-101-2207-merge"));
    findByTestId(Button, "duplicate-101-2207-merge").trigger("onClick");
    await waitFor(() => expect(allText(findByTestId(Alert, "duplicates-outcome"))).toContain("Kill switch is on."));
    expect(findByTestId(Tile, "duplicate-101-2207")).toBeDefined();
  });

  it("hides Merge for users who may not merge", async () => {
    const fetchJson = fakeFetch({
      "GET /api/cards/hygiene": contactHygiene,
      "GET /api/cards/duplicates": { ...contactDuplicates, permissions: { canMerge: false } },
    });
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(fetchJson);
    await waitFor(() => expect(findByTestId(Text, "duplicates-no-permission").text).toContain("merge records"));
    expect(maybeFindByTestId(Button, "duplicate-101-2207-merge")).toBeNull();
  });
});
