import {
  BarChart,
  ErrorState,
  Flex,
  Heading,
  LineChart,
  LoadingSpinner,
  Statistics,
  StatisticsItem,
  Text,
  Tile,
} from "@hubspot/ui-extensions";
import { useEffect, useState } from "react";
import { errorMessage, type FetchJson } from "../../cards/api/client.ts";
import type { DashboardResponse } from "../../cards/api/contract.ts";
import { formatShare } from "../../cards/components/format.ts";

type State = { status: "loading" } | { status: "ready"; data: DashboardResponse } | { status: "error"; message: string };

export type DashboardProps = { portalId: number; userId: number; fetchJson: FetchJson };

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Tile>
      <Flex direction="column" gap="sm">
        <Heading>{title}</Heading>
        {children}
      </Flex>
    </Tile>
  );
}

function Charts({ data }: { data: DashboardResponse }) {
  const speed = data.speedToLead.series.flatMap((p) => [
    { date: p.date, minutes: p.p50Minutes, percentile: "p50" },
    { date: p.date, minutes: p.p95Minutes, percentile: "p95" },
  ]);
  const reps = data.leadsPerRep.flatMap((r) => [
    { rep: r.name, share: Math.round(r.share * 100), series: "Actual %" },
    { rep: r.name, share: Math.round(r.targetShare * 100), series: "Weight %" },
  ]);
  const dupes = data.duplicates.series.flatMap((d) => [
    { date: d.date, count: d.merged, kind: "merged" },
    { date: d.date, count: d.flagged, kind: "flagged" },
    { date: d.date, count: d.undone, kind: "undone" },
  ]);
  return (
    <Flex direction="column" gap="md">
      <Section title="Speed to lead">
        <LineChart
          data={speed}
          axes={{
            x: { field: "date", fieldType: "datetime", label: "Day" },
            y: { field: "minutes", fieldType: "linear", label: "Minutes" },
            options: { groupFieldByColor: "percentile" },
          }}
          options={{ title: "Minutes from creation to owner", showLegend: true }}
          testId="dashboard-speed"
        />
      </Section>
      <Section title="Leads per rep against their weights">
        <BarChart
          data={reps}
          axes={{
            x: { field: "rep", fieldType: "category", label: "Rep" },
            y: { field: "share", fieldType: "linear", label: "Share %" },
            options: { groupFieldByColor: "series" },
          }}
          options={{ showLegend: true }}
          testId="dashboard-reps"
        />
      </Section>
      <Section title="Hygiene">
        <BarChart
          data={data.hygiene.distribution}
          axes={{
            x: { field: "bucket", fieldType: "category", label: "Score" },
            y: { field: "count", fieldType: "linear", label: "Records" },
          }}
          options={{ title: "Records by score" }}
          testId="dashboard-hygiene-distribution"
        />
        <LineChart
          data={data.hygiene.trend}
          axes={{
            x: { field: "date", fieldType: "datetime", label: "Day" },
            y: { field: "average", fieldType: "linear", label: "Average score" },
          }}
          options={{ title: "Average score" }}
          testId="dashboard-hygiene-trend"
        />
      </Section>
      <Section title="Duplicates">
        <LineChart
          data={dupes}
          axes={{
            x: { field: "date", fieldType: "datetime", label: "Day" },
            y: { field: "count", fieldType: "linear", label: "Pairs" },
            options: { groupFieldByColor: "kind" },
          }}
          options={{ showLegend: true }}
          testId="dashboard-duplicates"
        />
      </Section>
      <Section title="Stage moves blocked">
        <BarChart
          data={data.stageMovesBlocked.byRule}
          axes={{ x: { field: "rule", fieldType: "category", label: "Rule" }, y: { field: "count", fieldType: "linear", label: "Moves" } }}
          options={{ title: "By rule" }}
          testId="dashboard-blocked-rule"
        />
        <BarChart
          data={data.stageMovesBlocked.byRep}
          axes={{ x: { field: "name", fieldType: "category", label: "Rep" }, y: { field: "count", fieldType: "linear", label: "Moves" } }}
          options={{ title: "By rep" }}
          testId="dashboard-blocked-rep"
        />
      </Section>
    </Flex>
  );
}

/** The leaders' dashboard (the app's home page): speed to lead, fairness, hygiene, duplicates and blocked moves. */
export function Dashboard({ portalId, userId, fetchJson }: DashboardProps) {
  const [state, setState] = useState<State>({ status: "loading" });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the identity names the request; a new fetchJson per render must not refetch
  useEffect(() => {
    let live = true;
    fetchJson("GET /api/settings/dashboard", { portalId, userId, granularity: "day" })
      .then((data) => live && setState({ status: "ready", data }))
      .catch((err: unknown) => live && setState({ status: "error", message: errorMessage(err) }));
    return () => {
      live = false;
    };
  }, [portalId, userId]);
  if (state.status === "loading")
    return <LoadingSpinner label="Loading the dashboard" showLabel layout="centered" testId="dashboard-loading" />;
  if (state.status === "error") {
    return (
      <ErrorState title="Could not load the dashboard" testId="dashboard-error">
        <Text>{state.message}</Text>
      </ErrorState>
    );
  }
  const { data } = state;
  const blocked = data.stageMovesBlocked.byRule.reduce((n, r) => n + r.count, 0);
  return (
    <Flex direction="column" gap="md" testId="dashboard">
      <Text variant="microcopy">{`${data.range.from} to ${data.range.to}`}</Text>
      <Statistics testId="dashboard-stats">
        <StatisticsItem label={`Worked within ${data.speedToLead.slaMinutes} min`} number={formatShare(data.speedToLead.slaShare)} />
        <StatisticsItem label="Duplicates merged" number={data.duplicates.merged} />
        <StatisticsItem label="Flagged for review" number={data.duplicates.flagged} />
        <StatisticsItem label="Merges undone" number={data.duplicates.undone} />
        <StatisticsItem label="Stage moves blocked" number={blocked} />
      </Statistics>
      <Charts data={data} />
    </Flex>
  );
}
