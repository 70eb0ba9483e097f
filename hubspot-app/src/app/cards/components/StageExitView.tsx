import { Alert, Divider, Flex, Heading, Link, ProgressBar, StatusTag, Text, Tile } from "@hubspot/ui-extensions";
import type { FetchJson } from "../api/client.ts";
import type { BlockedMove, ChecklistItem, DealGatesCardResponse, QualificationScore, RecordQuery } from "../api/contract.ts";
import { Empty, LoadError, Loading, ObserveNotice } from "./CardStates.tsx";
import { formatTime } from "./format.ts";
import { useLoad } from "./use-load.ts";

export type StageExitViewProps = { portalId: number; userId: number; objectId: number; fetchJson: FetchJson };

const REVERT_TEXT = {
  reverted: "Moved back",
  refused: "The CRM refused the move back",
  not_attempted: "Not moved back (warn mode)",
} as const satisfies Record<BlockedMove["revert"], string>;

function ChecklistRow({ item }: { item: ChecklistItem }) {
  return (
    <Flex direction="column" gap="xs" testId={`checklist-${item.id}`}>
      <Flex direction="row" gap="xs" align="center" wrap>
        <StatusTag variant={item.met ? "success" : "danger"}>{item.met ? "Met" : "Missing"}</StatusTag>
        <Text format={{ fontWeight: "demibold" }}>{item.label}</Text>
      </Flex>
      {!item.met && <Text variant="microcopy">{item.reason}</Text>}
      {!item.met && item.fillUrl && (
        <Link href={{ url: item.fillUrl, external: false }} testId={`checklist-${item.id}-fill`}>
          {item.properties.length > 0
            ? `Fill ${item.properties.map((p) => p.label).join(", ")}`
            : item.kind === "association"
              ? "Open associations"
              : "Open the deal"}
        </Link>
      )}
    </Flex>
  );
}

function ScoreBar({ score }: { score: QualificationScore }) {
  const below = score.minScore !== null && score.score < score.minScore;
  return (
    <Flex direction="column" gap="xs" testId={`qualification-${score.framework}`}>
      <ProgressBar
        title={`${score.framework}${score.minScore !== null ? ` (needs ${score.minScore})` : ""}`}
        value={score.score}
        maxValue={100}
        valueDescription={`${score.score} / 100`}
        variant={below ? "danger" : "success"}
      />
      <Text variant="microcopy">{score.elements.map((e) => `${e.letter} ${e.score}`).join(" · ")}</Text>
    </Flex>
  );
}

function MoveTile({ move }: { move: BlockedMove }) {
  return (
    <Tile compact testId={`blocked-move-${move.id}`}>
      <Flex direction="column" gap="xs">
        <Flex direction="row" gap="xs" align="center" wrap>
          <StatusTag variant={move.verdict === "blocked" ? "danger" : "warning"}>
            {move.verdict === "blocked" ? "Blocked" : "Warned"}
          </StatusTag>
          <Text format={{ fontWeight: "demibold" }}>{`${move.from?.label ?? "—"} → ${move.to.label}`}</Text>
        </Flex>
        <Text variant="microcopy">{`${formatTime(move.at)} by ${move.by.name} (${move.by.source})`}</Text>
        {move.reasons.map((r) => (
          <Text key={r}>{`• ${r}`}</Text>
        ))}
        <Text
          variant={move.revert === "refused" ? "bodytext" : "microcopy"}
          format={move.revert === "refused" ? { fontWeight: "bold" } : {}}
          testId={`blocked-move-${move.id}-revert`}
        >
          {`${REVERT_TEXT[move.revert]}${move.revertError ? `: ${move.revertError}` : ""}`}
        </Text>
      </Flex>
    </Tile>
  );
}

function Checklist({ data }: { data: DealGatesCardResponse }) {
  if (!data.nextStage) return <Text testId="stage-exit-closed">{`This deal is closed (${data.stage.label}).`}</Text>;
  return (
    <Flex direction="column" gap="sm">
      <Heading>{`To leave ${data.stage.label} for ${data.nextStage.label}`}</Heading>
      <Text testId="stage-exit-progress">{`${data.metCount} of ${data.items.length} met · ${data.gateMode === "enforce" ? "enforced" : "warn only"}`}</Text>
      {data.items.length === 0 && <Text>This stage has no exit criteria.</Text>}
      {data.ready && data.items.length > 0 && (
        <Alert title="Ready to move" variant="success">
          Every exit criterion is met.
        </Alert>
      )}
      {data.items.map((item) => (
        <ChecklistRow key={item.id} item={item} />
      ))}
    </Flex>
  );
}

/** The deal's next-stage checklist, qualification scores and blocked-move history. */
export function StageExitView({ portalId, userId, objectId, fetchJson }: StageExitViewProps) {
  const query: RecordQuery = { portalId, userId, objectType: "deals", objectId };
  const gates = useLoad(() => fetchJson("GET /api/cards/deal-gates", query), JSON.stringify(query));
  if (gates.state.status === "loading") return <Loading label="Checking exit criteria" testId="stage-exit-loading" />;
  if (gates.state.status === "error")
    return (
      <LoadError title="Could not load exit criteria" message={gates.state.message} testId="stage-exit-error" onRetry={gates.reload} />
    );
  const { data } = gates.state;
  if (data.nextStage && data.items.length === 0 && data.scores.length === 0 && data.blockedMoves.length === 0) {
    return (
      <Empty
        title="No exit criteria here"
        testId="stage-exit-empty"
      >{`An admin has set no criteria for ${data.stage.label} in ${data.pipeline.label}.`}</Empty>
    );
  }
  return (
    <Flex direction="column" gap="sm">
      {data.mode === "observe" && (
        <ObserveNotice
          what="Stage gates record moves without moving deals back or adding notes"
          reason={data.modeReason}
          testId="stage-exit-observe"
        />
      )}
      <Checklist data={data} />
      {data.scores.length > 0 && <Divider />}
      {data.scores.length > 0 && <Heading>Qualification</Heading>}
      {data.scores.map((s) => (
        <ScoreBar key={s.framework} score={s} />
      ))}
      <Divider />
      <Heading>{data.blockedMoves.length === 0 ? "No blocked moves" : `Blocked moves (${data.blockedMoves.length})`}</Heading>
      {data.blockedMoves.map((m) => (
        <MoveTile key={m.id} move={m} />
      ))}
    </Flex>
  );
}
