import { Alert, EmptyState, ErrorState, StatusTag, Text } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { describe, expect, it, vi } from "vitest";
import type { FetchJson } from "../api/client.ts";
import type { HygieneCardResponse } from "../api/contract.ts";
import { DataHealthView } from "./DataHealthView.tsx";

const scored: HygieneCardResponse = {
  objectType: "contacts",
  objectId: "101",
  score: 72,
  breakdown: [{ part: "validity", score: 50, weight: 0.3 }],
  findings: [
    {
      code: "phone_not_e164",
      field: "phone",
      severity: "warning",
      message: "Phone is not in E.164 format",
      fix: { value: "+14155550100", safe: true },
    },
  ],
  mode: "observe",
};

function fetchReturning(value: unknown): FetchJson {
  return vi.fn(async () => value) as unknown as FetchJson;
}

describe("DataHealthView", () => {
  it("asks the Worker for this record with the portal and user in the query", async () => {
    const fetchJson = fetchReturning(scored);
    const { render, waitFor } = createRenderer("crm.record.sidebar");
    render(<DataHealthView portalId={7} userId={9} objectId={101} fetchJson={fetchJson} />);
    await waitFor(() =>
      expect(fetchJson).toHaveBeenCalledWith("/api/cards/hygiene", { portalId: 7, userId: 9, objectType: "contacts", objectId: 101 }),
    );
  });

  it("shows the score, each finding and the observe-only notice", async () => {
    const { render, waitFor, findByTestId, find } = createRenderer("crm.record.sidebar");
    render(<DataHealthView portalId={7} userId={9} objectId={101} fetchJson={fetchReturning(scored)} />);
    await waitFor(() => expect(findByTestId(Text, "data-health-score").text).toBe("Score 72 / 100"));
    expect(findByTestId(Alert, "data-health-observe")).toBeDefined();
    expect(find(StatusTag).text).toBe("phone_not_e164");
  });

  it("renders an error state with the Worker's message", async () => {
    const failing = vi.fn(async () => {
      throw new Error("Signature expired");
    }) as unknown as FetchJson;
    const { render, waitFor, findByTestId } = createRenderer("crm.record.sidebar");
    render(<DataHealthView portalId={7} userId={9} objectId={101} fetchJson={failing} />);
    await waitFor(() => expect(findByTestId(ErrorState, "data-health-error").find(Text).text).toBe("Signature expired"));
  });

  it("renders an empty state when nothing can be scored", async () => {
    const { render, waitFor, findByTestId } = createRenderer("crm.record.sidebar");
    render(<DataHealthView portalId={7} userId={9} objectId={101} fetchJson={fetchReturning({ ...scored, score: null, findings: [] })} />);
    await waitFor(() => expect(findByTestId(EmptyState, "data-health-empty")).toBeDefined());
  });
});
