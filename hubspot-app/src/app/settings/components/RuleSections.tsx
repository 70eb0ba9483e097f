import { Alert, Flex, Heading, Input, NumberInput, Select, Text, TextArea, Toggle } from "@hubspot/ui-extensions";
import type { AutomationName, FixPolicy, SettingsDocument, SettingsProblem } from "../../cards/api/contract.ts";
import { idList, problemAt } from "./draft.ts";

export type SectionProps = {
  doc: SettingsDocument;
  problems: readonly SettingsProblem[];
  edit: (path: string, value: unknown) => void;
  readOnly: boolean;
};

const AUTOMATIONS = [
  { key: "hygiene", label: "Hygiene: apply fixes set to auto" },
  { key: "dedupe", label: "Dedupe: merge pairs above the merge threshold" },
  { key: "routing", label: "Routing: assign owners" },
  { key: "stageGates", label: "Stage gates: move blocked deals back, add notes and tasks" },
] as const satisfies ReadonlyArray<{ key: AutomationName; label: string }>;

const PERMISSIONS = [
  { key: "adminUserIds", label: "Admins (settings, undo)" },
  { key: "fixUserIds", label: "May press Fix" },
  { key: "mergeUserIds", label: "May press Merge" },
  { key: "undoUserIds", label: "May press Undo" },
  { key: "rerouteUserIds", label: "May re-route" },
] as const;

const POLICY_OPTIONS = [
  { label: "Off", value: "off" },
  { label: "Suggest on the card", value: "suggest" },
  { label: "Apply automatically", value: "auto" },
] as const satisfies ReadonlyArray<{ label: string; value: FixPolicy }>;

/** Which automations write, and the kill switch that stops them all. */
export function AutomationsSection({ doc, problems, edit, readOnly }: SectionProps) {
  return (
    <Flex direction="column" gap="sm" testId="settings-automations">
      <Heading>Automations</Heading>
      <Text variant="microcopy">Each starts observe-only: it records what it would do in the audit log until you turn it on.</Text>
      {doc.killSwitch && (
        <Alert title="Kill switch is on" variant="danger">
          No automation writes to the CRM, whatever is switched on below.
        </Alert>
      )}
      <Toggle
        label="Kill switch: stop every write now"
        checked={doc.killSwitch}
        readOnly={readOnly}
        onChange={(on) => edit("killSwitch", on)}
        testId="settings-kill-switch"
      />
      {AUTOMATIONS.map((a) => (
        <Toggle
          key={a.key}
          label={a.label}
          checked={doc.automations[a.key]}
          readOnly={readOnly}
          onChange={(on) => edit(`automations.${a.key}`, on)}
          testId={`settings-automation-${a.key}`}
        />
      ))}
      {problemAt(problems, "automations") && <Text variant="microcopy">{problemAt(problems, "automations")}</Text>}
    </Flex>
  );
}

/** Who may press Merge, Fix, Undo and Re-route on cards (HubSpot user ids). */
export function PermissionsSection({ doc, problems, edit, readOnly }: SectionProps) {
  return (
    <Flex direction="column" gap="sm" testId="settings-permissions">
      <Heading>Who may press what</Heading>
      <Toggle
        label="Everyone may apply fixes"
        checked={doc.permissions.everyoneMayFix}
        readOnly={readOnly}
        onChange={(on) => edit("permissions.everyoneMayFix", on)}
      />
      {PERMISSIONS.map((p) => (
        <Input
          key={p.key}
          name={p.key}
          label={p.label}
          description="HubSpot user ids, separated by commas"
          value={doc.permissions[p.key].join(", ")}
          readOnly={readOnly}
          error={Boolean(problemAt(problems, `permissions.${p.key}`))}
          validationMessage={problemAt(problems, `permissions.${p.key}`)}
          onChange={(text) => edit(`permissions.${p.key}`, idList(text))}
          testId={`settings-permission-${p.key}`}
        />
      ))}
    </Flex>
  );
}

/** Matching thresholds, survivorship and the auto-fix policy per field. */
export function MatchingSection({ doc, problems, edit, readOnly }: SectionProps) {
  const thresholds = doc.dedupe?.thresholds ?? { merge: 0.99, review: 0.5 };
  const thresholdProblem = problemAt(problems, "dedupe.thresholds");
  return (
    <Flex direction="column" gap="sm" testId="settings-matching">
      <Heading>Duplicates</Heading>
      <Flex direction="row" gap="sm" wrap>
        <NumberInput
          name="merge"
          label="Merge threshold (0–1)"
          value={thresholds.merge}
          min={0}
          max={1}
          precision={3}
          readOnly={readOnly}
          error={Boolean(thresholdProblem)}
          validationMessage={thresholdProblem}
          onChange={(v) => edit("dedupe.thresholds", { ...thresholds, merge: v })}
          testId="settings-merge-threshold"
        />
        <NumberInput
          name="review"
          label="Review threshold (0–1)"
          value={thresholds.review}
          min={0}
          max={1}
          precision={3}
          readOnly={readOnly}
          error={Boolean(thresholdProblem)}
          validationMessage={thresholdProblem}
          onChange={(v) => edit("dedupe.thresholds", { ...thresholds, review: v })}
          testId="settings-review-threshold"
        />
      </Flex>
      <Toggle
        label="Merge automatically above the merge threshold"
        checked={doc.dedupe?.autoMerge ?? false}
        readOnly={readOnly}
        onChange={(on) => edit("dedupe.autoMerge", on)}
      />
      <Input
        name="primaryRules"
        label="Surviving record, in order of precedence"
        description="oldest, most_complete, most_recent_activity, has_owner"
        value={(doc.dedupe?.primaryRules ?? []).join(", ")}
        readOnly={readOnly}
        error={Boolean(problemAt(problems, "dedupe.primaryRules"))}
        validationMessage={problemAt(problems, "dedupe.primaryRules")}
        onChange={(t) => edit("dedupe.primaryRules", idList(t))}
      />
      <Heading>Fixes per field</Heading>
      {contactPolicyFields(doc).map(([field, policy]) => (
        <Select
          key={field}
          name={`policy-${field}`}
          label={field}
          value={policy}
          options={[...POLICY_OPTIONS]}
          readOnly={readOnly}
          error={Boolean(problemAt(problems, `hygiene.fixPolicy.contacts.${field}`))}
          validationMessage={problemAt(problems, `hygiene.fixPolicy.contacts.${field}`)}
          onChange={(v) => edit(`hygiene.fixPolicy.contacts.${field}`, v)}
          testId={`settings-policy-${field}`}
        />
      ))}
    </Flex>
  );
}

/** The contact fields hygiene can fix, with the policy in force (the document's, else its default). */
const FIXABLE_CONTACT_FIELDS = [
  "email",
  "phone",
  "mobilePhone",
  "firstName",
  "lastName",
  "company",
  "jobTitle",
  "website",
  "country",
  "state",
] as const;
function contactPolicyFields(doc: SettingsDocument): Array<[string, string]> {
  const policies = doc.hygiene?.fixPolicy?.contacts ?? {};
  const fallback = doc.hygiene?.defaultFixPolicy ?? "suggest";
  const fields = [...new Set([...FIXABLE_CONTACT_FIELDS, ...Object.keys(policies)])];
  return fields.map((f) => [f, policies[f] ?? fallback]);
}

/** A section too rich for fixed fields (routing rules, queues, reps' hours and time off; stage criteria per pipeline). */
export function JsonSection({
  path,
  title,
  help,
  text,
  problems,
  onText,
  readOnly,
}: {
  path: string;
  title: string;
  help: string;
  text: string;
  problems: readonly SettingsProblem[];
  onText: (t: string) => void;
  readOnly: boolean;
}) {
  const problem = problemAt(problems, path);
  const all = problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`));
  return (
    <Flex direction="column" gap="sm" testId={`settings-json-${path}`}>
      <Heading>{title}</Heading>
      <TextArea
        name={path}
        label={title}
        description={help}
        rows={14}
        value={text}
        readOnly={readOnly}
        error={Boolean(problem)}
        validationMessage={problem}
        onChange={onText}
        testId={`settings-json-${path}-text`}
      />
      {all.map((p) => (
        <Text key={`${p.path}:${p.message}`} variant="microcopy">{`${p.path}: ${p.message}`}</Text>
      ))}
    </Flex>
  );
}
