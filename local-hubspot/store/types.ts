import type { ObjectTypeName } from "../crm/object-types.ts";

/** One value a property held, as `propertiesWithHistory` reports it. */
export type HistoryEntry = { value: string; timestamp: number; sourceType: string; sourceId?: string; updatedByUserId?: number };

export type StoredRecord = {
  type: ObjectTypeName;
  id: string;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  properties: Record<string, string>;
  history: Record<string, HistoryEntry[]>;
};

export type Owner = {
  id: string;
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
  teams: { id: string; name: string; primary: boolean }[];
  archived: boolean;
  createdAt: number;
  updatedAt: number;
};

export type PipelineStage = { id: string; label: string; displayOrder: number; probability: number; isClosed: boolean };
export type Pipeline = { id: string; label: string; displayOrder: number; stages: PipelineStage[]; createdAt: number; updatedAt: number };

export type OAuthToken = { accessToken: string; refreshToken: string; expiresAt: number; userId: number; scopes: string[] };

/** Where the in-memory portal writes through to; `load` returns what an earlier run left. */
export interface Persistence {
  load(): PersistedState;
  putRecord(record: StoredRecord): void;
  putAlias(type: ObjectTypeName, oldId: string, newId: string): void;
  putAssociations(key: string, targets: Record<string, number[]>): void;
  putMeta(key: string, value: unknown): void;
  /** Groups many writes into one transaction (seeding 500 records). */
  transaction<T>(work: () => T): T;
  close(): void;
}

export type PersistedState = {
  records: StoredRecord[];
  aliases: { type: ObjectTypeName; oldId: string; newId: string }[];
  associations: { key: string; targets: Record<string, number[]> }[];
  meta: Record<string, unknown>;
};

/** Keeps nothing: the msw handlers and `:memory:` tests run on this. */
export const memoryPersistence = (): Persistence => ({
  load: () => ({ records: [], aliases: [], associations: [], meta: {} }),
  putRecord: () => {},
  putAlias: () => {},
  putAssociations: () => {},
  putMeta: () => {},
  transaction: (work) => work(),
  close: () => {},
});
