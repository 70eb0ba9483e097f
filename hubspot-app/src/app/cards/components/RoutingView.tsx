import { Button, DescriptionList, DescriptionListItem, Divider, Flex, Heading, StatusTag, Text } from "@hubspot/ui-extensions";
import { useState } from "react";
import { errorMessage, type FetchJson } from "../api/client.ts";
import type { ObjectType, RecordQuery, RoutingCardResponse, SlaStatus } from "../api/contract.ts";
import { ActionOutcome, Empty, LoadError, Loading, NoPermission, ObserveNotice } from "./CardStates.tsx";
import { formatDuration, formatTime } from "./format.ts";
import { type Action, useLoad } from "./use-load.ts";

const SLA_TAG = {
  met: { variant: "success", label: "SLA met" },
  pending: { variant: "warning", label: "SLA running" },
  breached: { variant: "danger", label: "SLA breached" },
  none: { variant: "default", label: "No SLA" },
} as const satisfies Record<SlaStatus, { variant: string; label: string }>;

export type RoutingViewProps = {
  portalId: number;
  userId: number;
  objectId: number;
  fetchJson: FetchJson;
  objectType?: ObjectType;
  /** Company cards show ownership without the lead's speed-to-lead and SLA. */
  compact?: boolean;
};

function Decision({ data, compact }: { data: RoutingCardResponse; compact: boolean }) {
  const sla = SLA_TAG[data.sla.status];
  return (
    <DescriptionList direction="column">
      <DescriptionListItem label="Owner">
        <Text format={{ fontWeight: "bold" }} testId="routing-owner">
          {data.owner ? data.owner.name : "Nobody yet"}
        </Text>
      </DescriptionListItem>
      <DescriptionListItem label="Why">
        <Text testId="routing-rule">
          {data.accountMatch
            ? `Account owner of ${data.accountMatch.name} (${data.accountMatch.matchedOn})`
            : data.matchedRule
              ? `Rule: ${data.matchedRule.name}`
              : "No rule matched"}
        </Text>
      </DescriptionListItem>
      {data.queue && (
        <DescriptionListItem label="Queue">
          <Text>{`${data.queue.name}${data.strategy ? ` · ${data.strategy.replaceAll("_", " ")}` : ""}`}</Text>
        </DescriptionListItem>
      )}
      {!compact && (
        <DescriptionListItem label="Speed to lead">
          <Text testId="routing-speed">{data.speedToLeadMs === null ? "—" : formatDuration(data.speedToLeadMs)}</Text>
        </DescriptionListItem>
      )}
      {!compact && (
        <DescriptionListItem label="SLA">
          <Flex direction="column" gap="xs">
            <StatusTag variant={sla.variant} testId="routing-sla">
              {sla.label}
            </StatusTag>
            {data.sla.dueAt && (
              <Text variant="microcopy">{`${data.sla.status === "pending" ? "Due" : "Was due"} ${formatTime(data.sla.dueAt)}`}</Text>
            )}
          </Flex>
        </DescriptionListItem>
      )}
    </DescriptionList>
  );
}

function ReasonChain({ data }: { data: RoutingCardResponse }) {
  return (
    <Flex direction="column" gap="xs" testId="routing-reasons">
      <Heading>Reason chain</Heading>
      {data.reasons.map((r, i) => (
        <Text key={r}>{`${i + 1}. ${r}`}</Text>
      ))}
      {data.rulesEvaluated.map((r) => (
        <Text key={r.ruleId} variant="microcopy">{`${r.matched ? "✓" : "✗"} ${r.ruleName}: ${r.reason}`}</Text>
      ))}
      {data.candidates.length > 0 && <Heading>Reps considered</Heading>}
      {data.candidates.map((c) => (
        <Flex key={c.id} direction="row" gap="xs" align="center" wrap testId={`routing-candidate-${c.id}`}>
          <StatusTag variant={c.chosen ? "success" : c.eligible ? "info" : "default"}>
            {c.chosen ? "Chosen" : c.eligible ? "Eligible" : "Skipped"}
          </StatusTag>
          <Text>{`${c.name}: ${c.why}`}</Text>
        </Flex>
      ))}
    </Flex>
  );
}

/** Who owns the record, the rule and reasons that chose them, speed-to-lead and SLA; admins can re-route. */
export function RoutingView({ portalId, userId, objectId, fetchJson, objectType = "contacts", compact = false }: RoutingViewProps) {
  const query: RecordQuery = { portalId, userId, objectType, objectId };
  const routing = useLoad(() => fetchJson("GET /api/cards/routing", query), JSON.stringify(query));
  const [action, setAction] = useState<Action>({ status: "idle" });
  const reroute = () => {
    setAction({ status: "running", id: "reroute" });
    fetchJson("POST /api/cards/routing/reroute", query, { reason: "Re-routed from the card" })
      .then((res) => {
        routing.replace(res.card);
        setAction({ status: "done", message: res.message });
      })
      .catch((err: unknown) => setAction({ status: "failed", message: errorMessage(err) }));
  };

  if (routing.state.status === "loading") return <Loading label="Loading the routing decision" testId="routing-loading" />;
  if (routing.state.status === "error")
    return <LoadError title="Could not load routing" message={routing.state.message} testId="routing-error" onRetry={routing.reload} />;
  const { data } = routing.state;
  if (data.status === "unrouted")
    return (
      <Empty title="Not routed yet" testId="routing-empty">
        No routing decision has been recorded for this record.
      </Empty>
    );
  return (
    <Flex direction="column" gap="sm">
      {data.mode === "observe" && (
        <ObserveNotice what="Routing records its decisions without assigning owners" reason={data.modeReason} testId="routing-observe" />
      )}
      <Decision data={data} compact={compact} />
      <ActionOutcome action={action} testId="routing-outcome" />
      {!compact && <Divider />}
      {!compact && <ReasonChain data={data} />}
      {data.permissions.canReroute ? (
        <Button size="sm" variant="secondary" disabled={action.status === "running"} onClick={reroute} testId="routing-reroute">
          {action.status === "running" ? "Re-routing…" : "Re-route"}
        </Button>
      ) : (
        <NoPermission action="re-route" testId="routing-no-permission" />
      )}
    </Flex>
  );
}
