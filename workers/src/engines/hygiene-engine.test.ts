import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { APP_ID, clearTables, crmEvent, localCrm, PORTAL } from "../../test/local-crm.ts";
import { processPortalEvents } from "../queue/process-events.ts";
import { hygieneEngine } from "./hygiene-engine.ts";

const PHONE_AUTO = { hygiene: { fixPolicy: { contacts: { phone: "auto" } } } };
const ON = { automations: { hygiene: true }, ...PHONE_AUTO };
const OBSERVE = { ...PHONE_AUTO };

let local: ReturnType<typeof localCrm>;
beforeEach(async () => {
  await clearTables("audit_log", "event_ledger", "own_writes", "record_snapshots", "hygiene_scores", "hygiene_trend");
  local = localCrm();
});

async function messyContact(): Promise<string> {
  const { id } = await local.asUser("POST", "/crm/v3/objects/contacts", {
    properties: { email: "ana@acme.example", firstname: "Ana", lastname: "Silva", phone: "(415) 555-0100", country: "United States" },
  });
  return id;
}

const created = (id: string) => crmEvent("contacts", id, { kind: "created", subscriptionType: "contact.creation" });
const run = (events: Parameters<typeof processPortalEvents>[1], settings: unknown) =>
  processPortalEvents(PORTAL, events, local.deps(settings, [hygieneEngine]));

async function auditOf(id: string) {
  return (
    await env.DB.prepare("SELECT status, rule, before, after FROM audit_log WHERE object_id = ? AND automation = 'hygiene' ORDER BY id")
      .bind(id)
      .all<{ status: string; rule: string; before: string; after: string }>()
  ).results;
}

describe("hygiene on the event pipeline", () => {
  it("applies a safe fix in one write when the automation is on and the field's policy is auto", async () => {
    const id = await messyContact();
    const report = await run([created(id)], ON);
    expect(report.counts).toEqual({ hygiene_applied: 1 });
    expect(local.calls).toEqual(["POST /crm/v3/objects/contacts/batch/read", "POST /crm/v3/objects/contacts/batch/update"]);
    expect((await local.get("contacts", id, ["phone"])).phone).toBe("+14155550100");
    expect(await auditOf(id)).toEqual([
      { status: "applied", rule: "phone_not_e164", before: '{"phone":"(415) 555-0100"}', after: '{"phone":"+14155550100"}' },
    ]);
    const stored = await env.DB.prepare("SELECT score, first_score, report FROM hygiene_scores WHERE object_id = ?")
      .bind(id)
      .first<{ score: number; first_score: number; report: string }>();
    expect(stored?.score).toBeGreaterThan(stored?.first_score ?? 100);
    expect(stored?.report).not.toContain("phone_not_e164");
  });

  it("judges the survivor of a merge whole, as a new record", async () => {
    const id = await messyContact();
    await run([crmEvent("contacts", id, { kind: "merged", subscriptionType: "contact.merge", newObjectId: id })], ON);
    expect((await local.get("contacts", id, ["phone"])).phone).toBe("+14155550100");
  });

  it("only records the suggestion while the automation is observe-only", async () => {
    const id = await messyContact();
    const report = await run([created(id)], OBSERVE);
    expect(report.counts).toEqual({ hygiene_observed: 1 });
    expect((await local.get("contacts", id, ["phone"])).phone).toBe("(415) 555-0100");
    expect((await auditOf(id)).map((r) => [r.status, r.after])).toEqual([["observed", '{"phone":"+14155550100"}']]);
    const stored = await env.DB.prepare("SELECT report FROM hygiene_scores WHERE object_id = ?").bind(id).first<{ report: string }>();
    expect(stored?.report).toContain("phone_not_e164");
  });

  it("writes nothing for a field left at the default suggest policy, but keeps the score", async () => {
    const id = await messyContact();
    await run([created(id)], { automations: { hygiene: true } });
    expect((await local.get("contacts", id, ["phone"])).phone).toBe("(415) 555-0100");
    expect(await auditOf(id)).toEqual([]);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM hygiene_scores WHERE object_id = ?").bind(id).first()).toEqual({ n: 1 });
  });

  it("does no new work for the webhook its own fix causes", async () => {
    const id = await messyContact();
    await run([created(id)], ON);
    local.calls.length = 0;
    const echo = crmEvent("contacts", id, { propertyName: "phone", propertyValue: "+14155550100", sourceId: APP_ID });
    const report = await run([echo], ON);
    expect(report.fates).toEqual([{ kind: "done", outcome: "own_write" }]);
    expect(local.calls).toEqual([]);
  });

  it("never rewrites a value a person set by hand after our fix", async () => {
    const id = await messyContact();
    await run([created(id)], ON);
    await local.asUser("PATCH", `/crm/v3/objects/contacts/${id}`, { properties: { phone: "(415) 555-0100" } });
    const edit = crmEvent("contacts", id, { propertyName: "phone", propertyValue: "(415) 555-0100" });
    const report = await run([edit], ON);
    expect(report.counts).toEqual({});
    expect((await local.get("contacts", id, ["phone"])).phone).toBe("(415) 555-0100");
    expect((await auditOf(id)).map((r) => r.status)).toEqual(["applied"]);
  });

  it("does not fix again a field whose fix an admin undid on that record", async () => {
    const id = await messyContact();
    await run([created(id)], ON);
    await env.DB.prepare("UPDATE audit_log SET undone_at = ?, status = 'undone' WHERE object_id = ?").bind(Date.now(), id).run();
    await local.crm.update("contacts", [{ id, properties: { phone: "(415) 555-0100" } }]);
    const rescan = crmEvent("contacts", id, { origin: "backfill", kind: "changed" });
    await run([rescan], ON);
    expect((await local.get("contacts", id, ["phone"])).phone).toBe("(415) 555-0100");
    expect((await auditOf(id)).map((r) => r.status)).toEqual(["undone"]);
  });

  it("does not read the record for a change hygiene does not judge", async () => {
    const id = await messyContact();
    const report = await run([crmEvent("contacts", id, { propertyName: "lifecyclestage", propertyValue: "lead" })], ON);
    expect(report.records).toBe(1);
    expect(local.calls).toEqual([]);
  });

  it("normalises a company's domain when its policy is auto", async () => {
    const { id } = await local.asUser("POST", "/crm/v3/objects/companies", {
      properties: { name: "Acme", domain: "https://www.acme.com/about" },
    });
    const settings = { automations: { hygiene: true }, hygiene: { fixPolicy: { companies: { domain: "auto" } } } };
    await run([crmEvent("companies", id, { propertyName: "domain", propertyValue: "https://www.acme.com/about" })], settings);
    expect((await local.get("companies", id, ["domain"])).domain).toBe("acme.com");
    expect((await auditOf(id)).map((r) => r.rule)).toEqual(["domain_not_normalized"]);
  });
});
