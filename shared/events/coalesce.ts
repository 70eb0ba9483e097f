import type { ObjectType } from "../domain/types.ts";
import type { CrmEvent } from "./types.ts";

/** All events for one record in a batch: engines act once, on the record's current state. */
export type RecordEvents = {
  objectType: ObjectType;
  objectId: string;
  events: CrmEvent[];
  /** The record is gone (deleted, privacy-deleted, or merged away): nothing to read. */
  gone: boolean;
  created: boolean;
  changedProperties: Set<string>;
};

/**
 * The backfill's search found the record changed without saying what changed (its events, or their replay, are
 * `backfill.<type>`): engines that act on particular changes judge the record's current state and history instead.
 */
export function fromBackfillSearch(g: RecordEvents): boolean {
  return g.events.some((e) => e.subscriptionType.startsWith("backfill."));
}

/** Groups events by record, oldest first, noting creation, deletion and the properties that changed. */
export function coalesceEvents(events: readonly CrmEvent[]): RecordEvents[] {
  const groups = new Map<string, RecordEvents>();
  const sorted = [...events].sort((a, b) => a.occurredAt - b.occurredAt);
  for (const event of sorted) {
    const key = `${event.objectType}:${event.objectId}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        objectType: event.objectType,
        objectId: event.objectId,
        events: [],
        gone: false,
        created: false,
        changedProperties: new Set(),
      };
      groups.set(key, group);
    }
    group.events.push(event);
    if (event.kind === "created") group.created = true;
    if (event.kind === "deleted" || event.kind === "privacy_deleted") group.gone = true;
    if (event.kind === "merged" && event.newObjectId && event.newObjectId !== event.objectId) group.gone = true;
    if (event.kind === "restored") group.gone = false;
    if (event.propertyName) group.changedProperties.add(event.propertyName);
  }
  return [...groups.values()];
}
