/**
 * Sustained load: people change the CRM at `rate` events per second for `minutes` — new contacts at most `newRate`
 * per second, the rest property changes on existing contacts — while every webhook HubSpot emits (ours included) is
 * delivered as it happens. Samples the backlog and the Worker's memory, then waits for the backlog to drain.
 */
import type { WebhookEvent } from "../../local-hubspot/index.ts";
import { sleep } from "../_util.ts";
import { type Fates, fatesOf } from "./accounting.ts";
import { batches, Deliverer, seeded, watchJournal } from "./delivery.ts";
import { type ApiCall, type MemorySample, sampleMemory } from "./observe.ts";
import { ledgerOf, type RunStack, SECRETS, startRunStack } from "./stack.ts";
import { doublesWithoutReference } from "./state.ts";
import { benchSettings, seedPortal } from "./workload.ts";

export type SoakOptions = {
  minutes: number;
  rate: number;
  newRate: number;
  pool: number;
  latency: { minMs: number; maxMs: number };
  drainMs: number;
  log?: string;
};

export type BacklogSample = { at: number; accepted: number; processed: number };

export type SoakRun = {
  made: { creations: number; changes: number; seconds: number };
  fates: Fates;
  calls: ApiCall[];
  limiterRefusals: number;
  batches: { total: number; retried: number };
  memory: MemorySample[];
  backlog: BacklogSample[];
  startedAt: number;
  drainedMs: number | null;
  delivery: Deliverer["stats"];
  doubles: ReturnType<typeof doublesWithoutReference>;
};

const USER = { kind: "user" as const, userId: 7 };

/** Makes `rate` changes per second in 50 ms ticks until `until`; new contacts take `newRate` of them. */
async function generate(stack: RunStack, contacts: string[], o: SoakOptions, until: number) {
  const rt = stack.hubspot.runtime;
  const random = seeded(42);
  const started = Date.now();
  let creations = 0;
  let changes = 0;
  while (Date.now() < until) {
    const elapsed = (Date.now() - started) / 1000;
    const due = Math.floor(elapsed * o.rate) - (creations + changes);
    for (let k = 0; k < due; k++) {
      if (creations < elapsed * o.newRate) {
        const r = rt.engine.create(
          "contacts",
          { email: `soak${creations}@load${creations % 31}.example`, firstname: `soak${creations}`, lastname: "LOAD", zip: "94110" },
          USER,
        );
        if (r.ok) contacts.push(r.value.id);
        creations++;
        continue;
      }
      const id = contacts[Math.floor(random() * contacts.length)] as string;
      const roll = random();
      const change: Record<string, string> =
        roll < 0.4
          ? { jobtitle: `Title ${changes}` }
          : roll < 0.7
            ? { phone: `(212) 555-${String(changes % 10_000).padStart(4, "0")}` }
            : { lifecyclestage: changes % 2 ? "lead" : "subscriber" };
      rt.engine.update("contacts", id, change, USER);
      changes++;
    }
    await sleep(50);
  }
  return { creations, changes, seconds: (Date.now() - started) / 1000 };
}

export async function runSoak(o: SoakOptions): Promise<SoakRun> {
  const stack = await startRunStack({ latency: o.latency, settings: benchSettings(), ...(o.log ? { log: o.log } : {}) });
  try {
    const portal = seedPortal(stack.hubspot, { contacts: o.pool, deals: 0 });
    const deliverer = new Deliverer(() => stack.worker().url, SECRETS.HUBSPOT_CLIENT_SECRET, {
      timeoutMs: 5_000,
      maxAttempts: 10,
      backoffMs: 1_000,
      maxConcurrent: 10,
    });
    const pending: WebhookEvent[] = [];
    const watcher = watchJournal(stack.hubspot, 0, (events) => pending.push(...events), 100);
    let pumping = true;
    const pump = (async () => {
      while (pumping || pending.length > 0) {
        for (const batch of batches(pending.splice(0), 100)) {
          await deliverer.slot();
          deliverer.send(batch);
        }
        await sleep(100);
      }
    })();
    const memory = sampleMemory(() => stack.worker().pid);
    const backlog: BacklogSample[] = [];
    const startedAt = Date.now();
    const sampler = setInterval(async () => {
      const ledger = await ledgerOf(stack).catch(() => null);
      if (!ledger) return;
      const sample = { at: Date.now(), accepted: deliverer.accepted.size, processed: ledger.processed };
      backlog.push(sample);
      // Progress as it goes, so a long run that is stopped early still leaves its figures.
      const rss = memory.samples.at(-1)?.workerdMb.toFixed(0) ?? "?";
      const t = ((sample.at - startedAt) / 1000).toFixed(0);
      process.stderr.write(
        `soak t=${t}s accepted ${sample.accepted} processed ${sample.processed} claimed ${ledger.pending} workerd ${rss} MB\n`,
      );
    }, 10_000);
    const contacts = [...portal.contacts];
    const generating = generate(stack, contacts, o, startedAt + o.minutes * 60_000);
    const result = await generating;
    process.stderr.write(`soak: generated ${result.creations + result.changes} events in ${result.seconds.toFixed(0)} s; draining...\n`);
    const drainStarted = Date.now();
    let drainedMs: number | null = null;
    while (Date.now() - drainStarted < o.drainMs) {
      await sleep(5_000);
      if (watcher.quietFor() < 3_000 || pending.length > 0) continue;
      const f = fatesOf(stack.persistTo, deliverer.accepted);
      if (f.stuck + f.lost === 0) {
        drainedMs = Date.now() - drainStarted;
        break;
      }
    }
    // Stop watching first: while the Worker still works through a backlog its own writes keep the journal growing.
    watcher.stop();
    pumping = false;
    await pump;
    clearInterval(sampler);
    memory.stop();
    await deliverer.idle();
    await stack.stopWorker();
    return {
      made: result,
      fates: fatesOf(stack.persistTo, deliverer.accepted),
      calls: [...stack.proxy.calls],
      limiterRefusals: stack.limiterRefusals(),
      batches: stack.consumerBatches(),
      memory: memory.samples,
      backlog,
      startedAt,
      drainedMs,
      delivery: deliverer.stats,
      doubles: doublesWithoutReference(stack.hubspot),
    };
  } finally {
    await stack.stop();
  }
}
