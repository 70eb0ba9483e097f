// Test support for routing; imported only by *.test.ts files.
import { env } from "cloudflare:workers";
import type { LocalHubspot } from "../../../local-hubspot/app.ts";

const ALWAYS = ["00:00-24:00"];
/** Around the clock, every day: tests must not depend on the hour they run at. */
export const ALL_WEEK = { sun: ALWAYS, mon: ALWAYS, tue: ALWAYS, wed: ALWAYS, thu: ALWAYS, fri: ALWAYS, sat: ALWAYS };

/** A portal settings document with three reps in one round-robin queue; `routing` merges over it. */
export function routingSettingsDoc(over: { on?: boolean; routing?: Record<string, unknown>; permissions?: Record<string, unknown> } = {}) {
  const rep = (ownerId: string, name: string, managerOwnerId: string | null = "104") => ({
    ownerId,
    name,
    email: `${name.toLowerCase()}@demo.example`,
    timeZone: "UTC",
    workingHours: ALL_WEEK,
    managerOwnerId,
  });
  return {
    automations: { routing: over.on ?? true },
    ...(over.permissions ? { permissions: over.permissions } : {}),
    routing: {
      reps: [rep("101", "Ana"), rep("102", "Ben"), rep("103", "Cleo"), rep("104", "Mara", null)],
      queues: [{ id: "all", name: "Everyone", strategy: "round_robin", members: ["101", "102", "103"] }],
      rules: [{ id: "everyone", name: "Every lead", queue: "all" }],
      slaMinutes: 30,
      ...over.routing,
    },
  };
}

/** The portal's owners 101–104 (104 is the reps' manager); `archived` lists ids to archive. */
export function seedOwners(hubspot: LocalHubspot, archived: string[] = []): void {
  const now = Date.now();
  hubspot.runtime.store.setOwners(
    ["101", "102", "103", "104"].map((id, i) => ({
      id,
      userId: 9000 + i,
      email: `owner${id}@demo.example`,
      firstName: ["Ana", "Ben", "Cleo", "Mara"][i] ?? "",
      lastName: "Rep",
      teams: [],
      archived: archived.includes(id),
      createdAt: now,
      updatedAt: now,
    })),
  );
}

let counter = 0;
/** A Durable Object of its own for one test, so routing state never leaks between tests. */
export function freshPortalObject(prefix = "routing-test") {
  return env.PORTAL.get(env.PORTAL.idFromName(`${prefix}-${Date.now()}-${counter++}`));
}
