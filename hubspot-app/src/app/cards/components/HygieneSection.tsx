import { Button, Divider, Flex, Heading, ProgressBar, ScoreCircle, StatusTag, Text } from "@hubspot/ui-extensions";
import type { HygieneCardResponse, HygieneFinding, HygieneFixRequest, HygienePart, Severity } from "../api/contract.ts";
import { ActionOutcome, NoPermission, ObserveNotice } from "./CardStates.tsx";
import type { Action } from "./use-load.ts";

const SEVERITY_TAG = { info: "info", warning: "warning", error: "danger" } as const satisfies Record<Severity, string>;
const PART_LABEL = {
  completeness: "Completeness",
  validity: "Validity",
  consistency: "Consistency",
  freshness: "Freshness",
  uniqueness: "Uniqueness",
} as const satisfies Record<HygienePart, string>;

const barVariant = (score: number) => (score >= 80 ? "success" : score >= 50 ? "warning" : "danger");

export type HygieneSectionProps = {
  data: HygieneCardResponse;
  action: Action;
  onFix: (request: HygieneFixRequest, label: string) => void;
  /** Prefix for test ids, so two sections on one page stay distinct. */
  testPrefix?: string;
};

function FindingRow({
  finding,
  canFix,
  busy,
  onFix,
  testId,
}: {
  finding: HygieneFinding;
  canFix: boolean;
  busy: boolean;
  onFix: HygieneSectionProps["onFix"];
  testId: string;
}) {
  const { fix } = finding;
  return (
    <Flex direction="column" gap="xs" testId={testId}>
      <Flex direction="row" gap="xs" align="center" wrap>
        <StatusTag variant={SEVERITY_TAG[finding.severity]}>{finding.fieldLabel}</StatusTag>
        <Text variant="microcopy">{finding.code}</Text>
      </Flex>
      <Text>{finding.message}</Text>
      {fix && (
        <Flex direction="row" gap="xs" align="center" wrap>
          <Text variant="microcopy">{`Suggested: ${fix.label}${fix.safe ? " (safe)" : ""}`}</Text>
          {canFix && (
            <Button
              size="xs"
              variant="secondary"
              disabled={busy}
              onClick={() => onFix({ findingIds: [finding.id] }, finding.fieldLabel)}
              testId={`${testId}-fix`}
            >
              {busy ? "Fixing…" : "Fix"}
            </Button>
          )}
        </Flex>
      )}
    </Flex>
  );
}

/** The record's hygiene score, its parts and each finding with its Fix button. */
export function HygieneSection({ data, action, onFix, testPrefix = "hygiene" }: HygieneSectionProps) {
  const { canFix } = data.permissions;
  const safeCount = data.findings.filter((f) => f.fix?.safe).length;
  const fixable = data.findings.some((f) => f.fix);
  return (
    <Flex direction="column" gap="sm">
      {data.mode === "observe" && (
        <ObserveNotice what="Automatic fixes are off" reason={data.modeReason} testId={`${testPrefix}-observe`} />
      )}
      <Flex direction="row" gap="sm" align="center">
        <ScoreCircle score={data.score ?? 0} />
        <Text format={{ fontWeight: "bold" }} testId={`${testPrefix}-score`}>{`Score ${data.score} / 100`}</Text>
      </Flex>
      {data.breakdown.map((p) => (
        <ProgressBar
          key={p.part}
          title={PART_LABEL[p.part]}
          value={p.score}
          maxValue={100}
          valueDescription={`${p.score} / 100`}
          variant={barVariant(p.score)}
          testId={`${testPrefix}-part-${p.part}`}
        />
      ))}
      <ActionOutcome action={action} testId={`${testPrefix}-outcome`} />
      <Divider />
      <Heading>
        {data.findings.length === 0
          ? "No problems found"
          : `${data.findings.length} ${data.findings.length === 1 ? "problem" : "problems"}`}
      </Heading>
      {data.findings.map((f) => (
        <FindingRow
          key={f.id}
          finding={f}
          canFix={canFix}
          busy={action.status === "running" && action.id === f.id}
          onFix={onFix}
          testId={`${testPrefix}-finding-${f.id}`}
        />
      ))}
      {canFix && safeCount > 1 && (
        <Button
          variant="primary"
          size="sm"
          disabled={action.status === "running"}
          onClick={() => onFix({ allSafe: true }, "every safe fix")}
          testId={`${testPrefix}-fix-all`}
        >
          {`Apply all ${safeCount} safe fixes`}
        </Button>
      )}
      {!canFix && fixable && <NoPermission action="apply fixes" testId={`${testPrefix}-no-permission`} />}
    </Flex>
  );
}
