import {
  Alert,
  Button,
  Flex,
  Heading,
  Input,
  Link,
  Select,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from "@hubspot/ui-extensions";
import { useState } from "react";
import { errorMessage, type FetchJson } from "../../cards/api/client.ts";
import type { AuditEntry, AuditStatus, AutomationName, IdentityQuery, UndoSelection } from "../../cards/api/contract.ts";
import { formatTime } from "../../cards/components/format.ts";
import { type Action, useLoad } from "./use-load.ts";

const STATUS_TAG = { applied: "success", observed: "info", refused: "danger", undone: "default" } as const satisfies Record<
  AuditStatus,
  string
>;
const AUTOMATION_OPTIONS = [
  { label: "All automations", value: "" },
  { label: "Hygiene", value: "hygiene" },
  { label: "Dedupe", value: "dedupe" },
  { label: "Routing", value: "routing" },
  { label: "Stage gates", value: "stageGates" },
] as const;

export type AuditLogProps = { fetchJson: FetchJson; query: IdentityQuery; canUndo: boolean };

function EntryRow({
  entry,
  canUndo,
  busy,
  onUndo,
}: {
  entry: AuditEntry;
  canUndo: boolean;
  busy: boolean;
  onUndo: (e: AuditEntry) => void;
}) {
  return (
    <TableRow testId={`audit-${entry.id}`}>
      <TableCell>{formatTime(entry.at)}</TableCell>
      <TableCell>{`${entry.automation} · ${entry.action}`}</TableCell>
      <TableCell>{entry.object.name ?? `${entry.object.type} ${entry.object.id}`}</TableCell>
      <TableCell>
        <StatusTag variant={STATUS_TAG[entry.status]}>{entry.status}</StatusTag>
      </TableCell>
      <TableCell>{entry.changes.map((c) => `${c.field}: ${c.before ?? "—"} → ${c.after ?? "—"}`).join("; ") || entry.reason}</TableCell>
      <TableCell>
        {canUndo && entry.undoable ? (
          <Button size="xs" variant="secondary" disabled={busy} onClick={() => onUndo(entry)} testId={`audit-${entry.id}-undo`}>
            Undo
          </Button>
        ) : (
          <Text variant="microcopy">{entry.undone ? `Undone ${formatTime(entry.undone.at)}` : "—"}</Text>
        )}
      </TableCell>
    </TableRow>
  );
}

/** Every automatic change with Undo, bulk undo by rule or time window, and CSV export. */
export function AuditLog({ fetchJson, query, canUndo }: AuditLogProps) {
  const [automation, setAutomation] = useState<AutomationName | "">("");
  const [round, setRound] = useState(0);
  const [bulk, setBulk] = useState({ ruleId: "", from: "", to: "" });
  const [action, setAction] = useState<Action>({ status: "idle" });
  const [exportUrl, setExportUrl] = useState<string | null>(null);
  const filter = automation ? { automation } : {};
  const log = useLoad(() => fetchJson("GET /api/settings/audit", { ...query, ...filter }), `${automation}:${round}`);

  const undo = (selection: UndoSelection, id: string) => {
    setAction({ status: "running", id });
    fetchJson("POST /api/settings/audit/undo", query, { selection, dryRun: false })
      .then((res) => {
        const skipped = res.skipped.map((s) => `${s.id}: ${s.reason}`).join("; ");
        setAction({ status: "done", message: `Undid ${res.undone.length} change(s).${skipped ? ` Skipped ${skipped}` : ""}` });
        setRound((r) => r + 1);
      })
      .catch((err: unknown) => setAction({ status: "failed", message: errorMessage(err) }));
  };
  const exportCsv = () => {
    setAction({ status: "running", id: "export" });
    fetchJson("POST /api/settings/audit/export", query, { filter })
      .then((res) => {
        setExportUrl(res.url);
        setAction({ status: "done", message: `${res.rows} rows ready; the link works until ${formatTime(res.expiresAt)}.` });
      })
      .catch((err: unknown) => setAction({ status: "failed", message: errorMessage(err) }));
  };
  const running = action.status === "running";

  return (
    <Flex direction="column" gap="sm" testId="audit-log">
      <Flex direction="row" gap="sm" align="end" wrap>
        <Select
          name="automation"
          label="Automation"
          value={automation}
          options={[...AUTOMATION_OPTIONS]}
          onChange={(v) => setAutomation(v as AutomationName | "")}
        />
        <Button variant="secondary" disabled={running} onClick={exportCsv} testId="audit-export">
          Export CSV
        </Button>
        {exportUrl && (
          <Link href={{ url: exportUrl, external: true }} testId="audit-export-link">
            Download CSV
          </Link>
        )}
      </Flex>
      {action.status === "done" && (
        <Alert title="Done" variant="success" testId="audit-outcome">
          {action.message}
        </Alert>
      )}
      {action.status === "failed" && (
        <Alert title="That did not work" variant="danger" testId="audit-outcome">
          {action.message}
        </Alert>
      )}
      {log.status === "loading" && <Text>Loading the audit log…</Text>}
      {log.status === "error" && (
        <Alert title="Could not load the audit log" variant="danger">
          {log.message}
        </Alert>
      )}
      {log.status === "ready" && (
        <Table bordered density="condensed" testId="audit-table">
          <TableHead>
            <TableRow>
              <TableHeader>When</TableHeader>
              <TableHeader>What</TableHeader>
              <TableHeader>Record</TableHeader>
              <TableHeader>Status</TableHeader>
              <TableHeader>Change</TableHeader>
              <TableHeader>Undo</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {log.data.entries.map((e) => (
              <EntryRow
                key={e.id}
                entry={e}
                canUndo={canUndo}
                busy={running}
                onUndo={(entry) => undo({ kind: "entries", ids: [entry.id] }, entry.id)}
              />
            ))}
          </TableBody>
        </Table>
      )}
      {canUndo && (
        <Flex direction="column" gap="xs" testId="audit-bulk">
          <Heading>Bulk undo</Heading>
          <Flex direction="row" gap="sm" align="end" wrap>
            <Input name="ruleId" label="Rule id" value={bulk.ruleId} onChange={(v) => setBulk((b) => ({ ...b, ruleId: v }))} />
            <Input
              name="from"
              label="From (ISO time)"
              placeholder="2026-03-14T00:00:00Z"
              value={bulk.from}
              onChange={(v) => setBulk((b) => ({ ...b, from: v }))}
            />
            <Input
              name="to"
              label="To (ISO time)"
              placeholder="2026-03-14T12:00:00Z"
              value={bulk.to}
              onChange={(v) => setBulk((b) => ({ ...b, to: v }))}
            />
          </Flex>
          <Flex direction="row" gap="sm">
            <Button
              variant="destructive"
              disabled={running || !bulk.ruleId}
              onClick={() => undo({ kind: "rule", ruleId: bulk.ruleId, from: bulk.from || null, to: bulk.to || null }, "bulk-rule")}
              testId="audit-undo-rule"
            >
              Undo everything this rule did
            </Button>
            <Button
              variant="destructive"
              disabled={running || !bulk.from || !bulk.to}
              onClick={() => undo({ kind: "window", from: bulk.from, to: bulk.to, automation: automation || null }, "bulk-window")}
              testId="audit-undo-window"
            >
              Undo everything in this window
            </Button>
          </Flex>
        </Flex>
      )}
    </Flex>
  );
}
