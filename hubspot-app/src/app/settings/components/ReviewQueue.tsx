import { Alert, Button, Flex, Tag, Text, Tile } from "@hubspot/ui-extensions";
import { useState } from "react";
import { errorMessage, type FetchJson } from "../../cards/api/client.ts";
import type { IdentityQuery, ReviewQueueItem } from "../../cards/api/contract.ts";
import { formatProbability, formatWeight } from "../../cards/components/format.ts";
import { type Action, useLoad } from "./use-load.ts";

export type ReviewQueueProps = { fetchJson: FetchJson; query: IdentityQuery };

/** Suggested duplicate pairs across the portal; Merge and Not a duplicate go through the card endpoints. */
export function ReviewQueue({ fetchJson, query }: ReviewQueueProps) {
  const queue = useLoad(() => fetchJson("GET /api/settings/review-queue", query), "queue");
  const [gone, setGone] = useState<string[]>([]);
  const [action, setAction] = useState<Action>({ status: "idle" });
  const decide = (item: ReviewQueueItem, merge: boolean) => {
    const record = { ...query, objectType: "contacts" as const, objectId: Number(item.a.id) };
    setAction({ status: "running", id: item.pairId });
    const request = merge
      ? fetchJson("POST /api/cards/duplicates/merge", record, {
          pairId: item.pairId,
          otherId: item.b.id,
          primaryId: item.preview.primaryId,
        }).then((r) => r.message)
      : fetchJson("POST /api/cards/duplicates/dismiss", record, { pairId: item.pairId, otherId: item.b.id }).then(
          () => `${item.a.name} and ${item.b.name} will not be suggested again.`,
        );
    request
      .then((message) => {
        setGone((g) => [...g, item.pairId]);
        setAction({ status: "done", message });
      })
      .catch((err: unknown) => setAction({ status: "failed", message: errorMessage(err) }));
  };
  if (queue.status === "loading") return <Text>Loading the review queue…</Text>;
  if (queue.status === "error")
    return (
      <Alert title="Could not load the review queue" variant="danger">
        {queue.message}
      </Alert>
    );
  const items = queue.data.items.filter((i) => !gone.includes(i.pairId));
  return (
    <Flex direction="column" gap="sm" testId="review-queue">
      <Text>{items.length === 0 ? "Nothing to review." : `${items.length} pair(s) to review`}</Text>
      {action.status === "done" && (
        <Alert title="Done" variant="success" testId="review-outcome">
          {action.message}
        </Alert>
      )}
      {action.status === "failed" && (
        <Alert title="That did not work" variant="danger" testId="review-outcome">
          {action.message}
        </Alert>
      )}
      {items.map((item) => (
        <Tile key={item.pairId} compact testId={`review-${item.pairId}`}>
          <Flex direction="column" gap="xs">
            <Flex direction="row" gap="xs" align="center" wrap>
              <Text format={{ fontWeight: "bold" }}>{`${item.a.name} ↔ ${item.b.name}`}</Text>
              <Tag variant="warning">{formatProbability(item.score)}</Tag>
            </Flex>
            <Text variant="microcopy">{item.evidence.map((e) => `${e.fieldLabel} ${e.level} ${formatWeight(e.weight)}`).join(" · ")}</Text>
            <Text variant="microcopy">{item.preview.primaryReason}</Text>
            <Flex direction="row" gap="xs">
              <Button
                size="xs"
                variant="primary"
                disabled={action.status === "running"}
                onClick={() => decide(item, true)}
                testId={`review-${item.pairId}-merge`}
              >
                Merge
              </Button>
              <Button
                size="xs"
                variant="secondary"
                disabled={action.status === "running"}
                onClick={() => decide(item, false)}
                testId={`review-${item.pairId}-dismiss`}
              >
                Not a duplicate
              </Button>
            </Flex>
          </Flex>
        </Tile>
      ))}
    </Flex>
  );
}
