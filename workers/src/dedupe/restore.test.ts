import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { clearTables, crmEvent, localCrm, PORTAL } from "../../test/local-crm.ts";
import { selectUndoable, undoChanges } from "../audit/undo.ts";
import { dedupeEngine } from "../engines/dedupe-engine.ts";
import { processPortalEvents } from "../queue/process-events.ts";
import { DEDUPE_TABLES, JON, JONATHAN } from "./test-support.ts";

const BOTH_ON = { automations: { dedupe: true }, dedupe: { autoMerge: true } };
let local: ReturnType<typeof localCrm>;
beforeEach(async () => {
  await clearTables(...DEDUPE_TABLES);
  local = localCrm();
});

/** Creates the merge-level pair and lets the pipeline auto-merge it; returns the ids and the merge's audit id. */
async function autoMerged() {
  const ids: string[] = [];
  for (const properties of [JONATHAN, JON]) {
    const { id } = await local.asUser("POST", "/crm/v3/objects/contacts", { properties });
    ids.push(id);
    const event = crmEvent("contacts", id, { kind: "created", subscriptionType: "contact.creation" });
    await processPortalEvents(PORTAL, [event], local.deps(BOTH_ON, [dedupeEngine]));
  }
  const row = await env.DB.prepare("SELECT id, after FROM audit_log WHERE action = 'merge' AND status = 'applied'").first<{
    id: number;
    after: string;
  }>();
  if (!row) throw new Error("the pair was not merged");
  return { primary: ids[0] as string, merged: ids[1] as string, auditId: String(row.id), newId: JSON.parse(row.after).newId as string };
}

async function undo(auditId: string) {
  const rows = await selectUndoable(env.DB, PORTAL, { kind: "entries", ids: [auditId] });
  return undoChanges(rows, { db: env.DB, crm: local.crm, portalKey: PORTAL, userId: "7", now: Date.now(), dryRun: false });
}

describe("restoring a merge (the undo of a merge)", () => {
  it("recreates the merged-away record, puts back the survivor's fields and journals old id → new id", async () => {
    const { merged, auditId, newId } = await autoMerged();
    expect(await undo(auditId)).toEqual({ undone: [auditId], skipped: [] });

    const survivor = await local.get("contacts", newId, ["firstname", "jobtitle", "hs_additional_emails"]);
    expect(survivor.firstname).toBe("Jonathan");
    expect(survivor.jobtitle).toBe("CFO");
    expect(survivor.hs_additional_emails ?? "").not.toContain("j.kowalczyk@gmail.com");

    const journal = await env.DB.prepare("SELECT new_id FROM dedupe_merge_journal WHERE old_id = ?")
      .bind(merged)
      .first<{ new_id: string }>();
    expect(journal?.new_id).not.toBe(newId);
    const recreated = await local.get("contacts", journal?.new_id ?? "", ["firstname", "email", "phone"]);
    expect(recreated).toMatchObject({ firstname: "Jon", email: "j.kowalczyk@gmail.com", phone: "(415) 555-2671" });

    const marked = await env.DB.prepare("SELECT undone_by FROM audit_log WHERE id = ?").bind(auditId).first();
    expect(marked).toEqual({ undone_by: "user:7" });
    const dismissed = await env.DB.prepare("SELECT COUNT(*) AS n FROM dedupe_not_duplicates").first();
    expect(dismissed).toEqual({ n: 1 });
  });

  it("leaves a survivor field someone edited after the merge as they set it", async () => {
    const { auditId, newId } = await autoMerged();
    await local.asUser("PATCH", `/crm/v3/objects/contacts/${newId}`, { properties: { firstname: "Johnny" } });
    await undo(auditId);
    expect((await local.get("contacts", newId, ["firstname"])).firstname).toBe("Johnny");
  });

  it("cannot be applied twice", async () => {
    const { auditId } = await autoMerged();
    await undo(auditId);
    expect(await undo(auditId)).toEqual({ undone: [], skipped: [] });
    const contacts = await env.DB.prepare("SELECT COUNT(*) AS n FROM dedupe_merge_journal").first();
    expect(contacts).toEqual({ n: 2 });
  });
});
