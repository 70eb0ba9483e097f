import type { CrmPort, RecordHistory, RecordOf } from "../../../shared/crm-port.ts";
import type { MergePlan } from "../../../shared/dedupe/merge-plan.ts";
import type { ObjectType, PortalKey } from "../../../shared/domain/types.ts";
import type { RecordEvents } from "../../../shared/events/coalesce.ts";
import type { Automation, PortalSettings } from "../../../shared/settings/portal-settings.ts";
import type { ReferenceData } from "../crm/reference-data.ts";
import type { Logger } from "../lib/logger.ts";
import type { StageGateDecisionRow } from "../stage-gates/decisions.ts";

/**
 * Makes the changes planned for one judged stage move conditional: the executor applies them under the deal's lock, only
 * if the deal's stage history still ends with the entry `moveKey` names and no decision is recorded for that move yet,
 * then records `decision`. So concurrent batches act once per move, and never on a deal someone has moved since.
 */
export type StageMoveGuard = { moveKey: string; decision: StageGateDecisionRow };

/** A change an engine wants made, with why; the executor applies it, or only records it in observe-only mode. */
export type PlannedChange = (
  | {
      kind: "update";
      automation: Automation;
      objectType: ObjectType;
      objectId: string;
      /** Property values to write, and what they were, so the change can be undone. */
      after: Record<string, string | null>;
      before: Record<string, string | null>;
      rule: string;
      reason: string;
    }
  | { kind: "note"; automation: Automation; objectType: ObjectType; objectId: string; body: string; rule: string; reason: string }
  | {
      kind: "task";
      automation: Automation;
      objectType: ObjectType;
      objectId: string;
      subject: string;
      body: string;
      ownerId: string | null;
      dueAt: number;
      rule: string;
      reason: string;
    }
  | {
      /** Merge two contacts: write `plan.updates` onto the primary, then merge; applied only with auto-merge on. */
      kind: "merge";
      automation: Automation;
      objectType: "contacts";
      /** The plan's primary (surviving) record. */
      objectId: string;
      plan: MergePlan;
      score: number;
      rule: string;
      reason: string;
    }
) & { guard?: StageMoveGuard };

export type LoadedRecord<T extends ObjectType = ObjectType> = { record: RecordOf<T>; history: RecordHistory };

export type EngineContext = {
  portalKey: PortalKey;
  settings: PortalSettings;
  crm: CrmPort;
  /** The app's id, which the CRM names as the source of our own writes. */
  appId: string | undefined;
  db: D1Database;
  now: number;
  log: Logger;
  /** Pipelines and owners, cached per portal. */
  reference: ReferenceData;
  /** Records read once for the whole batch, by object type and id. */
  records: { get<T extends ObjectType>(objectType: T, id: string): LoadedRecord<T> | undefined };
  /**
   * Hands over a D1 write that nothing later in this batch reads: it runs while the CRM is written, and the batch
   * waits for it before its events count as processed (so it must be idempotent). Absent: the engine awaits it.
   */
  deferWrite?: (write: Promise<unknown>) => void;
};

/** One automation's reaction to changed records: pure planning against the records read for the batch. */
export interface Engine {
  readonly name: Automation;
  /** Which record groups this engine reacts to (so records are read only when some engine wants them). */
  wants(group: RecordEvents): boolean;
  /** Extra properties the engine needs read, per object type, named as that CRM names them. */
  propertiesFor?(objectType: ObjectType, settings: PortalSettings, crm: CrmPort["crm"]): string[];
  /** Properties whose history the engine needs, per object type. */
  historyFor?(objectType: ObjectType, settings: PortalSettings, crm: CrmPort["crm"]): string[];
  plan(group: RecordEvents, ctx: EngineContext): Promise<PlannedChange[]>;
  /**
   * Plans every group of a batch at once, one list of changes per group in order: an engine that has it reads and
   * writes D1 once per batch instead of once per record (the consumer's throughput is bound by those round trips).
   * The pipeline prefers it to `plan`.
   */
  planBatch?(groups: readonly RecordEvents[], ctx: EngineContext): Promise<PlannedChange[][]>;
  /**
   * How many records this engine may plan at once (default 1). Above 1 only when planning one record never depends
   * on another record of the same batch (dedupe must see each contact indexed before matching the next).
   */
  readonly concurrency?: number;
  /** Forgets what the engine keeps about a record that is gone (deleted, or merged away under another id). */
  forget?(group: RecordEvents, ctx: EngineContext): Promise<void>;
}
