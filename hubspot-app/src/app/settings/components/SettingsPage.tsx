import {
  Alert,
  ErrorState,
  Flex,
  LoadingSpinner,
  StatusTag,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tabs,
  Text,
} from "@hubspot/ui-extensions";
import { useState } from "react";
import type { FetchJson } from "../../cards/api/client.ts";
import type { IdentityQuery } from "../../cards/api/contract.ts";
import { formatTime } from "../../cards/components/format.ts";
import { AuditLog } from "./AuditLog.tsx";
import { ReviewQueue } from "./ReviewQueue.tsx";
import { RulesEditor } from "./RulesEditor.tsx";
import { useLoad } from "./use-load.ts";

export type SettingsPageProps = { portalId: number; userId: number; fetchJson: FetchJson };

function Versions({ fetchJson, query }: { fetchJson: FetchJson; query: IdentityQuery }) {
  const versions = useLoad(() => fetchJson("GET /api/settings/versions", query), "versions");
  if (versions.status === "loading") return <Text>Loading versions…</Text>;
  if (versions.status === "error")
    return (
      <Alert title="Could not load versions" variant="danger">
        {versions.message}
      </Alert>
    );
  return (
    <Table bordered density="condensed" testId="settings-versions">
      <TableHead>
        <TableRow>
          <TableHeader>Version</TableHeader>
          <TableHeader>Saved</TableHeader>
          <TableHeader>By</TableHeader>
          <TableHeader>Note</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {versions.data.versions.map((v) => (
          <TableRow key={v.version}>
            <TableCell>{v.current ? `${v.version} (current)` : String(v.version)}</TableCell>
            <TableCell>{formatTime(v.createdAt)}</TableCell>
            <TableCell>{v.createdBy?.name ?? "Install"}</TableCell>
            <TableCell>{v.note ?? "—"}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The admins' settings page: rules with dry run and versions, the review queue and the audit log. */
export function SettingsPage({ portalId, userId, fetchJson }: SettingsPageProps) {
  const query: IdentityQuery = { portalId, userId };
  const [round, setRound] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);
  const settings = useLoad(() => fetchJson("GET /api/settings", query), `${portalId}:${userId}:${round}`);
  if (settings.status === "loading")
    return <LoadingSpinner label="Loading settings" showLabel layout="centered" testId="settings-loading" />;
  if (settings.status === "error") {
    return (
      <ErrorState title="Could not load settings" testId="settings-error">
        <Text>{settings.message}</Text>
      </ErrorState>
    );
  }
  const { data } = settings;
  const on = Object.values(data.document.automations).filter(Boolean).length;
  return (
    <Flex direction="column" gap="md" testId="settings-page">
      <Flex direction="row" gap="sm" align="center" wrap>
        <StatusTag variant={data.document.killSwitch ? "danger" : on === 0 ? "info" : "success"} testId="settings-status">
          {data.document.killSwitch ? "Kill switch on" : on === 0 ? "Observe-only" : `${on} of 4 automations on`}
        </StatusTag>
        <Text variant="microcopy">{`Version ${data.version}, saved ${formatTime(data.updatedAt)}${data.updatedBy ? ` by ${data.updatedBy.name}` : ""}`}</Text>
      </Flex>
      {saved && (
        <Alert title="Saved" variant="success" testId="settings-saved">
          {saved}
        </Alert>
      )}
      <Tabs defaultSelected="rules">
        <Tab tabId="rules" title="Rules">
          <RulesEditor
            key={data.version}
            settings={data}
            fetchJson={fetchJson}
            query={query}
            onSaved={(message) => {
              setSaved(message);
              setRound((r) => r + 1);
            }}
          />
        </Tab>
        <Tab tabId="review" title="Review queue">
          <ReviewQueue fetchJson={fetchJson} query={query} />
        </Tab>
        <Tab tabId="audit" title="Audit log">
          <AuditLog fetchJson={fetchJson} query={query} canUndo={data.permissions.canUndo} />
        </Tab>
        <Tab tabId="versions" title="Versions">
          <Versions fetchJson={fetchJson} query={query} />
        </Tab>
      </Tabs>
    </Flex>
  );
}
