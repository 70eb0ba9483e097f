/** Shapes of the settings page, audit log, review queue and dashboard. Types only. */
import type { DuplicateEvidence, MergePreview } from "./contract-cards.ts";
import type { AutomationName, ObjectType, Ref, SettingsProblem } from "./contract-common.ts";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type FixPolicy = "off" | "suggest" | "auto";

/**
 * The portal's settings document as shared/settings validates it. The page edits the parts typed here and
 * the rest (routing rules, queues, reps, stage gates) as JSON sections; the Worker is the judge of validity.
 */
export type SettingsDocument = {
  schemaVersion: number;
  automations: Record<AutomationName, boolean>;
  killSwitch: boolean;
  permissions: {
    adminUserIds: string[];
    fixUserIds: string[];
    mergeUserIds: string[];
    undoUserIds: string[];
    rerouteUserIds: string[];
    everyoneMayFix: boolean;
  };
  /** Fix policy per object and field, by domain field name (email, phone, firstName, country…), as shared/hygiene names them. */
  hygiene?: {
    fixPolicy?: { contacts?: Record<string, FixPolicy>; companies?: Record<string, FixPolicy>; deals?: Record<string, FixPolicy> };
    defaultFixPolicy?: "off" | "suggest";
    [key: string]: unknown;
  };
  dedupe?: {
    thresholds?: { merge: number; review: number };
    autoMerge?: boolean;
    primaryRules?: string[];
    defaultFieldRule?: string;
    fieldRules?: Record<string, string>;
    [key: string]: unknown;
  };
  routing?: { [key: string]: JsonValue };
  stageGates?: { [key: string]: JsonValue };
  [key: string]: unknown;
};

/** GET /api/settings */
export type SettingsResponse = {
  version: number;
  updatedAt: string;
  updatedBy: Ref | null;
  document: SettingsDocument;
  permissions: { canEdit: boolean; canUndo: boolean };
};

/** PUT /api/settings: `baseVersion` guards against overwriting another admin's save (409). Invalid: 422 with problems. */
export type SettingsSaveRequest = { baseVersion: number; document: SettingsDocument; note: string | null };
export type SettingsSaveResponse = { version: number; updatedAt: string };

/** POST /api/settings/dry-run: what the draft would change, against the portal's current data, before saving. */
export type DryRunRequest = { document: SettingsDocument };
export type DryRunResponse = {
  problems: SettingsProblem[];
  changes: Array<{ path: string; before: JsonValue; after: JsonValue }>;
  impact: Array<{
    automation: AutomationName;
    summary: string;
    count: number;
    examples: Array<{ objectType: ObjectType; objectId: string; name: string; detail: string }>;
  }>;
};

/** GET /api/settings/versions */
export type SettingsVersionsResponse = {
  versions: Array<{ version: number; createdAt: string; createdBy: Ref | null; note: string | null; current: boolean }>;
};

export type AuditStatus = "applied" | "observed" | "refused" | "undone";

/** One automatic (or card-pressed) change, with what undoes it. */
export type AuditEntry = {
  id: string;
  at: string;
  automation: AutomationName;
  /** e.g. `fix`, `merge`, `assign_owner`, `revert_stage`. */
  action: string;
  ruleId: string | null;
  object: { type: ObjectType; id: string; name: string | null };
  status: AuditStatus;
  changes: Array<{ field: string; before: string | null; after: string | null }>;
  reason: string;
  actor: Ref | null;
  undoable: boolean;
  undone: { at: string; by: Ref | null } | null;
};

/** GET /api/settings/audit query (added to the identity query). */
export type AuditQuery = {
  automation?: AutomationName;
  status?: AuditStatus;
  ruleId?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
};
export type AuditResponse = { entries: AuditEntry[]; nextCursor: string | null; total: number };

/** POST /api/settings/audit/undo: named entries, or everything a rule or a time window did. */
export type UndoSelection =
  | { kind: "entries"; ids: string[] }
  | { kind: "rule"; ruleId: string; from: string | null; to: string | null }
  | { kind: "window"; from: string; to: string; automation: AutomationName | null };
export type UndoRequest = { selection: UndoSelection; dryRun: boolean };
export type UndoResponse = { undone: string[]; skipped: Array<{ id: string; reason: string }>; dryRun: boolean };

/** POST /api/settings/audit/export: the UI cannot download files, so the Worker hands back a short-lived link. */
export type AuditExportRequest = { filter: AuditQuery };
export type AuditExportResponse = { url: string; expiresAt: string; rows: number };

/** GET /api/settings/review-queue: review-level pairs across the portal (merge/dismiss go through the card endpoints). */
export type ReviewQueueItem = {
  pairId: string;
  a: Ref & { email: string | null };
  b: Ref & { email: string | null };
  score: number;
  evidence: DuplicateEvidence[];
  preview: MergePreview;
  suggestedAt: string;
};
export type ReviewQueueResponse = { items: ReviewQueueItem[]; total: number; nextCursor: string | null };

/** GET /api/settings/dashboard query. */
export type DashboardQuery = { from?: string; to?: string; granularity?: "day" | "week" };
/** GET /api/settings/dashboard: the leaders' numbers; dates are ISO days. */
export type DashboardResponse = {
  range: { from: string; to: string };
  speedToLead: {
    series: Array<{ date: string; p50Minutes: number; p95Minutes: number }>;
    /** Share (0–1) of leads worked within the SLA over the range. */
    slaShare: number;
    slaMinutes: number;
  };
  leadsPerRep: Array<{ ownerId: string; name: string; leads: number; share: number; targetShare: number }>;
  hygiene: {
    distribution: Array<{ bucket: string; count: number }>;
    trend: Array<{ date: string; average: number }>;
  };
  duplicates: {
    merged: number;
    flagged: number;
    undone: number;
    series: Array<{ date: string; merged: number; flagged: number; undone: number }>;
  };
  stageMovesBlocked: { byRule: Array<{ rule: string; count: number }>; byRep: Array<{ ownerId: string; name: string; count: number }> };
};
