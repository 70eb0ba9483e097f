import type { ObjectTypeName } from "../crm/object-types.ts";
import { defaultDealPipeline } from "./default-pipeline.ts";
import type { OAuthToken, Owner, Persistence, Pipeline, StoredRecord } from "./types.ts";

const FIRST_ID = 100_001;

/**
 * One HubSpot portal in memory, written through to its persistence. Ids come from one counter (like HubSpot's large,
 * never reused ids); ids of merged records stay as aliases of the record they became.
 */
export class PortalStore {
  readonly records = new Map<ObjectTypeName, Map<string, StoredRecord>>();
  readonly aliases = new Map<string, string>();
  readonly associations = new Map<string, Record<string, number[]>>();
  owners: Owner[] = [];
  pipelines: Pipeline[] = [];
  tokens: OAuthToken[] = [];
  private nextIdValue = FIRST_ID;

  constructor(readonly persistence: Persistence) {
    const state = persistence.load();
    for (const r of state.records) this.table(r.type).set(r.id, r);
    for (const a of state.aliases) this.aliases.set(`${a.type}:${a.oldId}`, a.newId);
    for (const a of state.associations) this.associations.set(a.key, a.targets);
    this.owners = (state.meta.owners as Owner[] | undefined) ?? [];
    this.pipelines = (state.meta.pipelines as Pipeline[] | undefined) ?? [defaultDealPipeline(Date.now())];
    this.tokens = (state.meta.tokens as OAuthToken[] | undefined) ?? [];
    this.nextIdValue = (state.meta.nextId as number | undefined) ?? FIRST_ID;
  }

  table(type: ObjectTypeName): Map<string, StoredRecord> {
    let t = this.records.get(type);
    if (!t) {
      t = new Map();
      this.records.set(type, t);
    }
    return t;
  }

  newId(): string {
    const id = this.nextIdValue++;
    this.persistence.putMeta("nextId", this.nextIdValue);
    return String(id);
  }

  /** Follows merge aliases, as HubSpot resolves a merged-away id to the record it became. */
  resolveId(type: ObjectTypeName, id: string): string {
    let current = id;
    for (let hops = 0; hops < 50; hops++) {
      const next = this.aliases.get(`${type}:${current}`);
      if (next === undefined) return current;
      current = next;
    }
    return current;
  }

  /** The live (not archived) record an id resolves to. */
  get(type: ObjectTypeName, id: string): StoredRecord | undefined {
    const record = this.table(type).get(this.resolveId(type, id));
    return record && !record.archived ? record : undefined;
  }

  save(record: StoredRecord): void {
    this.table(record.type).set(record.id, record);
    this.persistence.putRecord(record);
  }

  alias(type: ObjectTypeName, oldId: string, newId: string): void {
    this.aliases.set(`${type}:${oldId}`, newId);
    this.persistence.putAlias(type, oldId, newId);
  }

  /** Live records of a type in id order (HubSpot's default order for lists and searches). */
  live(type: ObjectTypeName): StoredRecord[] {
    const rows: StoredRecord[] = [];
    for (const r of this.table(type).values()) if (!r.archived) rows.push(r);
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  setAssociations(key: string, targets: Record<string, number[]>): void {
    this.associations.set(key, targets);
    this.persistence.putAssociations(key, targets);
  }

  setOwners(owners: Owner[]): void {
    this.owners = owners;
    this.persistence.putMeta("owners", owners);
  }

  setPipelines(pipelines: Pipeline[]): void {
    this.pipelines = pipelines;
    this.persistence.putMeta("pipelines", pipelines);
  }

  setTokens(tokens: OAuthToken[]): void {
    this.tokens = tokens;
    this.persistence.putMeta("tokens", tokens);
  }
}
