import { Alert, Button, Divider, Flex, Heading, Input, Tab, Tabs, Text } from "@hubspot/ui-extensions";
import { useState } from "react";
import { ApiError, errorMessage, type FetchJson } from "../../cards/api/client.ts";
import type { DryRunResponse, IdentityQuery, SettingsDocument, SettingsProblem, SettingsResponse } from "../../cards/api/contract.ts";
import { parseSection, setAt } from "./draft.ts";
import { AutomationsSection, JsonSection, MatchingSection, PermissionsSection } from "./RuleSections.tsx";
import type { Action } from "./use-load.ts";

export type RulesEditorProps = {
  settings: SettingsResponse;
  fetchJson: FetchJson;
  query: IdentityQuery;
  onSaved: (message: string) => void;
};

const pretty = (v: unknown) => JSON.stringify(v ?? {}, null, 2);

function DryRunResult({ result }: { result: DryRunResponse }) {
  if (result.problems.length > 0) {
    return (
      <Alert title={`Fix ${result.problems.length} problem(s) before saving`} variant="danger" testId="settings-dry-run-problems">
        {result.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}
      </Alert>
    );
  }
  return (
    <Flex direction="column" gap="xs" testId="settings-dry-run">
      <Alert title="Dry run passed" variant="success">{`${result.changes.length} change(s). Nothing was written.`}</Alert>
      {result.changes.map((c) => (
        <Text key={c.path} variant="microcopy">{`${c.path}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`}</Text>
      ))}
      {result.impact.map((i) => (
        <Text
          key={i.automation}
        >{`${i.automation}: ${i.summary}${i.examples[0] ? ` e.g. ${i.examples[0].name}, ${i.examples[0].detail}` : ""}`}</Text>
      ))}
    </Flex>
  );
}

/** The admin's draft of the settings: inline validation from the Worker, a dry run, then save. */
export function RulesEditor({ settings, fetchJson, query, onSaved }: RulesEditorProps) {
  const readOnly = !settings.permissions.canEdit;
  const [doc, setDoc] = useState<SettingsDocument>(settings.document);
  const [json, setJson] = useState({ routing: pretty(settings.document.routing), stageGates: pretty(settings.document.stageGates) });
  const [problems, setProblems] = useState<SettingsProblem[]>([]);
  const [dryRun, setDryRun] = useState<{ draft: string; result: DryRunResponse } | null>(null);
  const [note, setNote] = useState("");
  const [action, setAction] = useState<Action>({ status: "idle" });

  const edit = (path: string, value: unknown) => setDoc((d) => setAt(d, path, value));
  const assemble = (): { doc: SettingsDocument } | { problems: SettingsProblem[] } => {
    const routing = parseSection("routing", json.routing);
    const gates = parseSection("stageGates", json.stageGates);
    const broken = [routing, gates].flatMap((r) => (r.ok ? [] : [r.problem]));
    if (broken.length > 0 || !routing.ok || !gates.ok) return { problems: broken };
    return {
      doc: { ...doc, routing: routing.value as SettingsDocument["routing"], stageGates: gates.value as SettingsDocument["stageGates"] },
    };
  };
  const draft = assemble();
  const draftKey = "doc" in draft ? JSON.stringify(draft.doc) : null;
  const canSave = !readOnly && dryRun !== null && dryRun.draft === draftKey && dryRun.result.problems.length === 0;

  const runDryRun = () => {
    if (!("doc" in draft)) return setProblems(draft.problems);
    setAction({ status: "running", id: "dry-run" });
    fetchJson("POST /api/settings/dry-run", query, { document: draft.doc })
      .then((result) => {
        setProblems(result.problems);
        setDryRun({ draft: JSON.stringify(draft.doc), result });
        setAction({ status: "idle" });
      })
      .catch((err: unknown) => setAction({ status: "failed", message: errorMessage(err) }));
  };
  const save = () => {
    if (!("doc" in draft)) return;
    setAction({ status: "running", id: "save" });
    fetchJson("PUT /api/settings", query, { baseVersion: settings.version, document: draft.doc, note: note.trim() || null })
      .then((res) => {
        setAction({ status: "idle" });
        onSaved(`Saved as version ${res.version}.`);
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.problems.length > 0) setProblems(err.problems);
        setAction({ status: "failed", message: errorMessage(err) });
      });
  };

  const props = { doc, problems, edit, readOnly };
  return (
    <Flex direction="column" gap="md" testId="settings-editor">
      {readOnly && (
        <Alert title="Read-only" variant="info" testId="settings-read-only">
          Only the portal's admins can change these settings.
        </Alert>
      )}
      <Tabs defaultSelected="automations" variant="enclosed">
        <Tab tabId="automations" title="Automations & access">
          <AutomationsSection {...props} />
          <Divider />
          <PermissionsSection {...props} />
        </Tab>
        <Tab tabId="matching" title="Duplicates & fixes">
          <MatchingSection {...props} />
        </Tab>
        <Tab tabId="routing" title="Routing">
          <JsonSection
            path="routing"
            title="Routing rules, queues, reps' hours and time off"
            help="Rules in order (first match wins), queues with their strategy, each rep's time zone, hours, time off, weight and daily cap; slaMinutes."
            text={json.routing}
            problems={problems}
            readOnly={readOnly}
            onText={(t) => setJson((j) => ({ ...j, routing: t }))}
          />
        </Tab>
        <Tab tabId="gates" title="Stage exit criteria">
          <JsonSection
            path="stageGates"
            title="Stage exit criteria per pipeline"
            help="Per pipeline: mode (enforce or warn), move rules, exemptions, and per stage the required properties, predicates, associations and qualification minimums."
            text={json.stageGates}
            problems={problems}
            readOnly={readOnly}
            onText={(t) => setJson((j) => ({ ...j, stageGates: t }))}
          />
        </Tab>
      </Tabs>
      <Divider />
      <Heading>Save</Heading>
      <Input name="note" label="What changed (kept with the version)" value={note} onChange={setNote} readOnly={readOnly} />
      <Flex direction="row" gap="sm">
        <Button variant="secondary" disabled={readOnly || action.status === "running"} onClick={runDryRun} testId="settings-dry-run-button">
          Dry run
        </Button>
        <Button variant="primary" disabled={!canSave || action.status === "running"} onClick={save} testId="settings-save">
          Save as version {settings.version + 1}
        </Button>
      </Flex>
      {!canSave && !readOnly && (
        <Text variant="microcopy" testId="settings-save-hint">
          Run a dry run of this draft first; Save unlocks when it passes.
        </Text>
      )}
      {dryRun && dryRun.draft === draftKey && <DryRunResult result={dryRun.result} />}
      {action.status === "done" && (
        <Alert title="Saved" variant="success" testId="settings-saved">
          {action.message}
        </Alert>
      )}
      {action.status === "failed" && (
        <Alert title="Not saved" variant="danger" testId="settings-failed">
          {action.message}
        </Alert>
      )}
    </Flex>
  );
}
