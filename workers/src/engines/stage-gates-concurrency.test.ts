import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { CrmPort } from "../../../shared/crm-port.ts";
import type { CrmEvent } from "../../../shared/events/types.ts";
import { APP_ID, clearTables, crmEvent, localCrm, PORTAL } from "../../test/local-crm.ts";
import { processPortalEvents } from "../queue/process-events.ts";
import { stageGatesEngine } from "./stage-gates-engine.ts";

// Sales Pipeline order: appointmentscheduled (A) → qualifiedtobuy (B) → presentationscheduled (C) → decisionmakerboughtin (D).
const A = "appointmentscheduled";
const B = "qualifiedtobuy";
const C = "presentationscheduled";
const D = "decisionmakerboughtin";

/** Leaving B needs an amount: A→B is fine, but A→C skips B and is blocked while the deal has no amount. */
const settings = (mode: "enforce" | "warn" = "enforce") => ({
  automations: { stageGates: true },
  stageGates: { pipelines: { default: { mode, stages: { [B]: { required: ["amount"] } } } } },
});

let local: ReturnType<typeof localCrm>;
beforeEach(async () => {
  await clearTables("audit_log", "event_ledger", "own_writes", "stage_gate_decisions", "crm_reference_cache", "record_locks");
  local = localCrm();
});

/** Lets workerd's clock move on, so consecutive moves get distinct history timestamps as they would in HubSpot. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

async function newDeal(properties: Record<string, string> = {}): Promise<string> {
  const { id } = await local.asUser("POST", "/crm/v3/objects/deals", {
    properties: { dealname: "Acme renewal", pipeline: "default", dealstage: A, ...properties },
  });
  await tick();
  return id;
}

async function moveAsRep(id: string, properties: Record<string, string>): Promise<void> {
  await local.asUser("PATCH", `/crm/v3/objects/deals/${id}`, { properties });
  await tick();
}

const stageEvent = (id: string, stage: string): CrmEvent => crmEvent("deals", id, { propertyName: "dealstage", propertyValue: stage });

/** Resolves every caller once `n` callers are waiting: both invocations have read the deal before either acts. */
function barrier(n: number): () => Promise<void> {
  let waiting = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return async () => {
    waiting += 1;
    if (waiting >= n) open();
    await opened;
  };
}

type Hooks = { afterFirstRead?: () => Promise<void> };

/** The local CRM as one consumer invocation sees it: `afterFirstRead` runs once its batch read of the deal returned. */
function invocationCrm(crm: CrmPort, hooks: Hooks): CrmPort {
  let reads = 0;
  return new Proxy(crm, {
    get(target, prop, receiver) {
      if (prop === "read") {
        return async (...args: Parameters<CrmPort["read"]>) => {
          const result = await target.read(...args);
          if (reads++ === 0) await hooks.afterFirstRead?.();
          return result;
        };
      }
      if (prop === "update") {
        // A CRM round trip long enough for the other invocation to reach its own write meanwhile.
        return async (...args: Parameters<CrmPort["update"]>) => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          return target.update(...args);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function invoke(events: CrmEvent[], hooks: Hooks, doc: unknown = settings()) {
  const deps = local.deps(doc, [stageGatesEngine]);
  const crm = invocationCrm(local.crm, hooks);
  return processPortalEvents(PORTAL, events, { ...deps, crmFor: async () => ({ ok: true as const, value: crm }) });
}

type HistoryEntry = { value: string; sourceType?: string; sourceId?: string };

async function outcome(id: string) {
  const res = await local.hubspot.app.request(`/crm/v3/objects/deals/${id}?propertiesWithHistory=dealstage`, {
    headers: { authorization: "Bearer t" },
  });
  const deal = (await res.json()) as { properties: { dealstage: string }; propertiesWithHistory: { dealstage: HistoryEntry[] } };
  const count = async (objectType: string) => {
    const list = await local.hubspot.app.request(`/crm/v3/objects/${objectType}?limit=100`, { headers: { authorization: "Bearer t" } });
    return ((await list.json()) as { results: unknown[] }).results.length;
  };
  const audit = await env.DB.prepare("SELECT action, status FROM audit_log WHERE object_id = ? ORDER BY id").bind(id).all();
  const decisions = await env.DB.prepare("SELECT from_stage, to_stage, verdict FROM stage_gate_decisions WHERE object_id = ? ORDER BY id")
    .bind(id)
    .all();
  return {
    stage: deal.properties.dealstage,
    reverts: deal.propertiesWithHistory.dealstage.filter((h) => h.sourceId === APP_ID).length,
    notes: await count("notes"),
    tasks: await count("tasks"),
    audit: audit.results.map((r) => `${r.action}:${r.status}`),
    decisions: decisions.results,
  };
}

// The note and task are made before the revert (a failed call then leaves the move to be judged again).
const ONE_REVERT = ["create_note:applied", "create_task:applied", "update_properties:applied"];

describe("concurrent moves of the same deal resolve to one outcome", () => {
  it("the same blocked move delivered in two batches at once: one revert, one note, one task", async () => {
    const id = await newDeal();
    await moveAsRep(id, { dealstage: C });
    const bothRead = barrier(2);
    const reports = await Promise.all([
      invoke([stageEvent(id, C)], { afterFirstRead: bothRead }),
      invoke([stageEvent(id, C)], { afterFirstRead: bothRead }),
    ]);

    expect(reports.flatMap((r) => r.fates.map((f) => f.kind))).toEqual(["done", "done"]);
    expect(await outcome(id)).toEqual({
      stage: A,
      reverts: 1,
      notes: 1,
      tasks: 1,
      audit: ONE_REVERT,
      decisions: [{ from_stage: A, to_stage: C, verdict: "blocked" }],
    });
  });

  it("in warn mode, the same move delivered twice at once gets one note", async () => {
    const id = await newDeal();
    await moveAsRep(id, { dealstage: C });
    const bothRead = barrier(2);
    await Promise.all([
      invoke([stageEvent(id, C)], { afterFirstRead: bothRead }, settings("warn")),
      invoke([stageEvent(id, C)], { afterFirstRead: bothRead }, settings("warn")),
    ]);

    expect(await outcome(id)).toMatchObject({ stage: C, reverts: 0, notes: 1, tasks: 0, audit: ["create_note:applied"] });
  });

  it("a skip and the next move judged in two batches after both happened: the deal goes back to before the skip, once", async () => {
    const id = await newDeal();
    await moveAsRep(id, { dealstage: C });
    await moveAsRep(id, { dealstage: D });
    const bothRead = barrier(2);
    await Promise.all([
      invoke([stageEvent(id, C)], { afterFirstRead: bothRead }),
      invoke([stageEvent(id, D)], { afterFirstRead: bothRead }),
    ]);

    // C→D alone meets C's (empty) criteria, but the deal only reached C by skipping B: the path A→D is what is judged.
    expect(await outcome(id)).toEqual({
      stage: A,
      reverts: 1,
      notes: 1,
      tasks: 1,
      audit: ONE_REVERT,
      decisions: [{ from_stage: A, to_stage: D, verdict: "blocked" }],
    });
  });

  it("a skip judged while the rep moves on: the stale revert is dropped and the newer move is judged from before the skip", async () => {
    const id = await newDeal();
    await moveAsRep(id, { dealstage: C });
    let second: ReturnType<typeof invoke> | undefined;
    const bothRead = barrier(2);
    const first = invoke([stageEvent(id, C)], {
      afterFirstRead: async () => {
        // The first invocation has read the deal at C; the rep moves it on before that invocation writes anything.
        await moveAsRep(id, { dealstage: D });
        second = invoke([stageEvent(id, D)], { afterFirstRead: bothRead });
        await bothRead();
      },
    });
    await first;
    await second;

    expect(await outcome(id)).toEqual({
      stage: A,
      reverts: 1,
      notes: 1,
      tasks: 1,
      audit: ONE_REVERT,
      decisions: [{ from_stage: A, to_stage: D, verdict: "blocked" }],
    });
  });

  it("a revert never overwrites the rep's newer move that meets the criteria", async () => {
    const id = await newDeal();
    await moveAsRep(id, { dealstage: C });
    let second: ReturnType<typeof invoke> | undefined;
    const bothRead = barrier(2);
    const first = invoke([stageEvent(id, C)], {
      afterFirstRead: async () => {
        // Judged blocked at C; meanwhile the rep fills in the amount and moves on to D, which the gates allow.
        await moveAsRep(id, { amount: "12000" });
        await moveAsRep(id, { dealstage: D });
        second = invoke([stageEvent(id, D)], { afterFirstRead: bothRead });
        await bothRead();
      },
    });
    await first;
    await second;

    expect(await outcome(id)).toEqual({
      stage: D,
      reverts: 0,
      notes: 0,
      tasks: 0,
      audit: [],
      decisions: [{ from_stage: C, to_stage: D, verdict: "allowed" }],
    });
  });

  it("a revert never overwrites the rep moving the deal back themselves, and leaves no note", async () => {
    const id = await newDeal();
    await moveAsRep(id, { dealstage: C });
    let second: ReturnType<typeof invoke> | undefined;
    const bothRead = barrier(2);
    const first = invoke([stageEvent(id, C)], {
      afterFirstRead: async () => {
        await moveAsRep(id, { dealstage: B });
        second = invoke([stageEvent(id, B)], { afterFirstRead: bothRead });
        await bothRead();
      },
    });
    await first;
    await second;

    // A→C was blocked, so the rep's C→B counts from A: A→B meets A's (empty) criteria and stands.
    expect(await outcome(id)).toEqual({
      stage: B,
      reverts: 0,
      notes: 0,
      tasks: 0,
      audit: [],
      decisions: [{ from_stage: A, to_stage: B, verdict: "allowed" }],
    });
  });

  it("a late duplicate of a move already reverted changes nothing", async () => {
    const id = await newDeal();
    await moveAsRep(id, { dealstage: C });
    await invoke([stageEvent(id, C)], {});
    await invoke([stageEvent(id, C)], {});

    expect(await outcome(id)).toMatchObject({ stage: A, reverts: 1, notes: 1, tasks: 1, audit: ONE_REVERT });
  });
});
