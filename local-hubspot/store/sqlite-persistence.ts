import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { ObjectTypeName } from "../crm/object-types.ts";
import type { PersistedState, Persistence, StoredRecord } from "./types.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (type TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (type, id));
CREATE TABLE IF NOT EXISTS aliases (type TEXT NOT NULL, old_id TEXT NOT NULL, new_id TEXT NOT NULL, PRIMARY KEY (type, old_id));
CREATE TABLE IF NOT EXISTS associations (key TEXT PRIMARY KEY, targets TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Write-through storage in `node:sqlite` (a file under `.data/`, or `:memory:`). Node only: not for workerd. */
export function sqlitePersistence(dbPath: string): Persistence {
  if (dbPath !== ":memory:") mkdirSync(dirname(dbPath), { recursive: true });
  const db = new DatabaseSync(dbPath);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  db.exec(SCHEMA);
  const putRecord = db.prepare("INSERT OR REPLACE INTO records (type, id, body) VALUES (?, ?, ?)");
  const putAlias = db.prepare("INSERT OR REPLACE INTO aliases (type, old_id, new_id) VALUES (?, ?, ?)");
  const putAssociations = db.prepare("INSERT OR REPLACE INTO associations (key, targets) VALUES (?, ?)");
  const putMeta = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
  let depth = 0;
  return {
    load(): PersistedState {
      const records = db
        .prepare("SELECT body FROM records")
        .all()
        .map((r) => JSON.parse(String(r.body)) as StoredRecord);
      const aliases = db
        .prepare("SELECT type, old_id, new_id FROM aliases")
        .all()
        .map((r) => ({ type: String(r.type) as ObjectTypeName, oldId: String(r.old_id), newId: String(r.new_id) }));
      const associations = db
        .prepare("SELECT key, targets FROM associations")
        .all()
        .map((r) => ({ key: String(r.key), targets: JSON.parse(String(r.targets)) as Record<string, number[]> }));
      const meta: Record<string, unknown> = {};
      for (const r of db.prepare("SELECT key, value FROM meta").all()) meta[String(r.key)] = JSON.parse(String(r.value));
      return { records, aliases, associations, meta };
    },
    putRecord: (record) => void putRecord.run(record.type, record.id, JSON.stringify(record)),
    putAlias: (type, oldId, newId) => void putAlias.run(type, oldId, newId),
    putAssociations: (key, targets) => void putAssociations.run(key, JSON.stringify(targets)),
    putMeta: (key, value) => void putMeta.run(key, JSON.stringify(value)),
    transaction(work) {
      // Nested calls join the outer transaction.
      if (depth > 0) return work();
      depth++;
      db.exec("BEGIN");
      try {
        const result = work();
        db.exec("COMMIT");
        return result;
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      } finally {
        depth--;
      }
    },
    close: () => db.close(),
  };
}
