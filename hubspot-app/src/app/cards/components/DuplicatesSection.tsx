import {
  Accordion,
  Button,
  Flex,
  Heading,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
  Tile,
} from "@hubspot/ui-extensions";
import type { DuplicateCandidate, DuplicatesCardResponse, MergePreview } from "../api/contract.ts";
import { ActionOutcome, NoPermission, ObserveNotice } from "./CardStates.tsx";
import { formatProbability, formatWeight, orDash } from "./format.ts";
import type { Action } from "./use-load.ts";

export type DuplicatesSectionProps = {
  data: DuplicatesCardResponse;
  action: Action;
  onMerge: (candidate: DuplicateCandidate) => void;
  onDismiss: (candidate: DuplicateCandidate) => void;
  /** Link to another record of the same type, e.g. HubSpot's record URL; none in tests. */
  recordUrl?: (id: string) => string | null;
};

const DECISION_TAG = { merge: "error", review: "warning" } as const;

function EvidenceTable({ candidate, testId }: { candidate: DuplicateCandidate; testId: string }) {
  return (
    <Table bordered={false} density="compact" testId={testId}>
      <TableHead>
        <TableRow>
          <TableHeader>Field</TableHeader>
          <TableHeader>This / other</TableHeader>
          <TableHeader align="right">Weight</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {candidate.evidence.map((e) => (
          <TableRow key={e.field}>
            <TableCell>{`${e.fieldLabel} (${e.level})`}</TableCell>
            <TableCell>{e.thisValue === e.otherValue ? e.thisValue : `${orDash(e.thisValue)} / ${orDash(e.otherValue)}`}</TableCell>
            <TableCell align="right">{formatWeight(e.weight)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** What the surviving record would hold, field by field. */
export function MergePreviewTable({ preview, testId }: { preview: MergePreview; testId: string }) {
  return (
    <Flex direction="column" gap="xs">
      <Text variant="microcopy">{preview.primaryReason}</Text>
      <Table bordered={false} density="compact" testId={testId}>
        <TableHead>
          <TableRow>
            <TableHeader>Field</TableHeader>
            <TableHeader>After merge</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {preview.fields.map((f) => (
            <TableRow key={f.field}>
              <TableCell>{f.fieldLabel}</TableCell>
              <TableCell>{`${orDash(f.survivingValue)}${f.from === "other" ? " ← other" : f.from === "both" ? " (both kept)" : ""}`}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}

function CandidateTile({
  candidate,
  canMerge,
  action,
  onMerge,
  onDismiss,
  recordUrl,
}: Omit<DuplicatesSectionProps, "data"> & { candidate: DuplicateCandidate; canMerge: boolean }) {
  const id = `duplicate-${candidate.pairId}`;
  const url = recordUrl?.(candidate.other.id) ?? null;
  const busy = action.status === "running" && action.id === candidate.pairId;
  return (
    <Tile compact testId={id}>
      <Flex direction="column" gap="xs">
        <Flex direction="row" gap="xs" align="center" wrap>
          {url ? (
            <Link href={{ url, external: false }}>{candidate.other.name}</Link>
          ) : (
            <Text format={{ fontWeight: "bold" }}>{candidate.other.name}</Text>
          )}
          <Tag
            variant={DECISION_TAG[candidate.decision]}
          >{`${formatProbability(candidate.score)} ${candidate.decision === "merge" ? "same person" : "to review"}`}</Tag>
        </Flex>
        <Text variant="microcopy">
          {[candidate.other.email, candidate.other.company].filter(Boolean).join(" · ") || "No email or company"}
        </Text>
        {candidate.veto && <Text variant="microcopy" format={{ italic: true }}>{`Never merged automatically: ${candidate.veto}`}</Text>}
        <EvidenceTable candidate={candidate} testId={`${id}-evidence`} />
        <Accordion title="Merge preview" size="sm" testId={`${id}-preview-toggle`}>
          <MergePreviewTable preview={candidate.preview} testId={`${id}-preview`} />
        </Accordion>
        {canMerge && (
          <Flex direction="row" gap="xs">
            <Button
              size="xs"
              variant="primary"
              disabled={action.status === "running"}
              onClick={() => onMerge(candidate)}
              testId={`${id}-merge`}
            >
              {busy ? "Working…" : "Merge"}
            </Button>
            <Button
              size="xs"
              variant="secondary"
              disabled={action.status === "running"}
              onClick={() => onDismiss(candidate)}
              testId={`${id}-dismiss`}
            >
              Not a duplicate
            </Button>
          </Flex>
        )}
      </Flex>
    </Tile>
  );
}

/** Likely duplicates of this record with their evidence, a merge preview, Merge and Not a duplicate. */
export function DuplicatesSection({ data, action, onMerge, onDismiss, recordUrl }: DuplicatesSectionProps) {
  const { canMerge } = data.permissions;
  return (
    <Flex direction="column" gap="sm">
      <Heading>{data.candidates.length === 0 ? "No likely duplicates" : `Likely duplicates (${data.candidates.length})`}</Heading>
      {data.candidates.length > 0 && data.mode === "observe" && (
        <ObserveNotice what="Automatic merging is off" reason={data.modeReason} testId="duplicates-observe" />
      )}
      <ActionOutcome action={action} testId="duplicates-outcome" />
      {data.candidates.map((c) => (
        <CandidateTile
          key={c.pairId}
          candidate={c}
          canMerge={canMerge}
          action={action}
          onMerge={onMerge}
          onDismiss={onDismiss}
          recordUrl={recordUrl}
        />
      ))}
      {!canMerge && data.candidates.length > 0 && <NoPermission action="merge records" testId="duplicates-no-permission" />}
    </Flex>
  );
}
