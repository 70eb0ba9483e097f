import { Alert, Button, EmptyState, ErrorState, Flex, StatusTag, Text } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { describe, expect, it } from "vitest";
import type { FetchJson } from "../api/client.ts";
import { companyHygiene, companyRouting, contactRouting } from "../fixtures/card-fixtures.ts";
import { AccountHealthView } from "./AccountHealthView.tsx";
import { RoutingView } from "./RoutingView.tsx";
import { allText, fakeFetch, IDS } from "./test-support.ts";

const query = { ...IDS, objectType: "contacts", objectId: 101 };

function renderCard(fetchJson: FetchJson) {
  const renderer = createRenderer("crm.record.sidebar");
  renderer.render(<RoutingView {...IDS} objectId={101} fetchJson={fetchJson} />);
  return renderer;
}

describe("RoutingView", () => {
  it("shows the owner, the matched rule, speed-to-lead, the SLA and the reason chain", async () => {
    const { findByTestId, waitFor } = renderCard(fakeFetch({ "GET /api/cards/routing": contactRouting }));
    await waitFor(() => expect(findByTestId(Text, "routing-owner").text).toBe("Dana Reyes"));
    expect(findByTestId(Text, "routing-rule").text).toBe("Rule: US West, 50+ employees");
    expect(findByTestId(Text, "routing-speed").text).toBe("42 s");
    expect(findByTestId(StatusTag, "routing-sla").text).toBe("SLA running");
    expect(allText(findByTestId(Flex, "routing-reasons"))).toContain("3. Queue “US West inbound” picks by weighted round robin");
    expect(allText(findByTestId(Flex, "routing-candidate-72"))).toContain("Skipped Sam Okafor: on time off until 2026-03-16");
  });

  it("re-routes through the Worker and shows the new decision", async () => {
    const rerouted = { ...contactRouting, owner: { id: "73", name: "Lee Chen", email: null } };
    const fetchJson = fakeFetch({
      "GET /api/cards/routing": contactRouting,
      "POST /api/cards/routing/reroute": { status: "rerouted", message: "Now owned by Lee Chen.", card: rerouted },
    });
    const { findByTestId, waitFor } = renderCard(fetchJson);
    await waitFor(() => findByTestId(Button, "routing-reroute"));
    findByTestId(Button, "routing-reroute").trigger("onClick");
    await waitFor(() => expect(findByTestId(Text, "routing-owner").text).toBe("Lee Chen"));
    expect(fetchJson).toHaveBeenCalledWith("POST /api/cards/routing/reroute", query, { reason: "Re-routed from the card" });
    expect(allText(findByTestId(Alert, "routing-outcome"))).toBe("Now owned by Lee Chen.");
  });

  it("offers no Re-route to users who may not re-route", async () => {
    const { findByTestId, maybeFindByTestId, waitFor } = renderCard(
      fakeFetch({ "GET /api/cards/routing": { ...contactRouting, permissions: { canReroute: false } } }),
    );
    await waitFor(() => expect(findByTestId(Text, "routing-no-permission").text).toContain("re-route"));
    expect(maybeFindByTestId(Button, "routing-reroute")).toBeNull();
  });

  it("says routing only observes, and why", async () => {
    const { findByTestId, waitFor } = renderCard(
      fakeFetch({ "GET /api/cards/routing": { ...contactRouting, mode: "observe", modeReason: "Kill switch is on" } }),
    );
    await waitFor(() => expect(allText(findByTestId(Alert, "routing-observe"))).toContain("Kill switch is on"));
  });

  it("shows the empty state for a record never routed, and the error state with the Worker's message", async () => {
    const empty = renderCard(fakeFetch({ "GET /api/cards/routing": { ...contactRouting, status: "unrouted", owner: null } }));
    await empty.waitFor(() => expect(empty.findByTestId(EmptyState, "routing-empty").props.title).toBe("Not routed yet"));
    const failing = renderCard(fakeFetch({ "GET /api/cards/routing": new Error("Portal not installed") }));
    await failing.waitFor(() => expect(allText(failing.findByTestId(ErrorState, "routing-error"))).toContain("Portal not installed"));
  });
});

describe("AccountHealthView", () => {
  it("asks for the company's hygiene and ownership, never for contact duplicates", async () => {
    const fetchJson = fakeFetch({ "GET /api/cards/hygiene": companyHygiene, "GET /api/cards/routing": companyRouting });
    const r = createRenderer("crm.record.sidebar");
    r.render(<AccountHealthView {...IDS} objectId={5001} fetchJson={fetchJson} />);
    await r.waitFor(() => expect(r.findByTestId(Text, "data-health-score").text).toBe("Score 88 / 100"));
    await r.waitFor(() => expect(r.findByTestId(Text, "routing-owner").text).toBe("Dana Reyes"));
    const company = { ...IDS, objectType: "companies", objectId: 5001 };
    expect(fetchJson).toHaveBeenCalledWith("GET /api/cards/hygiene", company);
    expect(fetchJson).toHaveBeenCalledWith("GET /api/cards/routing", company);
    expect(fetchJson.mock.calls.map((c) => c[0])).not.toContain("GET /api/cards/duplicates");
  });
});
