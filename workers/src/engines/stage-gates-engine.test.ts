import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { clearTables, crmEvent, localCrm, PORTAL } from "../../test/local-crm.ts";
import { processPortalEvents } from "../queue/process-events.ts";
import { stageGatesEngine } from "./stage-gates-engine.ts";

const gates = (mode: "enforce" | "warn") => ({
  pipelines: { default: { mode, stages: { appointmentscheduled: { required: ["amount"] } } } },
});

let local: ReturnType<typeof localCrm>;
beforeEach(async () => {
  await clearTables("audit_log", "event_ledger", "own_writes", "stage_gate_decisions", "crm_reference_cache", "activity_attempts");
  local = localCrm();
});

async function dealMovedWithoutAmount(): Promise<string> {
  const { id } = await local.asUser("POST", "/crm/v3/objects/deals", {
    properties: { dealname: "Acme renewal", pipeline: "default", dealstage: "appointmentscheduled", hubspot_owner_id: "" },
  });
  await local.asUser("PATCH", `/crm/v3/objects/deals/${id}`, { properties: { dealstage: "qualifiedtobuy" } });
  return id;
}

const stageEvent = (id: string) => crmEvent("deals", id, { propertyName: "dealstage", propertyValue: "qualifiedtobuy" });

describe("stage gates on the event pipeline", () => {
  it("in enforce mode moves the deal back, notes what is missing and tasks the owner", async () => {
    const id = await dealMovedWithoutAmount();
    const settings = { automations: { stageGates: true }, stageGates: gates("enforce") };
    await processPortalEvents(PORTAL, [stageEvent(id)], local.deps(settings, [stageGatesEngine]));

    expect((await local.get("deals", id, ["dealstage"])).dealstage).toBe("appointmentscheduled");
    const audit = await env.DB.prepare("SELECT action, status, after FROM audit_log WHERE object_id = ? ORDER BY id").bind(id).all();
    expect(audit.results.map((r) => [r.action, r.status])).toEqual([
      ["create_note", "applied"],
      ["create_task", "applied"],
      ["update_properties", "applied"],
    ]);
    expect(String(audit.results[0]?.after)).toContain("Amount");
    const decision = await env.DB.prepare("SELECT verdict, actor_user_id, revert_to FROM stage_gate_decisions WHERE object_id = ?")
      .bind(id)
      .first();
    expect(decision).toEqual({ verdict: "blocked", actor_user_id: "7", revert_to: "appointmentscheduled" });
  });

  it("does not judge its own revert when that change comes back", async () => {
    const id = await dealMovedWithoutAmount();
    const settings = { automations: { stageGates: true }, stageGates: gates("enforce") };
    await processPortalEvents(PORTAL, [stageEvent(id)], local.deps(settings, [stageGatesEngine]));
    const echo = crmEvent("deals", id, { propertyName: "dealstage", propertyValue: "appointmentscheduled", sourceId: "unknown" });
    const report = await processPortalEvents(PORTAL, [echo], local.deps(settings, [stageGatesEngine]));
    expect(report.fates).toEqual([{ kind: "done", outcome: "own_write" }]);
    const notes = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE object_id = ? AND action = 'create_note'")
      .bind(id)
      .first();
    expect(notes).toEqual({ n: 1 });
  });

  it("in warn mode only notes the move", async () => {
    const id = await dealMovedWithoutAmount();
    await processPortalEvents(
      PORTAL,
      [stageEvent(id)],
      local.deps({ automations: { stageGates: true }, stageGates: gates("warn") }, [stageGatesEngine]),
    );
    expect((await local.get("deals", id, ["dealstage"])).dealstage).toBe("qualifiedtobuy");
    const actions = await env.DB.prepare("SELECT action FROM audit_log WHERE object_id = ?").bind(id).all();
    expect(actions.results).toEqual([{ action: "create_note" }]);
  });

  it("observes only until the automation is on", async () => {
    const id = await dealMovedWithoutAmount();
    await processPortalEvents(PORTAL, [stageEvent(id)], local.deps({ stageGates: gates("enforce") }, [stageGatesEngine]));
    expect((await local.get("deals", id, ["dealstage"])).dealstage).toBe("qualifiedtobuy");
    const statuses = await env.DB.prepare("SELECT DISTINCT status FROM audit_log WHERE object_id = ?").bind(id).all();
    expect(statuses.results).toEqual([{ status: "observed" }]);
  });

  it("lets a move that meets the criteria through untouched", async () => {
    const { id } = await local.asUser("POST", "/crm/v3/objects/deals", {
      properties: { dealname: "Funded", pipeline: "default", dealstage: "appointmentscheduled", amount: "5000" },
    });
    await local.asUser("PATCH", `/crm/v3/objects/deals/${id}`, { properties: { dealstage: "qualifiedtobuy" } });
    await processPortalEvents(
      PORTAL,
      [stageEvent(id)],
      local.deps({ automations: { stageGates: true }, stageGates: gates("enforce") }, [stageGatesEngine]),
    );
    expect((await local.get("deals", id, ["dealstage"])).dealstage).toBe("qualifiedtobuy");
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE object_id = ?").bind(id).first()).toEqual({ n: 0 });
  });

  it("judges a recent move the backfill found without its webhook", async () => {
    const id = await dealMovedWithoutAmount();
    const backfilled = crmEvent("deals", id, { origin: "backfill", eventId: "backfill:1", subscriptionType: "backfill.deals" });
    const settings = { automations: { stageGates: true }, stageGates: gates("enforce") };
    await processPortalEvents(PORTAL, [backfilled], local.deps(settings, [stageGatesEngine]));
    expect((await local.get("deals", id, ["dealstage"])).dealstage).toBe("appointmentscheduled");
  });

  it("leaves alone a move the backfill found that is older than the gates' horizon", async () => {
    const id = await dealMovedWithoutAmount();
    const backfilled = crmEvent("deals", id, { origin: "backfill", eventId: "backfill:1", subscriptionType: "backfill.deals" });
    const settings = { automations: { stageGates: true }, stageGates: gates("enforce") };
    const deps = { ...local.deps(settings, [stageGatesEngine]), now: () => Date.now() + 2 * 3_600_000 };
    await processPortalEvents(PORTAL, [backfilled], deps);
    expect((await local.get("deals", id, ["dealstage"])).dealstage).toBe("qualifiedtobuy");
  });

  describe("when HubSpot makes a task but its reply is lost", () => {
    const settings = { automations: { stageGates: true }, stageGates: gates("enforce") };
    const tasksOn = (dealId: string) =>
      local.hubspot.runtime.store
        .live("tasks")
        .filter((t) => local.hubspot.runtime.store.associations.get(`tasks:${t.id}`)?.[`deals:${dealId}`]);

    it("finds the task on the deal by its ref and does not make it again", async () => {
      const id = await dealMovedWithoutAmount();
      // The batch create is applied, then answered with a 504 (as a reply lost past the Worker's timeout).
      local.hubspot.runtime.control.faults = { nextLostReply: 1, hangMs: 0, paths: ["/crm/v3/objects/tasks"] };
      const first = await processPortalEvents(PORTAL, [stageEvent(id)], local.deps(settings, [stageGatesEngine]));
      expect(first.fates[0]?.kind).toBe("retry");
      expect(tasksOn(id)).toHaveLength(1);

      const calls = local.calls.length;
      const second = await processPortalEvents(PORTAL, [stageEvent(id)], local.deps(settings, [stageGatesEngine]));
      expect(second.fates[0]).toEqual({ kind: "done", outcome: "applied" });
      expect(tasksOn(id)).toHaveLength(1);
      expect(local.calls.slice(calls)).not.toContain("POST /crm/v3/objects/tasks/batch/create");
      expect(local.calls.slice(calls)).toContain("POST /crm/v4/associations/deals/tasks/batch/read");
      const audit = await env.DB.prepare("SELECT action, status, after FROM audit_log WHERE object_id = ? ORDER BY id").bind(id).all();
      expect(audit.results.map((r) => [r.action, r.status])).toEqual([
        ["create_note", "applied"],
        ["create_task", "applied"],
        ["update_properties", "applied"],
      ]);
      const task = tasksOn(id)[0];
      expect(JSON.parse(String(audit.results[1]?.after)).id).toBe(task?.id);
      expect((await local.get("deals", id, ["dealstage"])).dealstage).toBe("appointmentscheduled");
    });

    it("makes the task when the lost call never reached HubSpot", async () => {
      const id = await dealMovedWithoutAmount();
      local.hubspot.runtime.control.faults = { next5xx: 1, paths: ["/crm/v3/objects/tasks"] };
      const first = await processPortalEvents(PORTAL, [stageEvent(id)], local.deps(settings, [stageGatesEngine]));
      expect(first.fates[0]?.kind).toBe("retry");
      expect(tasksOn(id)).toHaveLength(0);
      await processPortalEvents(PORTAL, [stageEvent(id)], local.deps(settings, [stageGatesEngine]));
      expect(tasksOn(id)).toHaveLength(1);
      expect(String(tasksOn(id)[0]?.properties.hs_task_body)).toMatch(/Ref: autopilot-[0-9a-f]{12}$/);
    });
  });
});
