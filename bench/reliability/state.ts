/**
 * The CRM state a run leaves behind, read straight from the local HubSpot server, and how two runs differ: the fields
 * the engines write (normalised values, owners, deal stages), the notes and tasks they create, and how many times the
 * app wrote each property (a side effect applied twice shows as an extra write or an extra note).
 */
import { associationsOf } from "../../local-hubspot/crm/associations.ts";
import type { RunningLocalHubspot } from "../../local-hubspot/index.ts";
import type { StoredRecord } from "../../local-hubspot/store/types.ts";

const CONTACT_FIELDS = ["email", "firstname", "lastname", "phone", "country", "zip", "lifecyclestage", "jobtitle", "hubspot_owner_id"];
const DEAL_FIELDS = ["dealname", "dealstage", "amount"];

export type RecordState = { fields: Record<string, string>; ourWrites: Record<string, number>; notes: string[]; tasks: string[] };
export type CrmState = Map<string, RecordState>;

/** Writes made with the app's token, per property (INTEGRATION entries in the property's history). */
function ourWrites(record: StoredRecord): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, entries] of Object.entries(record.history)) {
    if (name === "lastmodifieddate" || name === "hs_lastmodifieddate") continue;
    const n = entries.filter((h) => h.sourceType === "INTEGRATION").length;
    if (n > 0) out[name] = n;
  }
  return out;
}

/** Every contact and deal of the portal (deleted and merged-away ones as such), with their notes and tasks. */
export function crmState(hubspot: RunningLocalHubspot): CrmState {
  const store = hubspot.runtime.store;
  const state: CrmState = new Map();
  for (const [type, fields] of [
    ["contacts", CONTACT_FIELDS],
    ["deals", DEAL_FIELDS],
  ] as const) {
    for (const record of store.table(type).values()) {
      const key = `${type}/${record.id}`;
      if (record.archived) {
        const into = store.resolveId(type, record.id);
        state.set(key, { fields: { gone: into === record.id ? "deleted" : "merged" }, ourWrites: {}, notes: [], tasks: [] });
        continue;
      }
      const activity = (kind: "notes" | "tasks", property: string) =>
        associationsOf(store, type, record.id, kind)
          // The text without its ref (`Ref: autopilot-…`, from the change key, which differs between runs).
          .map((a) => (store.get(kind, a.id)?.properties[property] ?? "").replace(/\s*Ref: autopilot-[0-9a-f]+$/, ""))
          .sort();
      state.set(key, {
        fields: Object.fromEntries(fields.map((f) => [f, record.properties[f] ?? ""])),
        ourWrites: ourWrites(record),
        notes: activity("notes", "hs_note_body"),
        tasks: activity("tasks", "hs_task_subject"),
      });
    }
  }
  return state;
}

/** Each contact's and deal's full properties and history, for looking into a difference after the run. */
export function rawRecords(hubspot: RunningLocalHubspot): Map<string, StoredRecord> {
  const store = hubspot.runtime.store;
  const out = new Map<string, StoredRecord>();
  for (const type of ["contacts", "deals"] as const)
    for (const record of store.table(type).values()) out.set(`${type}/${record.id}`, structuredClone(record));
  return out;
}

export type StateDiff = { differing: number; keys: string[] };

/** Records whose fields, notes or tasks differ between two runs (the app's write counts are compared separately). */
export function diffStates(expected: CrmState, actual: CrmState): StateDiff {
  const keys: string[] = [];
  let differing = 0;
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const a = expected.get(key);
    const b = actual.get(key);
    const sa = a ? JSON.stringify([a.fields, a.notes, a.tasks]) : "(absent)";
    const sb = b ? JSON.stringify([b.fields, b.notes, b.tasks]) : "(absent)";
    if (sa === sb) continue;
    differing++;
    keys.push(key);
  }
  return { differing, keys };
}

export type Doubles = { writes: number; notes: number; tasks: number; examples: string[] };

/**
 * Side effects applied more than once: property writes beyond what the reference run made on the same record, and
 * notes or tasks repeated on one record (each gate violation gets one of each).
 */
export function appliedTwice(reference: CrmState, actual: CrmState): Doubles {
  const out: Doubles = { writes: 0, notes: 0, tasks: 0, examples: [] };
  for (const [key, rec] of actual) {
    const ref = reference.get(key);
    for (const [property, n] of Object.entries(rec.ourWrites)) {
      const extra = n - (ref?.ourWrites[property] ?? 0);
      if (extra > 0) {
        out.writes += extra;
        if (out.examples.length < 6) out.examples.push(`${key} ${property} written ${n}× (reference ${ref?.ourWrites[property] ?? 0}×)`);
      }
    }
    const repeats = (xs: string[]) => xs.length - new Set(xs).size;
    out.notes += repeats(rec.notes);
    out.tasks += repeats(rec.tasks);
    if ((repeats(rec.notes) > 0 || repeats(rec.tasks) > 0) && out.examples.length < 6)
      out.examples.push(`${key}: ${rec.notes.length} notes, ${rec.tasks.length} tasks`);
  }
  return out;
}

/** What the engines did in a run, counted from the CRM: fields fixed, owners written, deals reverted, notes, tasks. */
export function effectsOf(state: CrmState): string {
  let fixes = 0;
  let owners = 0;
  let reverts = 0;
  let notes = 0;
  let tasks = 0;
  for (const [key, rec] of state) {
    for (const [property, n] of Object.entries(rec.ourWrites)) {
      if (property === "hubspot_owner_id") owners += n;
      else if (property === "dealstage") reverts += n;
      else if (key.startsWith("contacts/")) fixes += n;
    }
    notes += rec.notes.length;
    tasks += rec.tasks.length;
  }
  return `${fixes} field fixes, ${owners} owners written, ${reverts} stage reverts, ${notes} notes, ${tasks} tasks`;
}

/**
 * Side effects applied twice, without a reference run: a contact given an owner more than once, or a property the
 * app fixed more often than people wrote it (each value a person enters is fixed at most once).
 */
export function doublesWithoutReference(hubspot: RunningLocalHubspot): { owners: number; fixes: number; examples: string[] } {
  const out = { owners: 0, fixes: 0, examples: [] as string[] };
  for (const record of hubspot.runtime.store.live("contacts")) {
    for (const [name, entries] of Object.entries(record.history)) {
      if (name === "lastmodifieddate") continue;
      const ours = entries.filter((h) => h.sourceType === "INTEGRATION").length;
      const people = entries.filter((h) => h.sourceType === "CRM_UI").length;
      const extra = name === "hubspot_owner_id" ? ours - 1 : ours - people;
      if (extra <= 0) continue;
      if (name === "hubspot_owner_id") out.owners += extra;
      else out.fixes += extra;
      if (out.examples.length < 4) out.examples.push(`contacts/${record.id} ${name}: app ${ours}×, people ${people}×`);
    }
  }
  return out;
}
