import { BarChart, ErrorState, LineChart, StatisticsItem } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { describe, expect, it } from "vitest";
import { allText, fakeFetch, IDS } from "../../cards/components/test-support.ts";
import { dashboard } from "../../cards/fixtures/settings-fixtures.ts";
import { Dashboard } from "./Dashboard.tsx";

describe("Dashboard", () => {
  it("asks for daily figures and shows the SLA share, duplicate counts and blocked moves", async () => {
    const fetchJson = fakeFetch({ "GET /api/settings/dashboard": dashboard });
    const { findAll, waitFor, render } = createRenderer("home");
    render(<Dashboard {...IDS} fetchJson={fetchJson} />);
    await waitFor(() =>
      expect(findAll(StatisticsItem).map((s) => [s.props.label, s.props.number])).toEqual([
        ["Worked within 30 min", "93%"],
        ["Duplicates merged", 37],
        ["Flagged for review", 112],
        ["Merges undone", 2],
        ["Stage moves blocked", 19],
      ]),
    );
    expect(fetchJson).toHaveBeenCalledWith("GET /api/settings/dashboard", { ...IDS, granularity: "day" });
  });

  it("charts p50 and p95 speed to lead per day, and each rep's share against their weight", async () => {
    const { findByTestId, waitFor, render } = createRenderer("home");
    render(<Dashboard {...IDS} fetchJson={fakeFetch({ "GET /api/settings/dashboard": dashboard })} />);
    await waitFor(() => findByTestId(LineChart, "dashboard-speed"));
    const speed = findByTestId(LineChart, "dashboard-speed").props.data as Array<Record<string, unknown>>;
    expect(speed).toHaveLength(28);
    expect(speed[1]).toEqual({ date: "2026-03-01", minutes: 38, percentile: "p95" });
    const reps = findByTestId(BarChart, "dashboard-reps").props.data as Array<Record<string, unknown>>;
    expect(reps.slice(0, 2)).toEqual([
      { rep: "Dana Reyes", share: 41, series: "Actual %" },
      { rep: "Dana Reyes", share: 40, series: "Weight %" },
    ]);
  });

  it("shows the Worker's error", async () => {
    const { findByTestId, waitFor, render } = createRenderer("home");
    render(<Dashboard {...IDS} fetchJson={fakeFetch({ "GET /api/settings/dashboard": new Error("Only admins see the dashboard") })} />);
    await waitFor(() => expect(allText(findByTestId(ErrorState, "dashboard-error"))).toContain("Only admins see the dashboard"));
  });
});
