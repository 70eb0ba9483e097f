/**
 * Bursts of trouble from the local HubSpot server, one kind at a time, in a loop: 429s, 5xx, calls that hang past
 * the Worker's timeout, slow answers, and writes whose reply is lost after HubSpot applied them.
 */
import type { Faults } from "../../local-hubspot/index.ts";
import type { RunStack } from "./stack.ts";

type Phase = { name: string; faults: Faults };

export const FAULT_PHASES: readonly Phase[] = [
  { name: "429 burst (half the calls)", faults: { rate429: 0.5 } },
  { name: "5xx burst (40 % 503)", faults: { rate5xx: 0.4, status5xx: 503 } },
  { name: "timeouts (15 % hang 12 s, past the Worker's 10 s)", faults: { rateHang: 0.15, hangMs: 12_000 } },
  { name: "slow (half the calls +3 s)", faults: { slowRate: 0.5, slowMs: 3_000 } },
  { name: "lost replies (25 % of writes applied, then 504 after 12 s)", faults: { rateLostReply: 0.25, hangMs: 12_000 } },
  { name: "calm", faults: {} },
];

/** Cycles through the phases every `burstMs` until stopped; says which phases ran and how often. */
export function runFaultSchedule(stack: RunStack, burstMs: number) {
  const ran = new Map<string, number>();
  let i = 0;
  const apply = (phase: Phase) => {
    stack.hubspot.runtime.control.faults = { ...phase.faults };
    ran.set(phase.name, (ran.get(phase.name) ?? 0) + 1);
  };
  apply(FAULT_PHASES[0] as Phase);
  const timer = setInterval(() => {
    i = (i + 1) % FAULT_PHASES.length;
    apply(FAULT_PHASES[i] as Phase);
  }, burstMs);
  return {
    ran,
    stop() {
      clearInterval(timer);
      stack.hubspot.runtime.control.faults = {};
    },
  };
}
