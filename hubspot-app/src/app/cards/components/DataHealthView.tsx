import {
  Alert,
  DescriptionList,
  DescriptionListItem,
  EmptyState,
  ErrorState,
  Flex,
  LoadingSpinner,
  StatusTag,
  Text,
} from "@hubspot/ui-extensions";
import { useEffect, useState } from "react";
import type { FetchJson } from "../api/client.ts";
import type { HygieneCardResponse, Severity } from "../api/contract.ts";

type State = { status: "loading" } | { status: "ready"; data: HygieneCardResponse } | { status: "error"; message: string };

const TAG_VARIANT = { info: "info", warning: "warning", error: "danger" } as const satisfies Record<Severity, string>;

export type DataHealthViewProps = {
  portalId: number;
  userId: number;
  objectId: number;
  fetchJson: FetchJson;
};

/** Hygiene score and findings of one contact, as the Worker computed them. */
export function DataHealthView({ portalId, userId, objectId, fetchJson }: DataHealthViewProps) {
  const [state, setState] = useState<State>({ status: "loading" });

  useEffect(() => {
    let live = true;
    fetchJson<HygieneCardResponse>("/api/cards/hygiene", { portalId, userId, objectType: "contacts", objectId })
      .then((data) => live && setState({ status: "ready", data }))
      .catch((err: unknown) => live && setState({ status: "error", message: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
  }, [portalId, userId, objectId, fetchJson]);

  if (state.status === "loading") return <LoadingSpinner label="Scoring this record" />;
  if (state.status === "error") {
    return (
      <ErrorState title="Could not load data health" testId="data-health-error">
        <Text>{state.message}</Text>
      </ErrorState>
    );
  }
  const { data } = state;
  if (data.score === null) {
    return (
      <EmptyState title="Nothing to score yet" testId="data-health-empty">
        <Text>This record has no data the score can use yet.</Text>
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="sm">
      {data.mode === "observe" && (
        <Alert title="Observe-only" variant="info" testId="data-health-observe">
          Fixes are suggested here and written only after an admin turns them on.
        </Alert>
      )}
      <Text format={{ fontWeight: "bold" }} testId="data-health-score">
        Score {data.score} / 100
      </Text>
      {data.findings.length === 0 ? (
        <Text testId="data-health-clean">No problems found.</Text>
      ) : (
        <DescriptionList direction="column">
          {data.findings.map((f) => (
            <DescriptionListItem key={`${f.code}:${f.field}`} label={f.field}>
              <StatusTag variant={TAG_VARIANT[f.severity]}>{f.code}</StatusTag>
              <Text>{f.message}</Text>
            </DescriptionListItem>
          ))}
        </DescriptionList>
      )}
    </Flex>
  );
}
