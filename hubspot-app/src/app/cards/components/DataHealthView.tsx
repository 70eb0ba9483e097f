import { Divider, Flex } from "@hubspot/ui-extensions";
import { useState } from "react";
import { errorMessage, type FetchJson } from "../api/client.ts";
import type { DuplicateCandidate, HygieneFixRequest, ObjectType, RecordQuery } from "../api/contract.ts";
import { Empty, LoadError, Loading } from "./CardStates.tsx";
import { DuplicatesSection } from "./DuplicatesSection.tsx";
import { HygieneSection } from "./HygieneSection.tsx";
import { type Action, useLoad } from "./use-load.ts";

export type DataHealthViewProps = {
  portalId: number;
  userId: number;
  objectId: number;
  fetchJson: FetchJson;
  objectType?: ObjectType;
  /** Contacts show likely duplicates; companies (account health) do not. */
  showDuplicates?: boolean;
  recordUrl?: (id: string) => string | null;
};

function useHygiene(query: RecordQuery, fetchJson: FetchJson) {
  const key = JSON.stringify(query);
  const hygiene = useLoad(() => fetchJson("GET /api/cards/hygiene", query), key);
  const [action, setAction] = useState<Action>({ status: "idle" });
  const fix = (request: HygieneFixRequest, label: string) => {
    setAction({ status: "running", id: "findingIds" in request ? (request.findingIds[0] ?? "") : "all" });
    fetchJson("POST /api/cards/hygiene/fix", query, request)
      .then((res) => {
        hygiene.replace(res.card);
        const refused = res.refused.map((r) => r.reason).join("; ");
        setAction({
          status: "done",
          message: `Fixed ${res.applied.length === 1 ? label : `${res.applied.length} fields`}.${refused ? ` Not fixed: ${refused}` : ""}`,
        });
      })
      .catch((err: unknown) => setAction({ status: "failed", message: errorMessage(err) }));
  };
  return { hygiene, action, fix };
}

function useDuplicates(query: RecordQuery, fetchJson: FetchJson, enabled: boolean) {
  const duplicates = useLoad(
    () => (enabled ? fetchJson("GET /api/cards/duplicates", query) : Promise.resolve(null)),
    `${JSON.stringify(query)}:${enabled}`,
  );
  const [action, setAction] = useState<Action>({ status: "idle" });
  const settle = (pairId: string, message: string) => {
    if (duplicates.state.status === "ready" && duplicates.state.data) {
      const data = duplicates.state.data;
      duplicates.replace({ ...data, candidates: data.candidates.filter((c) => c.pairId !== pairId) });
    }
    setAction({ status: "done", message });
  };
  const fail = (err: unknown) => setAction({ status: "failed", message: errorMessage(err) });
  const merge = (c: DuplicateCandidate) => {
    setAction({ status: "running", id: c.pairId });
    fetchJson("POST /api/cards/duplicates/merge", query, { pairId: c.pairId, otherId: c.other.id, primaryId: c.preview.primaryId })
      .then((res) => (res.status === "refused" ? setAction({ status: "failed", message: res.message }) : settle(c.pairId, res.message)))
      .catch(fail);
  };
  const dismiss = (c: DuplicateCandidate) => {
    setAction({ status: "running", id: c.pairId });
    fetchJson("POST /api/cards/duplicates/dismiss", query, { pairId: c.pairId, otherId: c.other.id })
      .then(() => settle(c.pairId, `${c.other.name} will not be suggested again.`))
      .catch(fail);
  };
  return { duplicates, action, merge, dismiss };
}

/** Contact (and company) data health: the hygiene score with its fixes and, for contacts, likely duplicates. */
export function DataHealthView({
  portalId,
  userId,
  objectId,
  fetchJson,
  objectType = "contacts",
  showDuplicates = objectType === "contacts",
  recordUrl,
}: DataHealthViewProps) {
  const query: RecordQuery = { portalId, userId, objectType, objectId };
  const { hygiene, action, fix } = useHygiene(query, fetchJson);
  const dupes = useDuplicates(query, fetchJson, showDuplicates);

  if (hygiene.state.status === "loading") return <Loading label="Scoring this record" testId="data-health-loading" />;
  if (hygiene.state.status === "error") {
    return (
      <LoadError title="Could not load data health" message={hygiene.state.message} testId="data-health-error" onRetry={hygiene.reload} />
    );
  }
  const { data } = hygiene.state;
  const dupState = dupes.duplicates.state;
  return (
    <Flex direction="column" gap="sm">
      {data.score === null ? (
        <Empty title="Nothing to score yet" testId="data-health-empty">
          This record has no data the score can use yet.
        </Empty>
      ) : (
        <HygieneSection data={data} action={action} onFix={fix} testPrefix="data-health" />
      )}
      {showDuplicates && <Divider />}
      {showDuplicates && dupState.status === "loading" && <Loading label="Looking for duplicates" testId="duplicates-loading" />}
      {showDuplicates && dupState.status === "error" && (
        <LoadError
          title="Could not load duplicates"
          message={dupState.message}
          testId="duplicates-error"
          onRetry={dupes.duplicates.reload}
        />
      )}
      {dupState.status === "ready" && dupState.data && (
        <DuplicatesSection
          data={dupState.data}
          action={dupes.action}
          onMerge={dupes.merge}
          onDismiss={dupes.dismiss}
          recordUrl={recordUrl}
        />
      )}
    </Flex>
  );
}
