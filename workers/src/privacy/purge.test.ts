import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { appendAudit } from "../audit/audit-log.ts";
import { journalOwnWrites } from "../ledger/own-writes.ts";
import { recordDeadLetters } from "../queue/producer.ts";
import { purgeRecord } from "./purge.ts";

describe("purgeRecord", () => {
  it("removes a deleted person's values from the audit log, journals and dead letters, and nobody else's", async () => {
    const entry = (objectId: string) => ({
      portalKey: "hubspot:1" as const,
      automation: "hygiene",
      action: "update_properties",
      objectType: "contacts",
      objectId,
      status: "applied" as const,
      rule: "phone",
      reason: "normalised phone",
      before: { phone: "415 555 0100" },
      after: { phone: "+14155550100" },
    });
    await appendAudit(env.DB, [entry("10"), entry("11"), { ...entry("10"), portalKey: "hubspot:2" }], 1);
    await journalOwnWrites(
      env.DB,
      [{ portalKey: "hubspot:1", objectType: "contacts", objectId: "10", property: "phone", value: "+14155550100" }],
      1,
    );
    await recordDeadLetters(env.DB, [
      {
        portalKey: "hubspot:1",
        source: "hubspot",
        reasonCode: "x",
        reason: "x",
        payload: { objectId: 10, propertyValue: "ada@example.com" },
      },
      { portalKey: "hubspot:1", source: "hubspot", reasonCode: "x", reason: "x", payload: { objectId: 11 } },
    ]);

    const report = await purgeRecord(env.DB, "hubspot:1", "contacts", "10", 5);
    expect(report).toEqual({ rowsDeleted: 1, auditRedacted: 1, deadLettersDeleted: 1 });

    const audit = await env.DB.prepare("SELECT portal_key, object_id, before, after FROM audit_log ORDER BY id").all();
    expect(audit.results).toEqual([
      { portal_key: "hubspot:1", object_id: "10", before: null, after: null },
      { portal_key: "hubspot:1", object_id: "11", before: '{"phone":"415 555 0100"}', after: '{"phone":"+14155550100"}' },
      { portal_key: "hubspot:2", object_id: "10", before: '{"phone":"415 555 0100"}', after: '{"phone":"+14155550100"}' },
    ]);
    const left = await env.DB.prepare("SELECT payload FROM dead_letters").all<{ payload: string }>();
    expect(left.results.map((r) => JSON.parse(r.payload).objectId)).toEqual([11]);
  });
});
